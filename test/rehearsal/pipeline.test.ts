/**
 * The pipeline rehearsed: a pull request runs pull-request.yml job by job (synth of head and base, report, access
 * diff, a plan per production stack on the runner that can reach it, the comment), then its merge runs deploy.yml,
 * which must apply exactly the plan files the pull request produced. Every run: step goes through bash; actions,
 * gh, terraform, aws and npm are the stand-ins of rehearsal/.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";
import { deployRun, oneLineEdit, pullRequestRun } from "./pipeline-runs";

const explain = (run: RunResult) => run.firstFailure ?? "";
const PROD_STACKS = ["vault-backup-prod", "vault-cluster-prod", "vault-config-prod"];

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

  it("runs the plan gate on the downloaded plan files before the first apply", () => {
    const log = readLog(s.world.dir).filter((e) => e.run === String(deploy.id));
    const gate = log.findIndex((e) => e.tool === "npm" && (e.args as string[]).includes("plan-summary"));
    const firstApply = log.findIndex((e) => e.tool === "terraform" && e.applied);
    expect(gate).toBeGreaterThanOrEqual(0);
    expect(gate).toBeLessThan(firstApply);
  });

  it("posts the review comment on the pull request", () => {
    const comments = JSON.parse(readFileSync(join(s.world.dir, "comments.json"), "utf8"));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("# vault-platform review");
  });
});

describe("each defect of the last review, reintroduced by a one-line edit, fails the rehearsal", () => {
  let s: Scenario;
  beforeAll(() => {
    s = createScenario();
    const pr = pullRequestRun(s);
    if (pr.conclusion !== "success") throw new Error(`the pull-request run failed: ${pr.firstFailure}`);
  }, 240_000);
  afterAll(() => removeScenario(s));

  it("stops before any apply when a downloaded plan destroys a stateful resource (the gate fails closed)", () => {
    const prRun = JSON.parse(readFileSync(join(s.world.dir, "runs.json"), "utf8")).find((r: { workflow: string }) => r.workflow === "pull-request.yml");
    const file = join(s.world.dir, "runs", String(prRun.id), "artifacts", "plan-vault-backup-prod", "tfplan");
    const original = readFileSync(file, "utf8");
    const plan = JSON.parse(original);
    const bucket = plan.resource_changes.find((c: { type: string }) => c.type === "aws_s3_bucket");
    plan.resource_changes.push({ ...bucket, change: { actions: ["delete"], before: {}, after: null } });
    writeFileSync(file, JSON.stringify(plan));
    try {
      const run = deployRun(s);
      expect(run.conclusion).toBe("failure");
      expect(run.firstFailure).toMatch(/^apply › Plan gate on the plan files about to be applied: /);
      expect(readLog(s.world.dir).filter((e) => e.run === String(run.id) && e.applied)).toEqual([]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it("fails if deploy downloads the plans into the workspace root: the second plan's files already exist there", () => {
    const text = oneLineEdit(s, "deploy.yml", '-n "plan-$stack" -D "cdktf.out/stacks/$stack"', '-n "plan-$stack" -D .');
    const run = deployRun(s, text);
    expect(run.conclusion).toBe("failure");
    expect(run.firstFailure).toMatch(/^apply › Download the reviewed synth output and plans: .*error downloading plan-vault-cluster-prod: .*\/(tfplan|\.terraform\.lock\.hcl) already exists/s);
    expect(readLog(s.world.dir).filter((e) => e.applied && e.job.startsWith("apply"))).toEqual([]);
  });

  it("fails if the plan artifact leaves out hidden files: init -lockfile=readonly finds no lock file before the gate", () => {
    const pr = pullRequestRun(s, oneLineEdit(s, "pull-request.yml", "          include-hidden-files: true\n", ""));
    expect(pr.conclusion).toBe("success");
    const run = deployRun(s);
    expect(run.conclusion).toBe("failure");
    expect(run.firstFailure).toMatch(/^apply › Plan gate on the plan files about to be applied: .*Provider dependency changes detected/s);
  });

  // Last: the apply job applies backup and cluster before apply-config fails.
  it("fails if apply-config downloads its plan without a path: the plan lands in the workspace root, not the stack directory", () => {
    expect(pullRequestRun(s).conclusion).toBe("success");
    const run = deployRun(s, oneLineEdit(s, "deploy.yml", "          path: cdktf.out/stacks/vault-config-prod\n", ""));
    expect(run.conclusion).toBe("failure");
    expect(run.firstFailure).toMatch(/^apply-config › Apply vault-config-prod: .*vault-config-prod\/\.terraform\.lock\.hcl is missing/s);
  });
});
