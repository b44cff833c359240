/**
 * Names that differ in config but become the same construct id: validation names both fields, and each case is
 * shown to be real by building the same names past validation, where the constructs library refuses them.
 */
import { Testing, TerraformStack } from "cdktf";
import { validateEnvironment } from "../../config/load";
import { AuditDevices } from "../../constructs/audit-devices";
import { KvMounts } from "../../constructs/kv-mounts";
import { VaultConfigStack } from "../../stacks/vault-config-stack";
import { configFor, defaultPolicies, provideDatabaseCa, rawConfig } from "../helpers";

function problems(edit: (raw: any) => void): string[] {
  const raw: any = rawConfig("prod");
  edit(raw);
  return validateEnvironment(raw).problems;
}

const kvMount = (path: string) => ({ path, maxVersions: 10, casRequired: true, ttls: { defaultLeaseTtl: "1h", maxLeaseTtl: "24h" } });

describe("construct-id collisions", () => {
  it("fails if two KV paths become the same id ('/' becomes '_'), naming both", () => {
    expect(problems((c) => c.vault.kv.push({ path: "team/a" }, { path: "team_a" }))).toContainEqual(
      expect.stringMatching(/^vault\.kv\[\d+\]\.path: collides with vault\.kv\[\d+\]\.path \("team\/a"\) on the construct id "team_a"; rename one \(got "team_a"\)$/),
    );
    const stack = new TerraformStack(Testing.app(), "kv");
    expect(() => new KvMounts(stack, "kv", { mounts: [kvMount("team/a"), kvMount("team_a")] })).toThrow(/already a Construct with name 'team_a'/);
  });

  it("fails if a KV path becomes another mount's configuration id (<path>-config)", () => {
    expect(problems((c) => c.vault.kv.push({ path: "billing" }, { path: "billing-config" }))).toContainEqual(
      expect.stringMatching(/vault\.kv\[\d+\]\.path: collides with vault\.kv\[\d+\]\.path \("billing"\) on the construct id "billing-config"/),
    );
    const stack = new TerraformStack(Testing.app(), "kv");
    expect(() => new KvMounts(stack, "kv", { mounts: [kvMount("billing"), kvMount("billing-config")] })).toThrow(/already a Construct with name 'billing-config'/);
  });

  it("fails if two audit device paths become the same id", () => {
    expect(problems((c) => c.vault.audit.push({ ...c.vault.audit[0], path: "team/a" }, { ...c.vault.audit[0], path: "team_a" }))).toContainEqual(
      expect.stringMatching(/^vault\.audit\[\d+\]\.path: collides with vault\.audit\[\d+\]\.path \("team\/a"\) on the construct id "team_a"/),
    );
    const device = (path: string) => ({ type: "file" as const, path, filePath: "/vault/audit/a.log" });
    const stack = new TerraformStack(Testing.app(), "audit");
    expect(() => new AuditDevices(stack, "audit", { devices: [device("team/a"), device("team_a")] })).toThrow(/already a Construct with name 'team_a'/);
  });

  it("fails if two database connections differ only in '-' and '_' (their root-password variables collide)", async () => {
    const edit = (c: any) => {
      const first = c.vault.database.connections[0];
      c.vault.database.connections.push({ ...first, name: "pg-db" }, { ...first, name: "pg_db" });
    };
    expect(problems(edit)).toContainEqual(
      expect.stringMatching(/^vault\.database\.connections\[\d+\]\.name: collides with vault\.database\.connections\[\d+\]\.name \("pg-db"\) on the construct id "database_root_password_pg_db"/),
    );
    // Past validation, the stack cannot be built.
    const config: any = configFor("prod", provideDatabaseCa);
    edit(config);
    const policies = await defaultPolicies();
    expect(
      () => new VaultConfigStack(Testing.app(), "vault-config-prod", { config, cluster: { vaultAddress: "https://vault-active.vault.svc:8200", namespace: "vault", tlsSecretName: "t", caConfigMap: { name: "vault-ca", key: "ca.crt", namespaces: [] } }, policies }),
    ).toThrow(/already a Construct with name 'database_root_password_pg_db'/);
  });

  it("fails if a database connection is named like a fixed id of the engine or the stack", () => {
    const found = problems((c) => {
      const first = c.vault.database.connections[0];
      c.vault.database.connections.push({ ...first, name: "mount" }, { ...first, name: "version" });
    });
    expect(found).toContainEqual(expect.stringMatching(/connections\[\d+\]\.name: becomes the construct id "mount", which the database mount already uses/));
    expect(found).toContainEqual(expect.stringMatching(/connections\[\d+\]\.name: becomes the construct id "database_root_password_version", which the root password version variable/));
  });

  it("fails once per field if a database connection or a PKI role name is duplicated", () => {
    const found = problems((c) => {
      c.vault.database.connections.push({ ...c.vault.database.connections[0] });
      c.vault.pki.roles.push({ ...c.vault.pki.roles[0] });
    });
    const connections = rawConfig("prod") as any;
    const n = connections.vault.database.connections.length;
    const roles = connections.vault.pki.roles.length;
    expect(found.filter((p) => p.startsWith(`vault.database.connections[${n}].name:`))).toEqual([
      expect.stringMatching(/must be unique \(also used by vault\.database\.connections\[0\]\.name\)/),
    ]);
    expect(found.filter((p) => p.startsWith(`vault.pki.roles[${roles}]`))).toEqual([expect.stringMatching(/must be unique/)]);
  });

  it("accepts the committed configs (no collisions among the shipped names)", () => {
    for (const env of ["dev", "prod"] as const) expect(validateEnvironment(rawConfig(env)).problems).toEqual([]);
  });
});
