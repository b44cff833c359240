/**
 * The database roles' SQL on a real PostgreSQL 15: each role of the synthesized vault-config stacks (dev and prod)
 * creates, renews and revokes users the way Vault's PostgreSQL plugin does (rehearsal/vault-database-plugin.ts),
 * as the connection's root user, on the connection's database. The created users can do exactly what Phoenix
 * Guardian's ADR grants: app-role reads and writes its tables, readonly-role only reads them; neither can create,
 * truncate or administer. Revocation removes the user even while it has a session open.
 */
import { PostgresServer, type Login } from "../../rehearsal/postgres";
import { PostgresPlugin } from "../../rehearsal/vault-database-plugin";
import { synthesizedDatabase, type SynthesizedDatabase } from "./synthesized-database";

/** Phoenix Guardian's ADR: what each role's users may do on its tables, and nothing more. */
const ADR_GRANTS: Record<string, readonly string[]> = {
  "app-role": ["SELECT", "INSERT", "UPDATE", "DELETE"],
  "readonly-role": ["SELECT"],
};
const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
/** The display name Vault passes for a Kubernetes login (mount type, namespace, service account). */
const DISPLAY_NAME = "kubernetes-phoenix-guardian-phoenix-guardian";

let pg: PostgresServer;
beforeAll(async () => {
  pg = await PostgresServer.start();
}, 120_000);
afterAll(() => pg?.stop());

