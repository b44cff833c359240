/**
 * The restore-drill workflow as GitHub starts it: a valid workflow file (a job's `if` sees only github, needs, vars
 * and inputs), the drill job of exactly the environment asked for (or every environment on the schedule), each on
 * its own environment's in-cluster runner. The drill's steps themselves run with stand-ins for kubectl, aws and
 * vault in test/workflows/restore-drill.test.ts.
 */
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import { configFor } from "../helpers";

const runners = Object.fromEntries((["dev", "prod"] as const).map((env) => [env, configFor(env).cluster.deployRunner.runsOn]));

describe("restore-drill workflow", () => {
  let s: Scenario;
  beforeAll(() => {
    s = createScenario({ bootstrapped: () => false });
  }, 120_000);
  afterAll(() => removeScenario(s));

  const started = (event: "schedule" | "workflow_dispatch", inputs?: Record<string, string>) => {
    const run = runWorkflow(s.world, { workflow: "restore-drill.yml", event, sha: s.mainSha, ref: "refs/heads/main", inputs });
    // A started drill job gets as far as its first cluster step; kubectl is not on this machine.
    return run.jobs.filter((j) => j.id === "drill" && j.result !== "skipped").map((j) => [j.environment, j.runsOn]);
  };

  it("on demand, runs the asked environment's drill only, on its in-cluster runner", () => {
    expect(started("workflow_dispatch", { environment: "prod" })).toEqual([["restore-drill-prod", runners.prod]]);
  });

  it("on the schedule, runs every environment's drill, each on its own runner", () => {
    expect(started("schedule").sort()).toEqual([
      ["restore-drill-dev", runners.dev],
      ["restore-drill-prod", runners.prod],
    ]);
  });
});
