/** The per-run scratch directory: what an interrupted run left behind is removed by a later one, nothing else. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleScratch } from "./scratch-directory";

describe("test scratch directories", () => {
  it("removes the directory of a run whose process is gone and that nothing was created in lately, nothing else", () => {
    const parent = mkdtempSync(join(tmpdir(), "scratch-parent-"));
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const names = [`vault-platform-tests-${gone}-old`, `vault-platform-tests-${gone}-recent`, `vault-platform-tests-${process.pid}-live`, "something-else"];
    for (const n of names) mkdirSync(join(parent, n, "inside"), { recursive: true });
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const n of [names[0], names[2], names[3]]) utimesSync(join(parent, n), hourAgo, hourAgo);
    expect(removeStaleScratch(parent)).toEqual([names[0]]);
    expect(readdirSync(parent).sort()).toEqual(names.slice(1).sort());
    expect(existsSync(join(parent, names[2], "inside"))).toBe(true);
  });
});
