/**
 * What the config leaves out of the apply is said where people look: `npm run synth` prints it, and `npm run report`
 * (read from the synthesized output alone) lists it per environment. Run through the real entry points.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pendingItems } from "../../../config/pending";
import { configFor } from "../../helpers";
import { runScript, runSynth } from "../../synth-process";

const dir = mkdtempSync(join(tmpdir(), "vault-platform-pending-"));
const out = join(dir, "cdktf.out");
let synth: Awaited<ReturnType<typeof runSynth>>;
let report: string;
let reportRun: Awaited<ReturnType<typeof runScript>>;

beforeAll(async () => {
  synth = await runSynth({ CDKTF_OUTDIR: out }, { timeoutMs: 180_000 });
  reportRun = await runScript("scripts/report.ts", [out], { timeoutMs: 180_000 });
  report = reportRun.status === 0 ? readFileSync(join(out, "compliance-report.md"), "utf8") : "";
}, 400_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines of `md` from the heading `### Pending` of environment `env` up to the next heading. */
function pendingOf(md: string, env: string): string {
  const from = md.indexOf(`## Environment ${env}`);
  const start = md.indexOf("### Pending", from);
  return md.slice(start, md.indexOf("\n#", start + 1));
}

describe("pending items (prod's database connection waits for its CA)", () => {
  const prod = pendingItems(configFor("prod"));

  it("synth succeeds and prints each pending item with the field to set", () => {
    expect([synth.status, synth.stderr]).toEqual([0, ""]);
    expect(prod.length).toBeGreaterThan(0);
    for (const p of prod) expect(synth.stdout).toContain(`prod: pending: ${p.item} (and ${p.leftOut.join(", ")}) is left out until ${p.field} holds ${p.awaiting}`);
    expect(synth.stdout).not.toMatch(/^dev: pending/m);
  });

  it("the report lists them in prod's section, and nothing in dev's", () => {
    expect([reportRun.status, reportRun.stderr]).toEqual([0, ""]);
    const section = pendingOf(report, "prod");
    for (const p of prod) {
      expect(section).toContain(p.item);
      expect(section).toContain(`\`${p.field}\``);
      for (const left of p.leftOut) expect(section).toContain(left);
    }
    expect(pendingOf(report, "dev")).toContain("Nothing: every configured connection and role is in the stacks.");
  });
});
