/**
 * Code scanning's baseline (#25 point 6), rehearsed: a push to main runs code-scanning.yml job by job with the
 * stand-ins of rehearsal/ (upload-sarif validates the log and records it) and uploads the compliance SARIF under the
 * category pull requests use, with the repository as informationUri and no suppressed result (default configs).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createScenario, removeScenario, type Scenario } from "../../rehearsal/scenario";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";
import { ROOT } from "../helpers";

/** The category of pull-request.yml's upload-sarif step. */
function pullRequestCategory(): string {
  const wf = parse(readFileSync(join(ROOT, ".github", "workflows", "pull-request.yml"), "utf8"));
  const steps = Object.values(wf.jobs as Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>).flatMap((j) => j.steps);
  return steps.find((st) => st.uses?.startsWith("github/codeql-action/upload-sarif"))!.with!.category;
}

describe("a push to main uploads the compliance baseline", () => {
  let s: Scenario;
  let run: RunResult;
  beforeAll(() => {
    s = createScenario();
    run = runWorkflow(s.world, { workflow: "code-scanning.yml", event: "push", sha: s.mainSha, ref: "refs/heads/main", payload: {} });
  }, 240_000);
  afterAll(() => removeScenario(s));

  it("succeeds and uploads under the pull requests' category, with no suppressed result and the repository as informationUri", () => {
    expect(run.firstFailure ?? "").toBe("");
    expect(run.conclusion).toBe("success");
    const uploads = readLog(s.world.dir).filter((e) => e.tool === "upload-sarif" && e.run === String(run.id));
    expect(uploads.map((u) => u.category)).toEqual([pullRequestCategory()]);
    const file = readdirSync(join(s.world.dir, "sarif")).find((f) => f.startsWith(`${run.id}-`))!;
    const sarif = JSON.parse(readFileSync(join(s.world.dir, "sarif", file), "utf8"));
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].tool.driver.informationUri).toMatch(new RegExp(`/${s.world.repository}$`));
  });
});