describe.each(["dev", "prod"] as const)("database roles of vault-config-%s on PostgreSQL 15", (env) => {
  let db: SynthesizedDatabase;
  let root: Login;
  let plugin: PostgresPlugin;

  beforeAll(async () => {
    // prod ships the connection pending its CA: these are its roles once the CA is provided.
    db = await synthesizedDatabase(env);
    // A fresh database per environment, laid out as a tenant's: tables owned by the application's owner role, the
    // connection's root user a CREATEROLE login that may pass on the table privileges (docs/tenants/phoenix-guardian.md).
    const owner = `${env}_owner`;
    root = { user: db.rootUser, password: `root-${env}-password`, database: db.database };
    pg.run(pg.superuser(), [
      `DROP DATABASE IF EXISTS "${db.database}" WITH (FORCE);`,
      `DROP ROLE IF EXISTS "${db.rootUser}";`,
      `CREATE ROLE "${owner}" NOLOGIN;`,
      `CREATE ROLE "${db.rootUser}" WITH LOGIN CREATEROLE PASSWORD '${root.password}';`,
      `GRANT pg_signal_backend TO "${db.rootUser}";`,
      `CREATE DATABASE "${db.database}" OWNER "${owner}";`,
    ].join("\n"));
    pg.run(pg.superuser(db.database), [
      `SET ROLE "${owner}";`,
      "CREATE TABLE patients (id int PRIMARY KEY, name text NOT NULL);",
      "CREATE TABLE appointments (id int PRIMARY KEY, patient int REFERENCES patients(id), at timestamptz);",
      "INSERT INTO patients VALUES (1, 'first');",
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${db.rootUser}" WITH GRANT OPTION;`,
    ].join("\n"));
    plugin = new PostgresPlugin(pg, root);
  }, 120_000);

  afterAll(() => {
    pg.run(pg.superuser(), `DROP DATABASE IF EXISTS "${db.database}" WITH (FORCE);\nDROP ROLE IF EXISTS "${db.rootUser}";\nDROP ROLE IF EXISTS "${env}_owner";`);
  });

  it("synthesizes the ADR's roles, each with creation and revocation statements", () => {
    expect(db.roles.map((r) => r.name).sort()).toEqual(Object.keys(ADR_GRANTS).sort());
    for (const r of db.roles) expect([r.name, r.creation.length > 0, r.revocation.length > 0]).toEqual([r.name, true, true]);
  });

  const roleNames = Object.keys(ADR_GRANTS);
  it.each(roleNames)("%s: the created user holds exactly the ADR's table privileges, can log in and use them", (name) => {
    const role = db.roles.find((r) => r.name === name)!;
    const cred = plugin.newUser(role, { displayName: DISPLAY_NAME, ttlSeconds: role.ttlSeconds });
    const user: Login = { user: cred.username, password: cred.password, database: db.database };
    try {
      const held = pg
        .run(root, TABLE_PRIVILEGES.flatMap((p) => ["patients", "appointments"].map((t) => `SELECT '${t}:${p}' WHERE has_table_privilege('${cred.username}', '${t}', '${p}');`)).join("\n"))
        .split("\n")
        .filter(Boolean)
        .sort();
      const expected = ADR_GRANTS[name].flatMap((p) => [`appointments:${p}`, `patients:${p}`]).sort();
      expect(held).toEqual(expected);
      // Used over a real login with the generated password.
      expect(pg.run(user, "SELECT name FROM patients WHERE id = 1;").trim()).toBe("first");
      const writes = ["INSERT INTO patients VALUES (100, 'new');", "UPDATE patients SET name = 'changed' WHERE id = 100;", "DELETE FROM patients WHERE id = 100;"];
      for (const sql of writes) expect([sql, pg.psql(user, sql).status === 0]).toEqual([sql, ADR_GRANTS[name].includes("INSERT")]);
      for (const sql of ["CREATE TABLE mine (id int);", "TRUNCATE patients;", "CREATE ROLE other;", "CREATE DATABASE other;"]) {
        expect([sql, pg.psql(user, sql).status]).toEqual([sql, 3]);
      }
    } finally {
      plugin.revokeUser(role, cred.username);
    }
  });

  it.each(roleNames)("%s: the user expires at the lease's end, and renewal moves it", (name) => {
    const role = db.roles.find((r) => r.name === name)!;
    const cred = plugin.newUser(role, { displayName: DISPLAY_NAME, ttlSeconds: role.ttlSeconds });
    const validUntil = () => Number(pg.run(root, `SELECT extract(epoch FROM rolvaliduntil) FROM pg_roles WHERE rolname = '${cred.username}';`).trim());
    try {
      expect(validUntil()).toBe(Math.floor(cred.expiration.getTime() / 1000));
      const renewed = new Date(cred.expiration.getTime() + role.ttlSeconds * 1000);
      plugin.renewUser(role, cred.username, renewed);
      expect(validUntil()).toBe(Math.floor(renewed.getTime() / 1000));
      // A lease past its end: the server refuses the password.
      plugin.renewUser(role, cred.username, new Date(Date.now() - 60_000));
      const login = pg.psql({ user: cred.username, password: cred.password, database: db.database }, "SELECT 1;");
      expect([login.status, login.stderr]).toEqual([2, expect.stringMatching(/password authentication failed/)]);
    } finally {
      plugin.revokeUser(role, cred.username);
    }
  });

  it.each(roleNames)("%s: revocation removes the user while it has a session open, and ends that session", async (name) => {
    const role = db.roles.find((r) => r.name === name)!;
    const cred = plugin.newUser(role, { displayName: DISPLAY_NAME, ttlSeconds: role.ttlSeconds });
    const user: Login = { user: cred.username, password: cred.password, database: db.database };
    const session = pg.session(user);
    try {
      expect((await session.query("SELECT count(*) FROM patients;")).stdout.trim()).toBe("1");
      plugin.revokeUser(role, cred.username);
      expect(pg.run(root, `SELECT count(*) FROM pg_roles WHERE rolname = '${cred.username}';`).trim()).toBe("0");
      const after = await session.query("SELECT count(*) FROM patients;");
      expect([after.stdout.trim(), after.stderr]).toEqual(["", expect.stringMatching(/terminating connection|server closed the connection|connection to server was lost/)]);
      expect(pg.psql(user, "SELECT 1;").status).toBe(2);
    } finally {
      session.close();
    }
  });

  it("revocation needs pg_signal_backend for the root user: without it, it fails and the user stays (the documented grant)", async () => {
    const role = db.roles[0];
    const cred = plugin.newUser(role, { displayName: DISPLAY_NAME, ttlSeconds: role.ttlSeconds });
    const session = pg.session({ user: cred.username, password: cred.password, database: db.database });
    try {
      await session.query("SELECT 1;");
      pg.run(pg.superuser(), `REVOKE pg_signal_backend FROM "${db.rootUser}";`);
      expect(() => plugin.revokeUser(role, cred.username)).toThrow(/pg_signal_backend|permission denied to terminate/);
      // One transaction: nothing of the revocation happened.
      expect(pg.run(root, `SELECT count(*) FROM pg_roles WHERE rolname = '${cred.username}';`).trim()).toBe("1");
    } finally {
      pg.run(pg.superuser(), `GRANT pg_signal_backend TO "${db.rootUser}";`);
      plugin.revokeUser(role, cred.username);
      session.close();
    }
  });
});
