/**
 * The generated CheckTick secret-ID rotation workflow, run job by job: each environment's job must reach that
 * environment's Vault (only in-cluster runners can), log in as the rotator, get a wrapped secret ID and deliver it
 * with `gh secret set` to CheckTick's environment.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import { readLog } from "../../rehearsal/world";
import { workflowFile } from "../../scripts/secret-id-workflows";
import { configFor } from "../helpers";
import { oneLineEdit } from "./pipeline-runs";

const rotated = ["dev", "prod"].flatMap((env) =>
  configFor(env as "dev" | "prod").applications.flatMap((app) => (app.auth.method === "approle" && app.auth.secretIdRotation ? [{ env, app: app.name, role: app.auth.role, rotation: app.auth.secretIdRotation }] : [])),
);
const apps = [...new Set(rotated.map((r) => r.app))];

const dispatch = (s: Scenario, app: string, workflowText?: string): RunResult =>
  runWorkflow(s.world, { workflow: workflowFile(app), event: "workflow_dispatch", sha: s.mainSha, ref: "refs/heads/main", workflowText });

describe.each(apps)("rotate-%s-secret-id", (app) => {
  let s: Scenario;
  let run: RunResult;
  beforeAll(() => {
    // Vault as the bootstrap leaves it: the rotator's JWT role exists in each environment's vault-config state.
    s = createScenario({ bootstrapped: (stack) => stack.startsWith("vault-config-") });
    run = dispatch(s, app);
  }, 120_000);
  afterAll(() => removeScenario(s));

  it("succeeds in every environment", () => {
    expect(run.firstFailure ?? "").toBe("");
    expect(run.jobs.map((j) => j.result)).toEqual(rotated.filter((r) => r.app === app).map(() => "success"));
  });

  it.each(rotated.filter((r) => r.app === app))("$env: calls the provider's own Vault address from the in-cluster runner and delivers a wrapping token", (r) => {
    const provider = JSON.parse(readFileSync(join(s.baseSynth, "stacks", `vault-config-${r.env}`, "cdk.tf.json"), "utf8"));
    const address = new URL(provider.variable.vault_address.default);
    const call = readLog(s.world.dir).find((e) => e.tool === "curl" && e.job === `rotate-${r.env}`)!;
    expect([call.zone, call.host, call.path, call.wrapped]).toEqual(["cluster", address.hostname, `/v1/auth/approle/role/${r.role}/secret-id`, true]);
    const delivered = JSON.parse(readFileSync(join(s.world.dir, "secrets-set.json"), "utf8"));
    expect(delivered).toContainEqual({ name: r.rotation.deliverTo.secret, repo: r.rotation.deliverTo.repository, env: r.rotation.deliverTo.environment, value: `hvs.rehearsal-wrapped-${r.role}\n` });
  });

  it("leaves the wrapping token in no step's log and no file of the runner (only the delivered secret holds it)", () => {
    const logs = run.jobs.flatMap((j) => j.steps.map((st) => st.output)).join("\n");
    expect(logs).not.toContain("hvs.rehearsal-wrapped");
    const grep = spawnSync("grep", ["-rl", "hvs.rehearsal-wrapped", s.world.dir], { encoding: "utf8" });
    expect(grep.stdout.trim().split("\n").map((f) => f.slice(s.world.dir.length + 1))).toEqual(["secrets-set.json"]);
  });

  it("fails, naming the address it cannot reach, when a job runs on a GitHub-hosted runner", () => {
    const file = readFileSync(join(s.world.repoDir, ".github", "workflows", workflowFile(app)), "utf8");
    const job = Object.keys(parse(file).jobs)[0];
    const runsOn = parse(file).jobs[job]["runs-on"];
    const hosted = dispatch(s, app, oneLineEdit(s, workflowFile(app), `runs-on: ${runsOn}\n`, "runs-on: ubuntu-24.04\n"));
    expect(hosted.conclusion).toBe("failure");
    expect(hosted.firstFailure).toMatch(new RegExp(`^${job} › .*(ENOTFOUND|no such host|Could not resolve host).*svc`, "s"));
  });
});
