/**
 * Each edit the issue lists either keeps every stateful address and attribute (so a plan destroys nothing), or is
 * refused at synth with how to make it safely. Expectations come from the committed lock and the config.
 */
import { join } from "node:path";
import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../config/schema";
import { STATEFUL_TYPES, readStatefulLock, type StatefulLock } from "../../config/stateful";
import { checkStatefulLock, statefulInventory } from "../../compliance/stateful-lock";
import { addEnvironment } from "../../stacks/environment";
import { StackView } from "../../synthesized/stack-view";
import { ROOT, configFor, defaultPolicies, provideDatabaseCa, synthJson } from "../helpers";

const lock = readStatefulLock(join(ROOT, "config"), "prod").lock!;

async function synthesized(config: EnvironmentConfig): Promise<{ current: StatefulLock; views: StackView[] }> {
  const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies()));
  const views = stacks.map((s) => new StackView(s.node.id, synthJson(s)));
  return { current: statefulInventory(views), views };
}

async function problemsAfter(edit: (raw: Record<string, any>) => void): Promise<string[]> {
  const config = configFor("prod", edit);
  return checkStatefulLock("config/prod.yaml", config, lock, (await synthesized(config)).current);
}

/** Renames KV mount `from` to `to` everywhere the config names it (identities reference mounts by path). */
function renameKv(raw: Record<string, any>, from: string, to: string, keepId: boolean): void {
  const mount = raw.vault.kv.find((m: any) => m.path === from);
  if (keepId) mount.id = from;
  mount.path = to;
  for (const id of [...raw.applications, ...raw.platform]) id.kvMounts = id.kvMounts?.map((m: string) => (m === from ? to : m));
}

// Each case synthesizes the three prod stacks; under a loaded machine that takes more than jest's default 5 s.
jest.setTimeout(60_000);

