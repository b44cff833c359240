/**
 * "Was the backup restored, and when?": the result of the last restore drill of each environment, as
 * scripts/restore-drill.sh writes it (--result-file; the scheduled workflow keeps it as the artifact
 * restore-drill-<env>), given to `npm run report -- <outdir> --restore-drill <file>...`. Quarterly is the contract
 * (docs/restore-drill.md): a result older than that, a dry run, or anything but `pass` is said plainly.
 */
import { z } from "zod";
import { heading, paragraph, table, type Block } from "../../document/document";
import type { SectionProvider } from "./build";

export const restoreDrillResult = z.strictObject({
  environment: z.string().min(1),
  finished_at: z.iso.datetime(),
  verdict: z.enum(["pass", "fail", "refused"]),
  step: z.string(),
  databases_unreachable: z.array(z.string()),
  snapshot_key: z.string(),
  snapshot_taken_at: z.union([z.iso.datetime(), z.literal("")]),
  restore_seconds: z.number().int().nonnegative().nullable(),
  canary_read: z.boolean(),
  dry_run: z.boolean(),
});
export type RestoreDrillResult = z.infer<typeof restoreDrillResult>;

/** A result file's content, validated; throws naming the file and every problem. */
export function parseRestoreDrillResult(text: string, file: string): RestoreDrillResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = restoreDrillResult.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file}: not a restore drill result: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** A quarter and a grace week: a drill older than this is overdue. */
const OVERDUE_DAYS = 100;

/** The section for each environment: its newest result, or that none was given. */
export function restoreDrillSection(results: readonly RestoreDrillResult[], now: Date = new Date()): SectionProvider {
  return (env) => {
    const blocks: Block[] = [heading(3, "Restore drill")];
    const latest = results.filter((r) => r.environment === env.environment).sort((a, b) => b.finished_at.localeCompare(a.finished_at))[0];
    if (!latest) {
      blocks.push(
        paragraph(
          "No drill result was given to this report. The quarterly drill workflow keeps each run's result as the artifact " +
            `\`restore-drill-${env.environment}\`; pass it with \`npm run report -- <outdir> --restore-drill restore-drill-result.json\`.`,
        ),
      );
      return blocks;
    }
    const ageDays = Math.floor((now.getTime() - Date.parse(latest.finished_at)) / 86_400_000);
    const warnings = [
      ...(latest.verdict !== "pass" ? [`**The last drill did not pass** (${latest.verdict} at step \`${latest.step}\`).`] : []),
      ...(latest.dry_run ? ["**The last result is a dry run**: nothing was restored."] : []),
      ...(ageDays > OVERDUE_DAYS ? [`**Overdue**: the last drill finished ${ageDays} days ago; the drill is quarterly.`] : []),
    ];
    const snapshotAge =
      latest.snapshot_taken_at === "" ? "" : ` (${Math.round((Date.parse(latest.finished_at) - Date.parse(latest.snapshot_taken_at)) / 3_600_000)} h before the drill)`;
    blocks.push(
      paragraph(warnings.length > 0 ? warnings.join(" ") : `The last drill passed ${ageDays} day(s) ago.`),
      table(
        ["", "result"],
        [
          ["verdict", `${latest.verdict}${latest.verdict === "pass" ? "" : ` (step ${latest.step})`}`],
          ["finished", latest.finished_at],
          ["snapshot", latest.snapshot_key ? `\`${latest.snapshot_key}\`` : "-"],
          ["snapshot taken", latest.snapshot_taken_at ? `${latest.snapshot_taken_at}${snapshotAge}` : "-"],
          ["restore took", latest.restore_seconds === null ? "-" : `${latest.restore_seconds} s`],
          ["canary read", latest.canary_read ? "yes" : "no"],
          ["databases checked unreachable first", latest.databases_unreachable.map((d) => `\`${d}\``).join(", ") || "-"],
        ],
      ),
    );
    return blocks;
  };
}
