/**
 * The setup check's GitHub side: which environments administrator-equivalent CI roles are bound to (from the
 * synthesized access model), and every difference between GitHub's settings, read through `gh api`, and the setup
 * config/github-setup.ts derives. REST shapes: docs.github.com "REST API endpoints for deployment environments"
 * (protection_rules, deployment_branch_policy), "... for deployment branch policies" (branch_policies) and "... for
 * self-hosted runner groups" (restricted_to_workflows, selected_workflows).
 */
import { execFileSync } from "node:child_process";
import { adminEquivalents } from "../access/escalation";
import { loadAccessModels } from "../access/model";
import type { GitHubSetup } from "../config/github-setup";

/** GitHub environments bound by the JWT roles (GitHub tokens, not people's OIDC logins) that can grant themselves anything. */
export async function adminEnvironmentsOf(outdir: string): Promise<string[]> {
  const models = await loadAccessModels(outdir);
  const bound = models.flatMap((m) => adminEquivalents(m).flatMap((e) => (e.role.method === "jwt" && e.role.roleType !== "oidc" ? [e.role.boundClaims?.environment] : [])));
  // A claim bound to several values is one comma-separated string in the synthesized role (Vault's list form).
  return [...new Set(bound.flatMap((e) => (typeof e === "string" ? e.split(",") : [])))].sort();
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