describe("stateful lock at synth", () => {
  it("accepts the default config and ordinary edits (a new KV mount, a longer retention)", async () => {
    expect(await problemsAfter(() => undefined)).toEqual([]);
    expect(
      await problemsAfter((raw) => {
        raw.vault.kv.push({ path: "billing" });
        raw.backup.retentionDays = 60;
      }),
    ).toEqual([]);
  });

  it("keeps the address when a KV mount's path is renamed with its id kept: an in-place remount", async () => {
    const config = configFor("prod", (raw) => renameKv(raw, "voicehive", "voicehive-kv", true));
    const { current, views } = await synthesized(config);
    expect(checkStatefulLock("config/prod.yaml", config, lock, current)).toEqual([]);
    // Every locked address is still synthesized (an application onboarded since adds its own, recorded by synth).
    expect(Object.keys(current["vault-config-prod"]!)).toEqual(expect.arrayContaining(Object.keys(lock["vault-config-prod"]!)));
    const mount = views.find((v) => v.id === "vault-config-prod")!.all().find((b) => b.address === "vault_mount.kv_voicehive")!;
    expect(mount.attributes.path).toBe("voicehive-kv");
  });

  it("refuses a KV path rename that drops the id, naming the old and the new address", async () => {
    const problems = await problemsAfter((raw) => renameKv(raw, "voicehive", "voicehive-kv", false));
    expect(problems).toEqual([expect.stringContaining("`vault_mount.kv_voicehive` is no longer synthesized: the next plan destroys it")]);
    expect(problems[0]).toMatch(/If it was renamed to (`[\w.-]+` or )*`vault_mount\.kv_voicehive-kv`( or `[\w.-]+`)*, keep its old stable `id`/);
  });

  it("refuses a ForceNew attribute going from unset to set: Object Lock added to dev's snapshot bucket", async () => {
    const devLock = readStatefulLock(join(ROOT, "config"), "dev").lock!;
    const config = configFor("dev", (raw) => (raw.backup.objectLock = { mode: "GOVERNANCE", days: 7 }));
    const { current } = await synthesized(config);
    // The buckets the edit turns Object Lock on for, which the lock records without it (the snapshot bucket).
    const locked = Object.entries(current["vault-backup-dev"]!)
      .filter(([a, attrs]) => a.startsWith("aws_s3_bucket.") && attrs.object_lock_enabled === true && !("object_lock_enabled" in (devLock["vault-backup-dev"]![a] ?? {})))
      .map(([a]) => a);
    expect(locked.length).toBeGreaterThan(0);
    const problems = checkStatefulLock("config/dev.yaml", config, devLock, current);
    for (const address of locked) {
      const about = problems.find((p) => p.includes(`\`${address}\` object_lock_enabled changes from (unset) to true`));
      expect(about).toContain(`Safely: ${STATEFUL_TYPES.aws_s3_bucket!.safely}`);
    }
  });

  it("refuses a namespace change, naming cluster.namespace and the safe path", async () => {
    const problems = await problemsAfter((raw) => (raw.cluster.namespace = "vault-system"));
    expect(problems).toEqual([
      expect.stringMatching(/^config\/prod\.yaml: vault-cluster-prod: `kubernetes_namespace_v1\.namespace` metadata\.name changes from "vault" to "vault-system" \(set by cluster\.namespace\), which replaces it, losing everything in the namespace, including Vault's Raft volumes\. Safely: .*Raft snapshot/),
    ]);
  });

  it("refuses a PKI root common name change and a PKI root path change", async () => {
    const cn = await problemsAfter((raw) => (raw.vault.pki.rootCommonName = "Platform Root CA"));
    expect(cn).toEqual([expect.stringContaining("`vault_pki_secret_backend_root_cert.pki_root-cert` common_name changes from")]);
    expect(cn[0]).toContain("(set by vault.pki.rootCommonName)");
    const path = await problemsAfter((raw) => (raw.vault.pki.rootPath = "pki-root"));
    expect(path).toEqual([expect.stringContaining('`vault_pki_secret_backend_root_cert.pki_root-cert` backend changes from "pki" to "pki-root"')]);
  });

  it("refuses a database connection rename, with or without its id", async () => {
    const rename = (keepId: boolean) => (raw: Record<string, any>) => {
      const c = raw.vault.database.connections[0];
      if (keepId) c.id = c.name;
      for (const r of raw.vault.database.roles) if (r.connection === c.name) r.connection = "phoenix-db";
      c.name = "phoenix-db";
    };
    // prod ships the connection pending its CA: this is the connection once provided and applied.
    const applied = (await synthesized(configFor("prod", provideDatabaseCa))).current;
    const address = Object.keys(applied["vault-config-prod"]!).find((a) => a.startsWith("vault_database_secret_backend_connection."))!;
    const problems = async (edit: (raw: Record<string, any>) => void) => {
      const config = configFor("prod", (raw) => (provideDatabaseCa(raw), edit(raw)));
      return checkStatefulLock("config/prod.yaml", config, applied, (await synthesized(config)).current);
    };
    expect(await problems(rename(true))).toEqual([expect.stringContaining(`\`${address}\` name changes from "phoenix-guardian-db" to "phoenix-db"`)]);
    expect(await problems(rename(false))).toEqual([expect.stringContaining(`\`${address}\` is no longer synthesized`)]);
    // Marking an applied connection pending would destroy it too: refused the same way.
    expect(await problems((raw) => (raw.vault.database.connections[0].tlsCa = "pending"))).toEqual([expect.stringContaining(`\`${address}\` is no longer synthesized`)]);
  });

  it("refuses removing backup.replication: the replica key and buckets would be destroyed", async () => {
    const problems = await problemsAfter((raw) => delete raw.backup.replication);
    const replica = Object.keys(lock["vault-backup-prod"]!).filter((a) => a.includes("replica"));
    expect(replica.length).toBe(3);
    expect(problems).toEqual(replica.map((a) => expect.stringContaining(`\`${a}\` is no longer synthesized`)));
    expect(problems.find((p) => p.includes("aws_kms_key.replica-key"))).toContain("losing every ciphertext under the key");
  });

  it("lets a deliberate destruction through, and only that one, with prevent_destroy lifted", async () => {
    const destruction = { resource: "aws_kms_key.replica-key", reason: "replica region retired (OPS-42)", owner: "platform-team", expires: "2099-01-01" };
    const config = configFor("prod", (raw) => {
      delete raw.backup.replication;
      raw.compliance.destructions = [destruction];
    });
    const problems = checkStatefulLock("config/prod.yaml", config, lock, (await synthesized(config)).current);
    expect(problems.some((p) => p.includes("aws_kms_key.replica-key"))).toBe(false);
    expect(problems.length).toBe(2);

    const kept = configFor("prod", (raw) => (raw.compliance.destructions = [{ ...destruction, resource: "aws_kms_key.backup-key" }]));
    const key = (await synthesized(kept)).views.find((v) => v.id === "vault-backup-prod")!.all().find((b) => b.address === "aws_kms_key.backup-key")!;
    expect(key.attributes.lifecycle).toEqual({ prevent_destroy: false });
  });
});
