/** The three stacks of one environment as main.ts wires them, checked with cdktf's own matchers. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, type App } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { Audit } from "@cdktf/provider-vault/lib/audit";
import { RaftAutopilot } from "@cdktf/provider-vault/lib/raft-autopilot";
import { addEnvironment, type EnvironmentStacks } from "../../stacks/environment";
import { configFor, defaultPolicies } from "../helpers";

describe.each(["dev", "prod"] as const)("the %s environment", (env) => {
  const config = configFor(env);
  let app: App;
  let stacks: EnvironmentStacks;
  let synthesized: { backup: string; cluster: string; vaultConfig: string };
  beforeAll(async () => {
    app = Testing.app();
    stacks = addEnvironment(app, config, await defaultPolicies());
    synthesized = { backup: Testing.synth(stacks.backup), cluster: Testing.synth(stacks.cluster), vaultConfig: Testing.synth(stacks.vaultConfig) };
  });

  it("names its stacks so that '*-<env>' selects them", () => {
    expect([stacks.backup, stacks.cluster, stacks.vaultConfig].map((s) => s.node.id)).toEqual([
      `vault-backup-${env}`,
      `vault-cluster-${env}`,
      `vault-config-${env}`,
    ]);
  });

  it("configures each provider without credentials in the synthesized JSON", () => {
    expect(synthesized.backup).toHaveProviderWithProperties(AwsProvider, { region: "eu-west-2", allowed_account_ids: [config.aws.accountId] });
    expect(synthesized.cluster).toHaveProviderWithProperties(KubernetesProvider, {});
    expect(synthesized.cluster).toHaveProviderWithProperties(HelmProvider, {});
    expect(synthesized.vaultConfig).toHaveProviderWithProperties(VaultProvider, { address: "${var.vault_address}" });
    expect(JSON.parse(synthesized.vaultConfig).variable.vault_address.default).toBe(`https://vault-active.${config.cluster.namespace}.svc:8200`);
    expect(JSON.parse(synthesized.vaultConfig).provider.vault[0].token).toBeUndefined();
  });

  it("keeps the backup keys rotated and the snapshot bucket versioned", () => {
    expect(synthesized.backup).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synthesized.backup).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
  });

  it("deploys the pinned chart and the snapshot CronJob", () => {
    expect(synthesized.cluster).toHaveResourceWithProperties(Release, {
      name: "vault",
      chart: "vault",
      repository: "https://helm.releases.hashicorp.com",
      version: "0.34.1",
    });
    expect(synthesized.cluster).toHaveResource(CronJobV1);
  });

  it("reads the backup stack's handles through remote state (the cross-stack wiring)", () => {
    // Cross-stack references are wired when the whole app synthesizes, as `cdktf synth` does.
    app.synth();
    const cluster = readFileSync(join(app.outdir, "stacks", `vault-cluster-${env}`, "cdk.tf.json"), "utf8");
    const backup = JSON.parse(readFileSync(join(app.outdir, "stacks", `vault-backup-${env}`, "cdk.tf.json"), "utf8"));
    const remote = JSON.parse(cluster).data.terraform_remote_state[`cross-stack-reference-input-vault-backup-${env}`];
    // It reads the backup stack's own state: the local file in dev, its S3 key in prod.
    expect(remote.backend).toBe(config.stateBackend.type);
    expect(JSON.stringify(remote.config)).toContain(`vault-backup-${env}.tfstate`);
    const release = Object.values(JSON.parse(cluster).resource.helm_release)[0] as { values: string[] };
    const output = /data\.terraform_remote_state\.cross-stack-reference-input-vault-backup-[a-z]+\.outputs\.([\w-]+)/.exec(release.values[0]);
    expect(output?.[1]).toMatch(/^cross-stack-output-aws_kms_keyunseal-key/);
    expect(backup.output[output![1]].value).toMatch(/^\$\{aws_kms_key\.unseal-key\.arn\}$/);
  });

  it("configures two audit devices and autopilot with a quorum of the voters", () => {
    expect(synthesized.vaultConfig).toHaveResourceWithProperties(Audit, { type: "file", path: "file" });
    expect(synthesized.vaultConfig).toHaveResourceWithProperties(Audit, { type: "file", path: "stdout" });
    expect(synthesized.vaultConfig).toHaveResourceWithProperties(RaftAutopilot, { cleanup_dead_servers: true, min_quorum: config.cluster.replicas });
  });
});

describe("manifest.json (what `cdktf deploy '*-<env>'` orders by)", () => {
  let manifest: { stacks: Record<string, { dependencies: string[] }> };
  beforeAll(async () => {
    const app = Testing.app();
    const policies = await defaultPolicies();
    for (const env of ["dev", "prod"] as const) addEnvironment(app, configFor(env), policies);
    app.synth();
    manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8"));
  });

  it.each(["dev", "prod"])("orders %s backup -> cluster -> config", (env) => {
    const deps = (stack: string) => manifest.stacks[`${stack}-${env}`].dependencies;
    expect(deps("vault-backup")).toEqual([]);
    expect(deps("vault-cluster")).toEqual([`vault-backup-${env}`]);
    expect(deps("vault-config")).toEqual([`vault-cluster-${env}`]);
  });

  it("never makes a stack depend on another environment's", () => {
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      const env = id.split("-").pop();
      for (const dep of stack.dependencies) expect(dep.endsWith(`-${env}`)).toBe(true);
    }
  });
});
