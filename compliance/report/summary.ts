/**
 * The top of the report, what a reviewer reads before signing: where the output came from (the pull request's head
 * commit, times), the first screen's answers (compliance/report/review.ts) and, per environment, the rules passed,
 * failed, suppressed and not applicable by severity, and the stacks with their resource counts.
 */
import type { RulePack } from "../rule";
import type { Provenance } from "../../synthesized/provenance";
import { heading, link, paragraph, slug, table, type Block } from "../../document/document";
import { ruleOutcomes, SEVERITIES, severitySummary, type StatusCounts } from "./outcomes";
import { BREAK_GLASS_NOTE } from "../../access/escalation";
import { type BaseOutput, reviewBlocks, type ReviewEnvironment } from "./review";

const tick = (s: string) => `\`${s}\``;
const when = (iso: string) => iso.replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|[+-]00:00)$/, "$1 UTC");

export type SummaryInput = ReviewEnvironment;

export function provenanceText(provenance: Provenance | undefined, now: Date): string {
  if (!provenance) return `Written ${when(now.toISOString())} from a synthesized output that does not record its commit (synthesize again).`;
  const source = provenance.commit
    ? `commit ${tick(provenance.commit)}${provenance.committedAt ? ` (committed ${when(provenance.committedAt)})` : ""}` +
      (provenance.dirty ? " **with uncommitted changes**" : "")
    : "a working tree outside git (no commit)";
  const pr = provenance.pullRequest;
  if (pr) {
    return (
      `Pull request #${pr.number}, head commit ${tick(pr.head)} (base ${tick(pr.base)}), synthesized ${when(provenance.synthesizedAt)} ` +
      `from GitHub's merge of the two${provenance.commit ? ` (${tick(provenance.commit)}${provenance.dirty ? ", **with uncommitted changes**" : ""})` : ""}; report written ${when(now.toISOString())}.`
    );
  }
  return `Made from ${source}, synthesized ${when(provenance.synthesizedAt)}; report written ${when(now.toISOString())}.`;
}

export function summarySection(packs: readonly RulePack[], environments: readonly SummaryInput[], provenance: Provenance | undefined, now: Date, base?: BaseOutput): Block[] {
  const summaries = environments.map((env) => severitySummary(ruleOutcomes(packs, env.findings)));
  const cellOf = (c: StatusCounts) => `${c.fail > 0 ? `**${c.fail} failed**` : "0 failed"} · ${c.suppressed} suppressed · ${c.pass} passed · ${c["n/a"]} n/a`;
  return [
    heading(2, "Summary", "summary"),
    paragraph(provenanceText(provenance, now)),
    ...reviewBlocks(environments, now, base),
    paragraph(
      `${BREAK_GLASS_NOTE} Rules by severity, counted once per environment: a rule fails if any of its checks fails, is ` +
        "suppressed if any is suppressed and none fails, n/a when no resource of its kind exists. Synth refuses a failing " +
        "check that no suppression covers, so a check reaches a plan only if it passes or a named owner accepted it until a date.",
    ),
    table(
      ["severity", ...environments.map((e) => link(e.environment, slug(e.environment)))],
      [...SEVERITIES.map((sev) => [sev, ...summaries.map((s) => cellOf(s.bySeverity[sev]))]), ["**all rules**", ...summaries.map((s) => cellOf(s.total))]],
    ),
    table(
      ["environment", "stack", "resources", "data sources", "providers"],
      environments.flatMap((env) =>
        env.stacks.map((s) => {
          const count = (prefix: string | null) => s.all().filter((r) => (prefix ? r.type.startsWith(prefix) : !r.type.startsWith("data.") && !r.type.startsWith("provider."))).length;
          return [env.environment, tick(s.id), String(count(null)), String(count("data.")), [...new Set(s.all().filter((r) => r.type.startsWith("provider.")).map((r) => r.name))].join(", ")];
        }),
      ),
    ),
  ];
}
