import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { DatabaseEngine, postgresConnectionUrl } from "../../constructs/database-engine";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";

function build(edit?: (props: any) => void): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const db = configFor("dev").vault.database!;
  const password = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
  const props: any = {
    path: db.path,
    ttls: db.ttls,
    roles: db.roles,
    connections: db.connections.map((c) => ({ ...c, rootPassword: password.stringValue, rootPasswordVersion: 1 })),
  };
  edit?.(props);
  new DatabaseEngine(stack, "database", props);
  return synthJson(stack);
}

describe("DatabaseEngine", () => {
  it("mounts the database engine with lease TTLs", () => {
    expect(onlyResource(build(), "vault_mount")).toMatchObject({ path: "database", type: "database", default_lease_ttl_seconds: 3600, max_lease_ttl_seconds: 86400 });
  });

  it("connects to PostgreSQL with a templated URL and the password only through the write-only attribute", () => {
    const json = build();
    const c = configFor("dev").vault.database!.connections[0];
    const conn = onlyResource(json, "vault_database_secret_backend_connection");
    expect(conn).toMatchObject({
      name: "phoenix-guardian-db",
      allowed_roles: ["app-role", "readonly-role"],
      verify_connection: true,
      root_rotation_statements: [`ALTER USER "{{username}}" WITH PASSWORD '{{password}}';`],
      postgresql: {
        connection_url: `postgresql://{{username}}:{{password}}@${c.host}:${c.port}/${c.database}?sslmode=verify-full`,
        username: "vault_admin",
        password_wo: "${var.pw}",
        password_wo_version: 1,
      },
    });
    expect(conn.postgresql.password).toBeUndefined();
    // Vault verifies the server (verify-full) with the configured CA; a CA is public, so it may sit in the JSON.
    expect(conn.postgresql.tls_ca).toBe(c.tlsCa);
    expect(conn.postgresql.tls_ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("creates app-role (read/write, 1h/24h) and readonly-role (SELECT only) on the connection", () => {
    const roles = Object.values(resourcesOf(build(), "vault_database_secret_backend_role"));
    const byName = Object.fromEntries(roles.map((r: any) => [r.name, r]));
    expect(byName["app-role"]).toMatchObject({ db_name: expect.stringContaining("vault_database_secret_backend_connection."), default_ttl: 3600, max_ttl: 86400 });
    expect(byName["app-role"].creation_statements.join(" ")).toMatch(/GRANT SELECT, INSERT, UPDATE, DELETE/);
    expect(byName["app-role"].revocation_statements.join(" ")).toMatch(/DROP ROLE/);
    const readonlyGrants = byName["readonly-role"].creation_statements.filter((s: string) => /GRANT/.test(s));
    expect(readonlyGrants).toEqual([`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`]);
  });

  it("renders the sslmode and URL-encodes the database name", () => {
    expect(postgresConnectionUrl({ host: "db", port: 6432, database: "a b", sslMode: "verify-ca" })).toBe(
      "postgresql://{{username}}:{{password}}@db:6432/a%20b?sslmode=verify-ca",
    );
  });

  it("fails if the root password is a literal", () => {
    expect(() => build((p) => (p.connections[0].rootPassword = "hunter2"))).toThrow(/rootPassword must be a reference to a sensitive variable/);
  });

  it("fails if a role names an unknown connection", () => {
    expect(() => build((p) => (p.roles = [{ ...p.roles[0], connection: "nope" }]))).toThrow(/role app-role names connection nope, which is not defined/);
  });

  it("fails if a verifying sslMode has no CA", () => {
    expect(() => build((p) => (p.connections[0].tlsCa = undefined))).toThrow(/connection phoenix-guardian-db: sslMode verify-full needs tlsCa/);
  });
});
