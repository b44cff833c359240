/**
 * The generated drift workflow, run job by job against production state: nothing to report while live state matches
 * main; one issue for the environment when a stack drifts (updated, never duplicated, while it does); closed when it
 * converges. Drift is made the way it happens: a resource removed from live state behind Terraform's back.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import { readLog } from "../../rehearsal/world";
import { DRIFT_WORKFLOW, driftWorkflow } from "../../scripts/drift-workflow";
import { configFor, ROOT } from "../helpers";

const run = (s: Scenario): RunResult => runWorkflow(s.world, { workflow: DRIFT_WORKFLOW, event: "schedule", sha: s.mainSha, ref: "refs/heads/main" });
const issues = (s: Scenario) => {
  try {
    return JSON.parse(readFileSync(join(s.world.dir, "issues.json"), "utf8"));
  } catch {
    return [];
  }
};
const stateFile = (s: Scenario, stack: string) => join(s.world.dir, "states", readdirSync(join(s.world.dir, "states")).find((f) => f.includes(`${stack}.tfstate`))!);

it("is the current rendering of the config (run `npm run workflows`)", () => {
  expect(readFileSync(join(ROOT, ".github", "workflows", DRIFT_WORKFLOW), "utf8")).toBe(driftWorkflow([configFor("dev"), configFor("prod")]));
});

describe("drift workflow", () => {
  let s: Scenario;
  let converged: RunResult;
  let drifted: RunResult;
  let stillDrifted: RunResult;
  let back: RunResult;
  let removed: string;
  let issuesAfterConverged: unknown[];
  beforeAll(() => {
    s = createScenario();
    converged = run(s);
    issuesAfterConverged = issues(s);
    const file = stateFile(s, "vault-backup-prod");
    const original = readFileSync(file, "utf8");
    const state = JSON.parse(original);
    removed = Object.keys(state.resources).find((a) => a.startsWith("aws_s3_bucket_lifecycle_configuration."))!;
    delete state.resources[removed];
    writeFileSync(file, JSON.stringify(state));
    drifted = run(s);
    stillDrifted = run(s);
    writeFileSync(file, original);
    back = run(s);
  }, 300_000);
  afterAll(() => removeScenario(s));

  it("plans every production stack from the runner that reaches it and opens no issue while nothing differs", () => {
    expect(converged.firstFailure ?? "").toBe("");
    const plans = readLog(s.world.dir).filter((e) => e.run === String(converged.id) && e.tool === "terraform" && (e.args as string[])[0] === "plan");
    expect(plans.map((p) => [String(p.cwd).split("/").pop(), p.zone]).sort()).toEqual([
      ["vault-backup-prod", "hosted"],
      ["vault-cluster-prod", "hosted"],
      ["vault-config-prod", "cluster"],
    ]);
    expect(issuesAfterConverged).toEqual([]);
  });

  it("opens one issue for the environment naming the stack and the drifted address, and updates it on the next run", () => {
    expect([drifted.firstFailure ?? "", stillDrifted.firstFailure ?? ""]).toEqual(["", ""]);
    const [issue] = issues(s);
    expect(issue.title).toBe("Drift: live state of prod differs from main");
    expect(issue.labels).toEqual(["drift", "environment:prod"]);
    expect(issue.body).toContain("## vault-backup-prod: drifted");
    expect(issue.body).toContain(removed);
    expect(issue.body).toContain("## vault-config-prod: converged");
  });

  it("closes the issue when live state converges again", () => {
    expect(back.firstFailure ?? "").toBe("");
    const all = issues(s);
    expect(all).toHaveLength(1);
    expect(all[0].state).toBe("closed");
    expect(all[0].comments.at(-1)).toMatch(/^Converged: every stack of prod matches main again/);
  });
});
