/**
 * What GitHub must hold so that no pull request reaches production (docs/security.md), derived from the workflows and
 * the environment configs (scripts/check-github-setup.ts asks GitHub's API whether it does; the rehearsal sets up its
 * GitHub this way):
 * - every environment a main-branch workflow's job uses deploys from `main` only (custom branch policy `main`);
 * - every environment whose jobs can change production (a Vault role equivalent to an administrator is bound to it,
 *   or a job in it assumes an AWS role other than the plan role) has required reviewers who may not approve their own
 *   run (`prevent_self_review`);
 * - the runner group of each deploy runner scale set (named like the scale set: ARC's `runnerGroup`) is restricted to
 *   the main-branch workflows that run on it, so a pull request's job is never picked up there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { EnvironmentConfig } from "./schema";

export interface EnvironmentSetup {
  /** Branches it deploys from. */
  readonly branches: readonly string[];
  /** Whether it needs required reviewers (and prevent_self_review), and why. */
  readonly reviewers?: string;
}

export interface GitHubSetup {
  readonly environments: Record<string, EnvironmentSetup>;
  /** By runner group name (= the deploy runner scale set's runs-on): the workflows it may run. */
  readonly runnerGroups: Record<string, readonly string[]>;
}

export interface WorkflowFile {
  readonly file: string;
  readonly text: string;
}

type Job = Record<string, unknown>;

export function workflowFiles(root: string): WorkflowFile[] {
  const dir = join(root, ".github", "workflows");
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

/** A job's environment names: an expression in it (`restore-drill-${{ matrix.environment }}`) stands for each environment. */
/** A job's `environment` as written (a name, or `{ name, url }`). */
export const environmentName = (job: Job): string | undefined =>
  typeof job.environment === "object" && job.environment ? (job.environment as { name: string }).name : (job.environment as string | undefined);

function environmentsOf(job: Job, environments: readonly string[]): string[] {
  const raw = environmentName(job);
  if (!raw) return [];
  return raw.includes("${{") ? environments.map((e) => raw.replace(/\$\{\{[^}]*\}\}/g, e)) : [raw];
}

const PLAN_ROLE_VARIABLE = "AWS_PLAN_ROLE_ARN";

/**
 * The setup the workflows need. `adminEnvironments`: GitHub environments that Vault roles equivalent to an
 * administrator are bound to (from the access model; {@link adminEnvironmentsOf}).
 */
export function expectedSetup(repository: string, workflows: readonly WorkflowFile[], configs: readonly EnvironmentConfig[], adminEnvironments: readonly string[]): GitHubSetup {
  const names = configs.map((c) => c.environment);
  const environments: Record<string, { branches: string[]; reviewers?: string }> = {};
  const runnerGroups: Record<string, string[]> = {};
  const parsed = workflows.map(({ file, text }) => ({ file, text, wf: parse(text) as { on?: Record<string, unknown>; jobs?: Record<string, Job> } }));
  const fromPullRequests = (w: (typeof parsed)[number]) => Boolean(w.wf.on && "pull_request" in w.wf.on);
  // A pull request's plan environment cannot be limited to main; it must hold nothing that writes (docs/security.md).
  const planEnvironments = new Set(parsed.filter(fromPullRequests).flatMap((w) => Object.values(w.wf.jobs ?? {}).flatMap((j) => environmentsOf(j, names))));
  for (const { file, text, wf } of parsed.filter((w) => !fromPullRequests(w))) {
    for (const [id, job] of Object.entries(wf.jobs ?? {})) {
      const writes = [...JSON.stringify(job).matchAll(/\bvars\.(AWS_[A-Z0-9_]*ROLE_ARN)\b/g)].map((m) => m[1]).filter((v) => v !== PLAN_ROLE_VARIABLE);
      for (const env of environmentsOf(job, names).filter((e) => !planEnvironments.has(e))) {
        const entry = (environments[env] ??= { branches: ["main"] });
        const why = writes.length > 0 ? `${file} job ${id} assumes ${writes.join(", ")}` : adminEnvironments.includes(env) ? "a Vault role equivalent to an administrator is bound to it" : undefined;
        entry.reviewers ??= why;
      }
    }
    for (const c of configs) {
      const label = c.cluster.deployRunner.runsOn;
      if (new RegExp(`(^|[^-\\w])${label}([^-\\w]|$)`).test(text)) (runnerGroups[label] ??= []).push(`${repository}/.github/workflows/${file}@refs/heads/main`);
    }
  }
  for (const env of adminEnvironments) (environments[env] ??= { branches: ["main"] }).reviewers ??= "a Vault role equivalent to an administrator is bound to it";
  return { environments, runnerGroups };
}
