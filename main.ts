/**
 * Entry point: validate every environment config and policy, then synthesize three stacks per environment with
 * the compliance rule packs applied. Nothing is written to cdktf.out/ unless everything is valid and compliant:
 * synth goes to a staging directory that replaces the output, atomically for readers, only on success
 * (synthesized/publish.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import { applyCompliance } from "./compliance";
import { checkAccessAtSynth } from "./access/least-privilege";
import { compilePolicy } from "./access/acl/policy";
import { formatViolation, violations } from "./compliance/evaluate";
import { RULE_IDS } from "./compliance/packs";
import { ConfigError, loadEnvironments, type LoadedEnvironment } from "./config/load";
import { checkPoliciesAcrossEnvironments, loadPolicies, type PolicySet } from "./config/policies";
import { pendingItems } from "./config/pending";
import { addEnvironment } from "./stacks/environment";
import { preflight } from "./stacks/preflight";
import { providerProblems } from "./stacks/provider-presence";
import { PLATFORM_MANIFEST, type PlatformManifest } from "./synthesized/manifest";
import { provenanceOf, pullRequestOf } from "./synthesized/provenance";
import { destructionSuppressions } from "./compliance/packs/data-safety/prevent-destroy";
import { checkStatefulLock, statefulInventory } from "./compliance/stateful-lock";
import { orphanLockProblems, readStatefulLock, withAdditions, writeStatefulLock, type StatefulLock } from "./config/stateful";
import { listDirectory } from "./config/files";
import { StackView } from "./synthesized/stack-view";
import { repairHclFile } from "./synthesized/hcl-export";
import { fileSystemError, OutputDirectory, PublishError } from "./synthesized/publish";

class ComplianceError extends Error {}

/** Refused edits of stateful resources: like a config error, reported all at once with nothing written. */
class StatefulLockError extends Error {}

/**
 * Everything synth checks before building a stack, for the configs in `configDir` and the policies in
 * `policyDir`: policy files, every config (schema, cross-field, what the stacks derive), policy use across
 * environments, least privilege and the policy tests. Throws one ConfigError with all problems of all files.
 */
