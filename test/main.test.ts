/** The command a user runs: `npm run synth` (main.ts) end to end, in a scratch output directory. */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ROOT, rawConfig } from "./helpers";
import { RULE_IDS } from "../compliance/packs";

function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("npm run synth", () => {
  let outdir: string;
  let result: ReturnType<typeof synth>;

  beforeAll(() => {
    outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-synth-")), "cdktf.out");
    result = synth({ CDKTF_OUTDIR: outdir });
  }, 120_000);

  it("synthesizes three stacks per environment from config/", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([
      "vault-backup-dev",
      "vault-backup-prod",
      "vault-cluster-dev",
      "vault-cluster-prod",
      "vault-config-dev",
      "vault-config-prod",
    ]);
  });

  it("gives each stack its providers", () => {
    const providers = (stack: string) =>
      Object.keys(JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).provider).sort();
    expect(providers("vault-backup-prod")).toContain("aws");
    expect(providers("vault-cluster-prod")).toEqual(["helm", "kubernetes"]);
    expect(providers("vault-config-prod")).toEqual(["vault"]);
  });

  it("keeps dev state local and prod state in encrypted, locked S3, one key per stack", () => {
    const backend = (stack: string) =>
      JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).terraform.backend;
    expect(backend("vault-config-dev")).toEqual({ local: { path: "../../../.state/vault-config-dev.tfstate" } });
    for (const stack of ["vault-backup-prod", "vault-cluster-prod", "vault-config-prod"]) {
      expect(backend(stack)).toEqual({
        s3: {
          bucket: "vault-platform-prod-terraform-state",
          key: `vault-platform/${stack}.tfstate`,
          region: "eu-west-2",
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it("leaves what npm run report needs, which writes the Markdown and HTML reports", () => {
    const report = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/report.ts", outdir], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(report.stderr).toBe("");
    expect(report.status).toBe(0);
    const md = readFileSync(join(outdir, "compliance-report.md"), "utf8");
    expect(md).toMatch(/^# vault-platform compliance report\n/);
    expect(md).toMatch(/^## Summary\n/m);
    // prod (the reference) in full, every other environment as its differences from prod.
    expect(md).toMatch(/^## Environment prod\n[\s\S]*^## Environment dev: differences from prod\n/m);
    expect(readFileSync(join(outdir, "compliance-report.html"), "utf8")).toMatch(/^<!doctype html>[\s\S]*<h2 id="summary">[\s\S]*<h2 id="prod">/);
    // Beside them: SARIF for code scanning, which holds no suppressed check (GitHub would open an alert for each),
    // and every check as JSON, the suppressed ones with their owner.
    const sarif = JSON.parse(readFileSync(join(outdir, "compliance-report.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([]);
    const suppressions = (["dev", "prod"] as const).flatMap((env) => (rawConfig(env) as any).compliance.suppressions);
    const json = JSON.parse(readFileSync(join(outdir, "compliance-findings.json"), "utf8"));
    expect(json.environments.map((e: any) => e.environment)).toEqual(["dev", "prod"]);
    const suppressed = json.environments.flatMap((e: any) => e.findings.filter((f: any) => f.status === "suppressed"));
    expect(suppressed.map((f: any) => f.suppression.owner).sort()).toEqual(suppressions.map((x: any) => x.owner).sort());
    expect(json.provenance.commit).toMatch(/^[0-9a-f]{40}$/);
  }, 60_000);

  it("writes no credential into any synthesized stack", () => {
    for (const stack of readdirSync(join(outdir, "stacks"))) {
      const text = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|"(token|password|secret_key|access_key)"\s*:\s*"[^$]/i);
    }
  });
});

describe("npm run synth with an invalid config", () => {
  it("fails with every problem, naming file and field, and writes nothing", () => {
    const configDir = mkdtempSync(join(tmpdir(), "vault-platform-bad-"));
    const raw: any = rawConfig("prod");
    raw.cluster.replicas = 4;
    raw.backup.retentionDays = 0;
    writeFileSync(join(configDir, "prod.yaml"), stringify(raw));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");

    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/prod\.yaml: cluster\.replicas: must be an odd number from 3 to 7 \(got 4\)/);
    expect(result.stderr).toMatch(/prod\.yaml: backup\.retentionDays: .*\(got 0\)/);
    expect(result.stdout).toBe("");
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(join(outdir, ".."))).toEqual([]);
  }, 60_000);
});

describe("npm run synth with a compliance violation", () => {
  it("fails with rule id, resource address, what was found and the fix, and writes nothing", () => {
    const configDir = mkdtempSync(join(tmpdir(), "vault-platform-weak-"));
    const raw: any = rawConfig("dev");
    // A valid config choice that a rule flags: it needs an explicit suppression with a reason.
    raw.backup.encryption = "aes256";
    raw.backup.encryptionReason = "parity with the CheckTick runbook";
    writeFileSync(join(configDir, "dev.yaml"), stringify(raw));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");

    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^compliance violations \(1\):\n/);
    expect(result.stderr).toMatch(
      /\[AWS-S3-002\] vault-backup-dev aws_s3_bucket\.snapshots: .*\. Found: .*AES256.*\. Fix: /,
    );
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(join(outdir, ".."))).toEqual([]);
  }, 60_000);
});

describe("npm run synth with an expired suppression", () => {
  it("fails with a config error naming file, field and expiry, and leaves the previous output untouched", () => {
    const configDir = mkdtempSync(join(tmpdir(), "vault-platform-expired-"));
    const raw: any = rawConfig("prod");
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    raw.compliance.suppressions[0].expires = yesterday;
    writeFileSync(join(configDir, "prod.yaml"), stringify(raw));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");
    mkdirSync(outdir);
    writeFileSync(join(outdir, "previous.txt"), "previous synth");

    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`prod\\.yaml: compliance\\.suppressions\\[0\\]\\.expires: ${raw.compliance.suppressions[0].rule} on \\S+ expired on ${yesterday} \\(today is `),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outdir)).toEqual(["previous.txt"]);
  }, 60_000);
});

describe("npm run synth with an edit that would destroy a stateful resource", () => {
  const withLock = (edit: (raw: any) => void) => {
    const configDir = mkdtempSync(join(tmpdir(), "vault-platform-stateful-"));
    const raw: any = rawConfig("prod");
    edit(raw);
    writeFileSync(join(configDir, "prod.yaml"), stringify(raw));
    copyFileSync(join(ROOT, "config", "prod.stateful.json"), join(configDir, "prod.stateful.json"));
    return { configDir, raw };
  };

  it("refuses, saying how to make the change safely, and leaves the previous output untouched", () => {
    const { configDir } = withLock((raw) => (raw.cluster.namespace = "vault-system"));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");
    mkdirSync(outdir);
    writeFileSync(join(outdir, "previous.txt"), "previous synth");

    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^refused: stateful resources would be destroyed or replaced \(1\)/);
    expect(result.stderr).toMatch(/prod\.yaml: vault-cluster-prod: `kubernetes_namespace_v1\.namespace` metadata\.name changes from "vault" to "vault-system" \(set by cluster\.namespace\)/);
    expect(result.stderr).toContain("Safely: a namespace cannot be renamed");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outdir)).toEqual(["previous.txt"]);
  }, 60_000);

  it("records a new stateful resource without any flag, naming it, and says what it wrote", () => {
    const { configDir, raw } = withLock((r) => r.vault.kv.push({ path: "billing-kv" }));
    const before = JSON.parse(readFileSync(join(configDir, "prod.stateful.json"), "utf8"));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");
    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`prod: recorded 1 new stateful resource(s) in ${join(configDir, "prod.stateful.json")} (commit it with the change): vault-config-prod vault_mount.kv_billing-kv`);
    const after = JSON.parse(readFileSync(join(configDir, "prod.stateful.json"), "utf8"));
    expect(after["vault-config-prod"]["vault_mount.kv_billing-kv"]).toHaveProperty("type", "kv");
    delete after["vault-config-prod"]["vault_mount.kv_billing-kv"];
    expect(after).toEqual(before);
    // The summary: environments, stacks, resources and rules counted from what was written.
    const stacks = readdirSync(join(outdir, "stacks")).sort();
    const resources = stacks.reduce((n, id) => {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
      return n + Object.values(json.resource as Record<string, object>).reduce((k, byName) => k + Object.keys(byName).length, 0);
    }, 0);
    expect(result.stdout).toContain(`synthesized 1 environment (${raw.environment}): ${stacks.length} stacks, ${resources} resources, ${RULE_IDS.size} compliance rules passed; output in ${outdir}\n`);
    // Nothing new the second time: the lock is not rewritten.
    expect(synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir }).stdout).not.toContain("recorded");
  }, 60_000);

  it("records the reviewed change with --update-stateful-lock, after which synth passes", () => {
    const { configDir } = withLock((raw) => (raw.cluster.namespace = "vault-system"));
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");
    const update = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts", "--update-stateful-lock"], {
      cwd: ROOT,
      env: { ...process.env, VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(update.status).toBe(0);
    const lock = JSON.parse(readFileSync(join(configDir, "prod.stateful.json"), "utf8"));
    expect(lock["vault-cluster-prod"]["kubernetes_namespace_v1.namespace"]).toEqual({ "metadata.name": "vault-system" });
    expect(synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir }).status).toBe(0);
  }, 60_000);

  it("lets a deliberate destruction through, records it for the plan gate and lists it in the report", () => {
    const destruction = { resource: "kubernetes_namespace_v1.namespace", reason: "moving Vault to vault-system after a snapshot and restore (OPS-300)", owner: "platform-team", expires: "2099-12-31" };
    const { configDir } = withLock((raw) => {
      raw.cluster.namespace = "vault-system";
      raw.compliance.destructions = [destruction];
    });
    const outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-out-")), "cdktf.out");
    const result = synth({ VAULT_PLATFORM_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const cluster = JSON.parse(readFileSync(join(outdir, "stacks", "vault-cluster-prod", "cdk.tf.json"), "utf8"));
    expect(cluster.resource.kubernetes_namespace_v1.namespace.lifecycle).toEqual({ prevent_destroy: false });
    const manifest = JSON.parse(readFileSync(join(outdir, "vault-platform.json"), "utf8"));
    expect(manifest.environments[0].destructions).toEqual([destruction]);
    const report = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/report.ts", outdir], { cwd: ROOT, encoding: "utf8" });
    expect(report.status).toBe(0);
    const md = readFileSync(join(outdir, "compliance-report.md"), "utf8");
    expect(md).toContain(`| \`${destruction.resource}\` | ${destruction.reason} | platform-team | 2099-12-31 |`);
    expect(md).toMatch(/\| \[DAT-LIFE-001\]\(#prod--rule-dat-life-001\) \| vault-cluster-prod `kubernetes_namespace_v1\.namespace` \| deliberate destruction: moving Vault/);
  }, 120_000);
});
