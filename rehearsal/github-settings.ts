/**
 * A GitHub set up as scripts/github-setup.ts says, as the REST API returns it (docs.github.com: "REST API endpoints
 * for deployment environments" — protection_rules with `required_reviewers` and `prevent_self_review`,
 * deployment_branch_policy; "... for deployment branch policies" — branch_policies; "... for self-hosted runner
 * groups" — restricted_to_workflows, selected_workflows), keyed by the path the stand-in `gh api` serves.
 */
import type { GitHubSetup } from "../config/github-setup";

export type RestResponses = Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function restResponses(repository: string, setup: GitHubSetup): RestResponses {
  const out: RestResponses = {};
  for (const [name, env] of Object.entries(setup.environments)) {
    const base = `repos/${repository}/environments/${name}`;
    out[base] = {
      name,
      protection_rules: [
        ...(env.reviewers ? [{ type: "required_reviewers", prevent_self_review: true, reviewers: [{ type: "Team", reviewer: { slug: "platform-admins" } }] }] : []),
        { type: "branch_policy" },
      ],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    };
    out[`${base}/deployment-branch-policies`] = { total_count: env.branches.length, branch_policies: env.branches.map((b, i) => ({ id: i + 1, name: b, type: "branch" })) };
  }
  const org = repository.split("/")[0];
  out[`orgs/${org}/actions/runner-groups`] = {
    total_count: Object.keys(setup.runnerGroups).length + 1,
    runner_groups: [
      { id: 1, name: "Default", visibility: "all", default: true, restricted_to_workflows: false, selected_workflows: [] },
      ...Object.entries(setup.runnerGroups).map(([name, workflows], i) => ({ id: i + 2, name, visibility: "selected", default: false, restricted_to_workflows: true, selected_workflows: [...workflows] })),
    ],
  };
  return out;
}
