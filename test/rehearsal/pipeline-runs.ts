/** The two runs of the pipeline rehearsal, shared by its tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../../rehearsal/scenario";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import type { RunResult } from "../../rehearsal/workflow/model";

export function pullRequestRun(s: Scenario, workflowText?: string, fromFork = false): RunResult {
  return runWorkflow(s.world, {
    workflow: "pull-request.yml",
    event: "pull_request",
    sha: s.prMergeSha,
    headSha: s.headSha,
    ref: `refs/pull/${s.prNumber}/merge`,
    workflowText,
    fromFork,
    payload: {
      number: s.prNumber,
      pull_request: { number: s.prNumber, base: { sha: s.baseSha, ref: "main" }, head: { sha: s.headSha, ref: "change", repo: { full_name: fromFork ? "someone/vault-platform" : s.world.repository } } },
    },
  });
}

export function deployRun(s: Scenario, workflowText?: string): RunResult {
  return runWorkflow(s.world, { workflow: "deploy.yml", event: "push", sha: s.mainSha, ref: "refs/heads/main", workflowText, payload: {} });
}


/** The workflow of the scenario's commit with one line changed (the line must occur exactly once). */
export function oneLineEdit(s: Scenario, workflow: string, from: string, to: string): string {
  const text = readFileSync(join(s.world.repoDir, ".github", "workflows", workflow), "utf8");
  if (text.split(from).length !== 2) throw new Error(`${workflow}: expected exactly one ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