export async function validateInputs(configDir: string, policyDir: string): Promise<{ policies: PolicySet; environments: LoadedEnvironment[] }> {
  const problems: string[] = [];
  let policies: PolicySet | undefined;
  try {
    policies = await loadPolicies(policyDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  let environments: LoadedEnvironment[] = [];
  try {
    environments = loadEnvironments(configDir, {
      policyNames: policies && new Set(policies.keys()),
      ruleIds: RULE_IDS,
      preflight,
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  // Every policy file is checked as Vault checks it on write (capabilities, parameters, TTLs), attached or not.
  for (const policy of policies?.values() ?? []) {
    try {
      compilePolicy(policy);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0 || !policies) throw new ConfigError(problems);
  checkPoliciesAcrossEnvironments(environments, policies);
  // Least privilege and the policy tests fail synth before any stack is built.
  checkAccessAtSynth(environments, policies, policyDir);
  return { policies, environments };
}

/**
 * Every environment's committed stateful lock, read and checked before any stack is built: a malformed lock, or a
 * lock whose environment no config defines, is a ConfigError naming the file and field.
 */
function readLocks(configDir: string, environments: readonly LoadedEnvironment[]): Map<string, StatefulLock | undefined> {
  const problems: string[] = [];
  const locks = new Map<string, StatefulLock | undefined>();
  for (const { config } of environments) {
    const read = readStatefulLock(configDir, config.environment);
    problems.push(...read.problems);
    locks.set(config.environment, read.lock);
  }
  problems.push(...orphanLockProblems(configDir, [...locks.keys()], listDirectory(configDir).entries ?? []));
  if (problems.length > 0) throw new ConfigError(problems);
  return locks;
}

/** What one successful synth wrote, for its one-line summary. */
interface SynthSummary {
  readonly environments: string[];
  readonly stacks: number;
  readonly resources?: number;
}

async function synthesize(outdir: string, updateLock: boolean): Promise<SynthSummary> {
  // On a pull request, GitHub's checkout is a merge commit: the payload names the head the reviewer approves.
  const source = provenanceOf(process.cwd(), new Date(), pullRequestOf(process.env.GITHUB_EVENT_NAME, process.env.GITHUB_EVENT_PATH));
  const configDir = process.env.VAULT_PLATFORM_CONFIG_DIR ?? "config";
  const { policies, environments } = await validateInputs(configDir, process.env.VAULT_PLATFORM_POLICY_DIR ?? "policies");
  const locks = readLocks(configDir, environments);

  // Let every stack synthesize even when one has violations, so one run reports all of them (as cdktf-cli does).
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS ??= "1";
  // cdktf's validations would run `terraform version` once per stack; the one that matters runs below, after synth.
  const app = new App({ outdir, skipValidation: true });
  const compliance = [];
  const environmentsWritten: PlatformManifest["environments"] = [];
  for (const { config } of environments) {
    const stacks = Object.values(addEnvironment(app, config, policies));
    // A deliberate destruction lifts prevent_destroy: it suppresses DAT-LIFE-001 for that address, with its reason.
    const suppressions = [...config.compliance.suppressions, ...destructionSuppressions(config.compliance.destructions)];
    compliance.push(await applyCompliance(stacks, suppressions));
    environmentsWritten.push({
      environment: config.environment,
      stacks: stacks.map((s) => s.node.id),
      suppressions,
      destructions: config.compliance.destructions,
      pending: pendingItems(config),
      tenants: config.applications.map((a) => ({ name: a.name, method: a.auth.method, role: a.auth.role, ownedPaths: a.ownedPaths })),
    });
  }
  app.synth();
  const unconfigured = providerProblems(app);
  if (unconfigured.length > 0) throw new Error(`stacks without their providers:\n  ${unconfigured.join("\n  ")}`);
  const failed = violations(compliance.flatMap((c) => c.findings()));
  if (failed.length > 0) {
    throw new ComplianceError(`compliance violations (${failed.length}):\n  ${failed.map(formatViolation).join("\n  ")}`);
  }
  // `cdktf synth --hcl` (SYNTH_HCL_OUTPUT, read by cdktf's TerraformStack) writes cdk.tf instead of cdk.tf.json: the
  // one-time export out of cdktf. The stateful lock compares JSON, so it runs on `npm run synth`, not on the export.
  const hcl = process.env.SYNTH_HCL_OUTPUT === "true" || process.env.SYNTH_HCL_OUTPUT === "1";
  if (hcl) {
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      repairHclFile(join(outdir, "stacks", stack.node.id, "cdk.tf"), (stack.toTerraform() as { terraform: Record<string, unknown> }).terraform);
    }
    process.stderr.write("HCL output: the stateful-lock comparison runs on the JSON synth (npm run synth), not here\n");
  }
  const resources = hcl ? undefined : checkStatefulResources(outdir, configDir, environments, environmentsWritten, locks, updateLock);
  const manifest: PlatformManifest = { source: await source, environments: environmentsWritten };
  // What the report needs beyond the stacks (environments and their suppressions), beside cdktf's manifest.
  writeFileSync(join(outdir, PLATFORM_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const env of environmentsWritten) {
    for (const p of env.pending ?? []) {
      process.stdout.write(`${env.environment}: pending: ${p.item} (and ${p.leftOut.join(", ") || "nothing else"}) is left out until ${p.field} holds ${p.awaiting}\n`);
    }
  }
  return { environments: environmentsWritten.map((e) => e.environment), stacks: environmentsWritten.flatMap((e) => e.stacks).length, resources };
}

/**
 * Compares each environment's synthesized stateful resources with its committed lock and refuses what a plan would
 * destroy or replace; with `--update-stateful-lock`, records them instead (after review of the change). New stateful
 * resources are recorded without the flag (a plan creates them, nothing is lost), and the lock file shows them in
 * the change. Returns how many resources the stacks hold.
 */
function checkStatefulResources(
  outdir: string,
  configDir: string,
  environments: readonly LoadedEnvironment[],
  written: PlatformManifest["environments"],
  locks: ReadonlyMap<string, StatefulLock | undefined>,
  updateLock: boolean,
): number {
  const problems: string[] = [];
  const inventories = new Map<string, StatefulLock>();
  let resources = 0;
  for (const { file, config } of environments) {
    const stacks = written.find((e) => e.environment === config.environment)!.stacks;
    const views = stacks.map((id) => new StackView(id, JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8"))));
    for (const v of views) resources += Object.values((v.json.resource ?? {}) as Record<string, object>).reduce((k, byName) => k + Object.keys(byName).length, 0);
    const current = statefulInventory(views);
    inventories.set(config.environment, current);
    const lock = locks.get(config.environment);
    if (!updateLock && lock) problems.push(...checkStatefulLock(file, config, lock, current));
  }
  if (problems.length > 0) {
    throw new StatefulLockError(
      `refused: stateful resources would be destroyed or replaced (${problems.length}); see docs/data-safety.md. Once the ` +
        `change is safe and reviewed, record it with npm run synth -- --update-stateful-lock:\n  ${problems.join("\n  ")}`,
    );
  }
  for (const [environment, current] of inventories) {
    if (updateLock) {
      writeStatefulLock(configDir, environment, current);
      continue;
    }
    const { merged, added } = withAdditions(locks.get(environment), current);
    if (added.length === 0) continue;
    writeStatefulLock(configDir, environment, merged);
    process.stdout.write(
      `${environment}: recorded ${added.length} new stateful resource(s) in ${join(configDir, `${environment}.stateful.json`)} (commit it with the change): ${added.join(", ")}\n`,
    );
  }
  return resources;
}

async function main(): Promise<void> {
  const updateLock = process.argv.includes("--update-stateful-lock");
  const out = new OutputDirectory(resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out"));
  let summary: SynthSummary;
  try {
    summary = await synthesize(out.begin(), updateLock);
  } catch (e) {
    out.discard();
    throw fileSystemError(e, out.outdir) ?? e;
  }
  try {
    await out.publish();
  } catch (e) {
    throw fileSystemError(e, out.outdir) ?? e;
  }
  const where = relative(process.cwd(), out.outdir);
  const n = summary.environments.length;
  process.stdout.write(
    `synthesized ${n} environment${n === 1 ? "" : "s"} (${summary.environments.join(", ")}): ${summary.stacks} stacks, ` +
      `${summary.resources === undefined ? "" : `${summary.resources} resources, `}${RULE_IDS.size} compliance rules passed; ` +
      `output in ${where === "" || where.startsWith("..") ? out.outdir : where}\n`,
  );
}

/** Prints what went wrong and exits 1: bad input as its message, a bug without a stack trace unless asked. */
function fail(e: unknown): never {
  if (e instanceof ConfigError || e instanceof ComplianceError || e instanceof StatefulLockError || e instanceof PublishError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    // A bug, not bad input: the message, and the stack only when asked for.
    const debug = process.env.VAULT_PLATFORM_DEBUG === "1";
    const detail = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e);
    process.stderr.write(`synth failed: ${detail}${debug ? "" : " (VAULT_PLATFORM_DEBUG=1 shows the stack trace)"}\n`);
  }
  process.exit(1);
}

if (require.main === module) main().catch(fail);
