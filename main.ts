/**
 * Entry point: validate every environment config and policy, then synthesize three stacks per environment.
 * Nothing is written to cdktf.out/ unless everything is valid: synth goes to a temporary directory that
 * replaces the output only on success.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments } from "./config/load";
import { loadPolicies } from "./config/policies";
import { addEnvironment } from "./stacks/environment";

async function main(): Promise<void> {
  const configDir = process.env.VAULT_PLATFORM_CONFIG_DIR ?? "config";
  const policyDir = process.env.VAULT_PLATFORM_POLICY_DIR ?? "policies";
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");

  const policies = await loadPolicies(policyDir);
  const environments = loadEnvironments(configDir, { policyNames: new Set(policies.keys()), ruleIds: new Set() });

  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging });
    for (const { config } of environments) addEnvironment(app, config, policies);
    app.synth();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`synth failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
