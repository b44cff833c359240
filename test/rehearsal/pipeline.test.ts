/**
 * The pipeline rehearsed: a pull request runs pull-request.yml job by job (synth of head and base, report, access
 * diff, a plan per production stack on the runner that can reach it, the comment), then its merge runs deploy.yml,
 * which must apply exactly the plan files the pull request produced. Every run: step goes through bash; actions,
 * gh, terraform, aws and npm are the stand-ins of rehearsal/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";

const PROD_STACKS = ["vault-backup-prod", "vault-cluster-prod", "vault-config-prod"];

export function pullRequestRun(s: Scenario, workflowText?: string): RunResult {
  return runWorkflow(s.world, {
    workflow: "pull-request.yml",
    event: "pull_request",
    sha: s.prMergeSha,
    headSha: s.headSha,
    ref: `refs/pull/${s.prNumber}/merge`,
    workflowText,
    payload: {
      number: s.prNumber,
      pull_request: { number: s.prNumber, base: { sha: s.baseSha, ref: "main" }, head: { sha: s.headSha, ref: "change", repo: { full_name: s.world.repository } } },
    },
  });
}

export function deployRun(s: Scenario, workflowText?: string): RunResult {
  return runWorkflow(s.world, { workflow: "deploy.yml", event: "push", sha: s.mainSha, ref: "refs/heads/main", workflowText, payload: {} });
}

const explain = (run: RunResult) => run.firstFailure ?? "";

describe("pull request, then deploy of its merge", () => {
  let s: Scenario;
  let pr: RunResult;
  let deploy: RunResult;
  beforeAll(() => {
    s = createScenario();
    pr = pullRequestRun(s);
    deploy = deployRun(s);
  }, 240_000);
  afterAll(() => removeScenario(s));

  it("the pull-request run succeeds, every job on a runner that reaches what it calls", () => {
    expect(explain(pr)).toBe("");
    expect(pr.conclusion).toBe("success");
  });

  it("plans every production stack and uploads each plan with its lock file", () => {
    const uploads = readLog(s.world.dir).filter((e) => e.tool === "upload-artifact" && String(e.name).startsWith("plan-vault"));
    expect(uploads.map((u) => u.name).sort()).toEqual(PROD_STACKS.map((st) => `plan-${st}`));
    for (const u of uploads) expect(u.files).toEqual(expect.arrayContaining(["tfplan", ".terraform.lock.hcl"]));
  });

  it("the deploy run succeeds", () => {
    expect(explain(deploy)).toBe("");
    expect(deploy.conclusion).toBe("success");
  });

  it("applies exactly the plans the pull request produced, stack by stack in dependency order", () => {
    const log = readLog(s.world.dir).filter((e) => e.tool === "terraform");
    const planned = log.filter((e) => e.planId && (e.args as string[]).includes("plan") && e.job.startsWith("plan"));
    const applied = log.filter((e) => e.applied && e.job.startsWith("apply"));
    expect(applied.map((a) => a.key)).toEqual(PROD_STACKS.map((st) => planned.find((p) => String(p.cwd).endsWith(st))!.key));
    expect(applied.map((a) => a.applied)).toEqual(PROD_STACKS.map((st) => planned.find((p) => String(p.cwd).endsWith(st))!.planId));
  });

  it("posts the review comment on the pull request", () => {
    const comments = JSON.parse(readFileSync(join(s.world.dir, "comments.json"), "utf8"));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("# vault-platform review");
  });
});
