/** The per-run scratch directory: what an interrupted run left behind is removed by the next one, nothing else. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleScratch } from "./scratch-directory";

describe("test scratch directories", () => {
  it("removes the directories of runs whose process is gone, and keeps a live run's and anything else", () => {
    const parent = mkdtempSync(join(tmpdir(), "scratch-parent-"));
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const names = [`vault-platform-tests-${gone}-abc`, `vault-platform-tests-${process.pid}-def`, "something-else"];
    for (const n of names) mkdirSync(join(parent, n, "inside"), { recursive: true });
    expect(removeStaleScratch(parent)).toEqual([names[0]]);
    expect(readdirSync(parent).sort()).toEqual(names.slice(1).sort());
    expect(existsSync(join(parent, names[1], "inside"))).toBe(true);
  });
});
