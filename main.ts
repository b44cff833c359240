/**
 * Entry point: validate every environment config and policy, then synthesize three stacks per environment with
 * the compliance rule packs applied. Nothing is written to cdktf.out/ unless everything is valid and compliant:
 * synth goes to a staging directory that replaces the output only on success.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { applyCompliance } from "./compliance";
import { checkAccessAtSynth } from "./access/least-privilege";
import { formatViolation, violations } from "./compliance/evaluate";
import { RULE_IDS } from "./compliance/packs";
import { ConfigError, loadEnvironments } from "./config/load";
import { checkPoliciesAcrossEnvironments, loadPolicies } from "./config/policies";
import { addEnvironment } from "./stacks/environment";
import { PLATFORM_MANIFEST, type PlatformManifest } from "./synthesized/manifest";
import { provenanceOf } from "./synthesized/provenance";

class ComplianceError extends Error {}

async function synthesize(outdir: string): Promise<void> {
  const source = provenanceOf(process.cwd());
  const configDir = process.env.VAULT_PLATFORM_CONFIG_DIR ?? "config";
  const policyDir = process.env.VAULT_PLATFORM_POLICY_DIR ?? "policies";

  const policies = await loadPolicies(policyDir);
  const environments = loadEnvironments(configDir, { policyNames: new Set(policies.keys()), ruleIds: RULE_IDS });
  checkPoliciesAcrossEnvironments(environments, policies);
  // Least privilege and the policy tests fail synth before any stack is built.
  checkAccessAtSynth(environments, policies, policyDir);

  // Let every stack synthesize even when one has violations, so one run reports all of them (as cdktf-cli does).
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS ??= "1";
  const app = new App({ outdir });
  const compliance = [];
  const environmentsWritten: PlatformManifest["environments"] = [];
  for (const { config } of environments) {
    const stacks = Object.values(addEnvironment(app, config, policies));
    compliance.push(await applyCompliance(stacks, config.compliance.suppressions));
    environmentsWritten.push({
      environment: config.environment,
      stacks: stacks.map((s) => s.node.id),
      suppressions: config.compliance.suppressions,
    });
  }
  app.synth();
  const failed = violations(compliance.flatMap((c) => c.findings()));
  if (failed.length > 0) {
    throw new ComplianceError(`compliance violations (${failed.length}):\n  ${failed.map(formatViolation).join("\n  ")}`);
  }
  const manifest: PlatformManifest = { source: await source, environments: environmentsWritten };
  // What the report needs beyond the stacks (environments and their suppressions), beside cdktf's manifest.
  writeFileSync(join(outdir, PLATFORM_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function main(): Promise<void> {
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await synthesize(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof ComplianceError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`synth failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
