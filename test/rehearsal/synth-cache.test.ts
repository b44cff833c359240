/**
 * CI's synths start warm (#27): main's code-scanning run saves the synth caches (transpiled sources, parsed config
 * and policies) with actions/cache, keyed by the sources; a pull request's analyse job restores them after `npm ci`,
 * exactly when its sources are main's, by prefix otherwise (entries are content-addressed, so an older cache is
 * safe), and saves its own. Run job by job against the stand-in cache store (rehearsal/workflow/cache-action.ts).
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import { runWorkflow } from "../../rehearsal/workflow/runner";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";
import { pullRequestRun } from "./pipeline-runs";

const step = (run: RunResult, job: string, name: RegExp) => run.jobs.find((j) => j.id === job)!.steps.find((s) => name.test(s.name))!;

describe.each([
  ["with main's sources", undefined],
  ["that edits a source file", (repo: string) => appendFileSync(join(repo, "config", "formats.ts"), "\n// an edit\n")],
])("a pull request %s", (_, change) => {
  let s: Scenario;
  let main: RunResult;
  let pr: RunResult;
  beforeAll(() => {
    s = createScenario({ change });
    main = runWorkflow(s.world, { workflow: "code-scanning.yml", event: "push", sha: s.baseSha, ref: "refs/heads/main", payload: {} });
    pr = pullRequestRun(s);
  }, 300_000);
  afterAll(() => removeScenario(s));

  it("finds the synth caches main's code scanning saved", () => {
    expect([main.firstFailure ?? "", pr.firstFailure ?? ""]).toEqual(["", ""]);
    const log = readLog(s.world.dir);
    const saved = log.filter((e) => e.tool === "cache-save" && e.run === String(main.id) && e.saved);
    expect(saved).toHaveLength(1);
    const restored = log.find((e) => e.tool === "cache-restore" && e.run === String(pr.id))!;
    expect(restored.matched).toBe(saved[0].key);
    const exact = change === undefined;
    expect(restored.key === saved[0].key).toBe(exact);
    expect(step(pr, "analyse", /^Restore the synth caches/).output).toMatch(/^Cache restored from key: synth-Linux-[0-9a-f]{64}$/);
    // Saved again only when the key is new (its own sources).
    expect(step(pr, "analyse", /^Save the synth caches/).outcome).toBe(exact ? "skipped" : "success");
  });
});
