/**
 * One pull request that adds an output of vault-backup-prod and reads it in vault-cluster-prod deploys in one go:
 * the pull request defers the cluster plan (it cannot be planned before the output exists), the deploy applies the
 * backup's reviewed plan, then plans the cluster against the new output and gates that plan before applying it.
 * The base is this tree with the cluster's restore-drill role ARN written literally instead of read from the
 * backup stack, so the working tree is the pull request that adds that cross-stack reference.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";
import { deployRun, oneLineEdit, pullRequestRun } from "./pipeline-runs";

const CLUSTER_STACK_SOURCE = join("stacks", "vault-cluster-stack.ts");
const READ = "roleArn: props.backup.restoreRoleArn";

function withoutTheReference(repoDir: string): void {
  const file = join(repoDir, CLUSTER_STACK_SOURCE);
  const text = readFileSync(file, "utf8");
  // If this fails, the cluster stack no longer reads the restore role this way: pick another cross-stack read.
  expect(text.split(READ)).toHaveLength(2);
  writeFileSync(file, text.replace(READ, 'roleArn: "arn:aws:iam::111122223333:role/before-this-pull-request"'));
}

describe("a cross-stack output added and read in one pull request", () => {
  let s: Scenario;
  let pr: RunResult;
  let deploy: RunResult;
  let undeferred: RunResult;
  beforeAll(() => {
    s = createScenario({ baseChange: withoutTheReference });
    // Before the deploy applies the new output: the same pull request with the deferral edited out.
    const text = oneLineEdit(s, "pull-request.yml", `if jq -e --arg s "\${{ matrix.stack }}" 'index($s) != null' deferred-plans.json > /dev/null; then`, "if false; then");
    undeferred = pullRequestRun(s, text);
    pr = pullRequestRun(s);
    deploy = deployRun(s);
  }, 240_000);
  afterAll(() => removeScenario(s));

  it("the pull request defers the cluster plan instead of failing it, and plans the others", () => {
    expect(pr.firstFailure ?? "").toBe("");
    const planned = readLog(s.world.dir).filter((e) => e.tool === "terraform" && (e.args as string[])[0] === "plan" && e.run === String(pr.id));
    expect(planned.map((e) => String(e.cwd).split("/").pop()).sort()).toEqual(["vault-backup-prod", "vault-config-prod"]);
    const comment = JSON.parse(readFileSync(join(s.world.dir, "comments.json"), "utf8")).find((c: { run: number }) => c.run === pr.id).body;
    expect(comment).toMatch(/### vault-cluster-prod\s+Deferred: this stack reads outputs that this pull request adds or changes/);
  });

  it("deploys in one run: backup's reviewed plan, then a cluster plan made after it, gated, then applied", () => {
    expect(deploy.firstFailure ?? "").toBe("");
    const log = readLog(s.world.dir).filter((e) => e.job.startsWith("apply"));
    const backupApply = log.findIndex((e) => e.tool === "terraform" && e.applied && String(e.key).endsWith("vault-backup-prod.tfstate"));
    const clusterPlan = log.findIndex((e) => e.tool === "terraform" && e.planId && String(e.cwd).endsWith("vault-cluster-prod"));
    const gate = log.findIndex((e, i) => i > clusterPlan && e.tool === "npm" && (e.args as string[]).includes("plan-summary"));
    const clusterApply = log.findIndex((e) => e.tool === "terraform" && e.applied && String(e.key).endsWith("vault-cluster-prod.tfstate"));
    expect(backupApply).toBeGreaterThanOrEqual(0);
    expect([backupApply < clusterPlan, clusterPlan < gate, gate < clusterApply]).toEqual([true, true, true]);
    expect(log[clusterApply].applied).toBe(log[clusterPlan].planId);
  });

  it("fails, naming the missing output, when the pull request plans the cluster stack anyway (no deferral)", () => {
    expect(undeferred.conclusion).toBe("failure");
    expect(undeferred.firstFailure).toMatch(/^plan \(vault-cluster-prod, ubuntu-24\.04\) › terraform plan: .*This object does not have an attribute named "cross-stack-output-aws_iam_rolerestore-role/s);
  });
});
