/** scripts/drift-issue.sh run directly with the stand-in gh: it opens the issue and leaves no file behind. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STANDIN_BIN } from "../../rehearsal/scenario";
import { ROOT } from "../helpers";

describe("drift-issue.sh", () => {
  it("opens the drift issue from the stacks' results and removes its temporary body file", () => {
    const base = mkdtempSync(join(tmpdir(), "drift-issue-"));
    const [world, artifacts, scratch] = ["world", "artifacts", "tmp"].map((d) => join(base, d));
    for (const d of [world, scratch, join(artifacts, "drift-vault-backup-test")]) mkdirSync(d, { recursive: true });
    writeFileSync(join(artifacts, "drift-vault-backup-test", "status"), "differs\n");
    writeFileSync(join(artifacts, "drift-vault-backup-test", "summary.md"), "1 to change\n");
    const r = spawnSync("bash", [join(ROOT, "scripts", "drift-issue.sh"), "test", artifacts, "vault-backup-test"], {
      cwd: base,
      encoding: "utf8",
      env: { PATH: `${STANDIN_BIN}:${process.env.PATH}`, HOME: base, TMPDIR: scratch, REHEARSAL_WORLD: world, REHEARSAL_ZONE: "hosted" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const issues = JSON.parse(readFileSync(join(world, "issues.json"), "utf8"));
    expect(issues.map((i: { title: string; body: string }) => [i.title, i.body.includes("1 to change")])).toEqual([["Drift: live state of test differs from main", true]]);
    expect(readdirSync(scratch)).toEqual([]);
  });
});
