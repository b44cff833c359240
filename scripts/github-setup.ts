/**
 * What GitHub must hold so that no pull request reaches production (docs/security.md), derived from the workflows, the
 * configs and the synthesized access model, and `npm run check-github-setup -- <owner/repo>`, which asks GitHub's
 * REST API through `gh api` whether it does (after `npm run synth`; a person with admin read on the repository and
 * the organization's runner groups runs it):
 * - every environment a main-branch workflow's job uses deploys from `main` only (custom branch policy `main`);
 * - every environment whose jobs can change production (a Vault role equivalent to an administrator is bound to it,
 *   or a job in it assumes an AWS role other than the plan role) has required reviewers who may not approve their own
 *   run (`prevent_self_review`);
 * - the runner group of each deploy runner scale set (named like the scale set: ARC's `runnerGroup`) is restricted to
 *   the main-branch workflows that run on it, so a pull request's job is never picked up there.
 * REST shapes: docs.github.com "REST API endpoints for deployment environments" (protection_rules,
 * deployment_branch_policy), "... for deployment branch policies" (branch_policies) and "... for self-hosted runner
 * groups" (restricted_to_workflows, selected_workflows).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { adminEquivalents } from "../access/escalation";
import { loadAccessModels } from "../access/model";
import type { EnvironmentConfig } from "../config/schema";

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
function environmentsOf(job: Job, environments: readonly string[]): string[] {
  const raw = typeof job.environment === "object" && job.environment ? (job.environment as { name: string }).name : (job.environment as string | undefined);
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

/** GitHub environments bound by the JWT roles (GitHub tokens, not people's OIDC logins) that can grant themselves anything. */
export async function adminEnvironmentsOf(outdir: string): Promise<string[]> {
  const models = await loadAccessModels(outdir);
  const bound = models.flatMap((m) => adminEquivalents(m).flatMap((e) => (e.role.method === "jwt" && e.role.roleType !== "oidc" ? [e.role.boundClaims?.environment] : [])));
  return [...new Set(bound.filter((e): e is string => typeof e === "string"))].sort();
}

/** GET of a REST path through `gh api`; undefined on 404. */
export type Api = (path: string) => unknown;

export const ghApi: Api = (path) => {
  try {
    return JSON.parse(execFileSync("gh", ["api", path], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  } catch (e) {
    if (/HTTP 404|Not Found/.test(String((e as { stderr?: string }).stderr ?? e))) return undefined;
    throw new Error(`gh api ${path}: ${String((e as { stderr?: string }).stderr ?? (e as Error).message).trim()}`);
  }
};

interface Environment {
  protection_rules?: { type: string; prevent_self_review?: boolean; reviewers?: unknown[] }[];
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}
interface RunnerGroup {
  name: string;
  restricted_to_workflows?: boolean;
  selected_workflows?: string[];
}

/** Every difference between GitHub's settings and the setup, one sentence each. */
export function setupProblems(repository: string, setup: GitHubSetup, api: Api): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(setup.environments)) {
    const env = api(`repos/${repository}/environments/${name}`) as Environment | undefined;
    if (!env) {
      problems.push(`environment ${name} does not exist: GitHub would create it unprotected when a job first names it`);
      continue;
    }
    const policy = env.deployment_branch_policy;
    const branches = policy?.custom_branch_policies
      ? ((api(`repos/${repository}/environments/${name}/deployment-branch-policies`) as { branch_policies?: { name: string; type?: string }[] } | undefined)?.branch_policies ?? [])
      : undefined;
    const got = branches?.map((b) => `${b.type ?? "branch"} ${b.name}`).sort();
    const expected = want.branches.map((b) => `branch ${b}`);
    if (!got || got.join() !== expected.join()) {
      problems.push(`environment ${name} deploys from ${policy ? (got ? got.join(", ") || "no branch" : "every protected branch") : "any branch"}; it must deploy from ${want.branches.join(", ")} only (Deployment branches and tags: selected, ${want.branches.join(", ")})`);
    }
    if (want.reviewers) {
      const rule = env.protection_rules?.find((r) => r.type === "required_reviewers");
      if (!rule || (rule.reviewers ?? []).length === 0) problems.push(`environment ${name} has no required reviewers; it needs them because ${want.reviewers}`);
      else if (rule.prevent_self_review !== true) problems.push(`environment ${name} lets the person who triggered a run approve it (prevent_self_review is off); it needs a second person because ${want.reviewers}`);
    }
  }
  const org = repository.split("/")[0];
  const groups = ((api(`orgs/${org}/actions/runner-groups`) as { runner_groups?: RunnerGroup[] } | undefined)?.runner_groups ?? []);
  for (const [name, workflows] of Object.entries(setup.runnerGroups)) {
    const group = groups.find((g) => g.name === name);
    if (!group) {
      problems.push(`runner group ${name} does not exist in ${org}: install the ${name} scale set with runnerGroup: ${name}, restricted to ${workflows.join(", ")}`);
      continue;
    }
    if (group.restricted_to_workflows !== true) {
      problems.push(`runner group ${name} runs any workflow of the repository, a pull request's included; restrict it to selected workflows: ${workflows.join(", ")}`);
      continue;
    }
    // GitHub accepts a selected workflow's ref as a branch name (`@main`) or a full ref.
    const selected = (group.selected_workflows ?? []).map((w) => w.replace(/@(?!refs\/)(?![0-9a-f]{40}$)/, "@refs/heads/"));
    const extra = selected.filter((w) => !workflows.includes(w));
    const missing = workflows.filter((w) => !selected.includes(w));
    if (extra.length > 0) problems.push(`runner group ${name} also admits ${extra.join(", ")}: only ${workflows.join(", ")} may run where vault-config is applied`);
    if (missing.length > 0) problems.push(`runner group ${name} does not admit ${missing.join(", ")}, which run on it: their jobs would never start`);
  }
  return problems;
}
