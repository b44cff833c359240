/**
 * The report's restore drill section, from result files as scripts/restore-drill.sh writes them (the real script in
 * dry-run mode writes one here), and `npm run report --restore-drill` refusing a file that is not a result.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toMarkdown } from "../../../document/document";
import { parseRestoreDrillResult, restoreDrillSection, type RestoreDrillResult } from "../../../compliance/report/restore-drills";
import type { EnvironmentInput } from "../../../compliance/report/build";
import { ROOT } from "../../helpers";
import { runScript } from "../../synth-process";

const env = (environment: string) => ({ environment, stacks: [], suppressions: [] }) as EnvironmentInput;
const NOW = new Date("2027-01-10T00:00:00Z");
const passed: RestoreDrillResult = {
  environment: "prod",
  finished_at: "2027-01-01T06:12:09Z",
  verdict: "pass",
  step: "done",
  databases_unreachable: ["postgres.phoenix-guardian.svc:5432"],
  snapshot_key: "raft-snapshots/prod/vault-20270101T050000Z.snap",
  snapshot_taken_at: "2027-01-01T05:00:00Z",
  restore_seconds: 41,
  canary_read: true,
  dry_run: false,
};
const md = (results: RestoreDrillResult[], environment = "prod") => toMarkdown(restoreDrillSection(results, NOW)(env(environment)));

describe("restore drill section", () => {
  it("shows the newest result of the environment: verdict, snapshot and its age, restore time, canary, databases checked", () => {
    const older = { ...passed, finished_at: "2026-10-01T06:00:00Z", restore_seconds: 99 };
    const text = md([older, passed, { ...passed, environment: "dev", restore_seconds: 7 }]);
    expect(text).toContain("The last drill passed 8 day(s) ago.");
    expect(text).toContain("| restore took | 41 s |");
    expect(text).toContain("| snapshot taken | 2027-01-01T05:00:00Z (1 h before the drill) |");
    expect(text).toContain("| canary read | yes |");
    expect(text).toContain("`postgres.phoenix-guardian.svc:5432`");
  });

  it("says plainly when the drill was refused or failed, was a dry run, or is overdue", () => {
    expect(md([{ ...passed, verdict: "refused", step: "isolation", canary_read: false }])).toContain("**The last drill did not pass** (refused at step `isolation`).");
    expect(md([{ ...passed, dry_run: true }])).toContain("**The last result is a dry run**");
    expect(md([{ ...passed, finished_at: "2026-09-01T00:00:00Z" }])).toMatch(/\*\*Overdue\*\*: the last drill finished 131 days ago/);
  });

  it("says where to get a result when none was given for the environment", () => {
    expect(md([passed], "dev")).toContain("artifact `restore-drill-dev`");
  });

  it("reads what scripts/restore-drill.sh writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "drill-result-"));
    const file = join(dir, "result.json");
    const args = ["--env", "prod", "--bucket", "b-bucket", "--vault-addr", "https://vault-drill.scratch.svc:8200", "--scratch-namespace", "scratch"];
    const r = spawnSync("bash", [join(ROOT, "scripts/restore-drill.sh"), ...args, "--no-databases", "--dry-run", "--result-file", file], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(r.status).toBe(0);
    const result = parseRestoreDrillResult(readFileSync(file, "utf8"), file);
    expect(result).toMatchObject({ environment: "prod", verdict: "pass", dry_run: true });
    expect(md([result])).toContain("**The last result is a dry run**");
  });

  it("fails if a result file is not a drill result, naming the file and the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drill-result-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...passed, verdict: "maybe" }));
    expect(() => parseRestoreDrillResult(readFileSync(bad, "utf8"), bad)).toThrow(/bad\.json: not a restore drill result: verdict/);
    const run = await runScript("scripts/report.ts", [join(dir, "no-output"), "--restore-drill", bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^report: .*bad\.json: not a restore drill result: verdict/);
  });
});
