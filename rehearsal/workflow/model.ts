/** The shapes shared by the workflow runner and the action stand-ins. */
import type { Context, Value } from "./expressions";

/** A GitHub the rehearsal plays: one repository, its settings, and the directory all stand-ins share. */
export interface World {
  /** Directory of the world's JSON files (runs, artifacts, states, log); REHEARSAL_WORLD for the stand-ins. */
  readonly dir: string;
  /** A git repository whose commits the workflows check out. */
  readonly repoDir: string;
  /** owner/name. */
  readonly repository: string;
  /** The project's installed node_modules, linked by the stand-in `npm ci`. */
  readonly nodeModules: string;
  /**
   * Runner labels of in-cluster runner scale sets, with the CA file their pods mount (cluster.deployRunner of
   * each environment). Any other label is a GitHub-hosted runner.
   */
  readonly clusterRunners: Record<string, { readonly caCertFile: string; readonly environment: string }>;
  /** Repository variables (`vars`). */
  readonly vars: Record<string, string>;
  /**
   * Deployment environments with a deployment-branch policy (GitHub: "Deployment branches and tags"): a job in one
   * of them starts only on these refs.
   */
  readonly protectedEnvironments: Record<string, readonly string[]>;
  /**
   * Runner groups of the organization by the runs-on label of their scale set (REST: /orgs/{org}/actions/runner-groups,
   * `restricted_to_workflows`, `selected_workflows` such as `owner/repo/.github/workflows/deploy.yml@refs/heads/main`):
   * a job of any other workflow or ref is never picked up by their runners. A label with no group: any workflow.
   */
  readonly runnerGroups: Record<string, RunnerGroup>;
  /** Secrets: repository-wide and per deployment environment. */
  readonly secrets: { readonly repository: Record<string, string>; readonly environments: Record<string, Record<string, string>> };
}

export interface RunnerGroup {
  readonly name: string;
  readonly restrictedToWorkflows: boolean;
  readonly selectedWorkflows: readonly string[];
}

/** Whether a runner group's workflow access admits a run of `workflowRef` (`owner/repo/.github/workflows/f.yml@ref`). */
export function runnerGroupAdmits(group: RunnerGroup, workflowRef: string): boolean {
  if (!group.restrictedToWorkflows) return true;
  const [path, ref] = workflowRef.split("@");
  // A selected workflow names its ref as `main` or `refs/heads/main` (GitHub accepts a branch, tag or full SHA).
  return group.selectedWorkflows.some((w) => {
    const [wPath, wRef] = w.split("@");
    return wPath === path && (wRef === ref || `refs/heads/${wRef}` === ref);
  });
}

export interface RunRequest {
  /** File name under .github/workflows/. */
  readonly workflow: string;
  readonly event: "pull_request" | "push" | "schedule" | "workflow_dispatch";
  /** The commit whose workflow file and tree run (for a pull request: the merge commit GitHub builds). */
  readonly sha: string;
  readonly ref: string;
  /** The event payload (`github.event`). */
  readonly payload?: Record<string, Value>;
  /** The workflow text to run instead of the commit's file (a one-line edit, to show the rehearsal fails on it). */
  readonly workflowText?: string;
  /** workflow_dispatch inputs (`inputs`). */
  readonly inputs?: Record<string, string>;
  /** The pull request comes from a fork: no secrets but GITHUB_TOKEN (read-only), as GitHub does. */
  readonly fromFork?: boolean;
  /** The commit the run is recorded under (`headSha` of the run; default `sha`). */
  readonly headSha?: string;
}

export interface StepResult {
  readonly name: string;
  readonly outcome: "success" | "failure" | "skipped";
  readonly output: string;
}

export interface JobResult {
  /** `<job id>` or `<job id> (<matrix values>)`. */
  readonly name: string;
  readonly id: string;
  readonly result: "success" | "failure" | "skipped";
  readonly runsOn: string;
  readonly zone: "hosted" | "cluster";
  readonly environment?: string;
  readonly secretsReceived: string[];
  readonly permissions: Record<string, string>;
  readonly steps: StepResult[];
  readonly outputs: Record<string, string>;
}

export interface RunResult {
  readonly id: number;
  readonly conclusion: "success" | "failure";
  readonly jobs: JobResult[];
  /** The first failed step, as "job › step: output tail": what a person reads first in the run's log. */
  readonly firstFailure?: string;
}

/** What a stand-in action may use of its job. */
export interface ActionContext {
  readonly world: World;
  readonly runId: number;
  readonly job: string;
  readonly zone: "hosted" | "cluster";
  readonly workspace: string;
  readonly permissions: Record<string, string>;
  readonly environment?: string;
  readonly expressions: Context;
  readonly env: Record<string, string>;
}

export interface ActionResult {
  readonly outputs?: Record<string, string>;
  readonly exportEnv?: Record<string, string>;
  readonly log?: string;
}
