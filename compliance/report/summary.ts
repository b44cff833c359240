/**
 * The top of the report, what a reviewer reads before signing: where the output came from (commit, times) and, per
 * environment, the rules passed, failed, suppressed and not applicable by severity, and the stacks with their
 * resource counts.
 */
import type { Finding } from "../evaluate";
import type { RulePack } from "../rule";
import type { Provenance } from "../../synthesized/provenance";
import type { StackView } from "../../synthesized/stack-view";
import { heading, link, list, paragraph, slug, table, type Block } from "../../document/document";
import { ruleOutcomes, SEVERITIES, severitySummary, type StatusCounts } from "./outcomes";
import { expiryText } from "./rules";
import { adminEquivalents, BREAK_GLASS_NOTE } from "../../access/escalation";
import { accessModel } from "../../access/model";

const tick = (s: string) => `\`${s}\``;
const when = (iso: string) => iso.replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|[+-]00:00)$/, "$1 UTC");

export interface SummaryInput {
  readonly environment: string;
  readonly stacks: readonly StackView[];
  readonly findings: readonly Finding[];
}

export function provenanceText(provenance: Provenance | undefined, now: Date): string {
  if (!provenance) return `Written ${when(now.toISOString())} from a synthesized output that does not record its commit (synthesize again).`;
  const source = provenance.commit
    ? `commit ${tick(provenance.commit)}${provenance.committedAt ? ` (committed ${when(provenance.committedAt)})` : ""}` +
      (provenance.dirty ? " **with uncommitted changes**" : "")
    : "a working tree outside git (no commit)";
  return `Made from ${source}, synthesized ${when(provenance.synthesizedAt)}; report written ${when(now.toISOString())}.`;
}

export function summarySection(packs: readonly RulePack[], environments: readonly SummaryInput[], provenance: Provenance | undefined, now: Date): Block[] {
  const summaries = environments.map((env) => severitySummary(ruleOutcomes(packs, env.findings)));
  const cellOf = (c: StatusCounts) => `${c.fail > 0 ? `**${c.fail} failed**` : "0 failed"} · ${c.suppressed} suppressed · ${c.pass} passed · ${c["n/a"]} n/a`;
  const blocks: Block[] = [
    heading(2, "Summary", "summary"),
    paragraph(provenanceText(provenance, now)),
    ...adminEquivalentsSection(environments),
    paragraph(
      "Rules by severity, counted once per environment: a rule fails if any of its checks fails, is suppressed if any is " +
        "suppressed and none fails, n/a when no resource of its kind exists. Synth refuses a failing check that no " +
        "suppression covers, so a check reaches a plan only if it passes or a named owner accepted it until a date.",
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
  const lines = environments.map((env) => {
    const id = slug(env.environment);
    const suppressed = env.findings.filter((f) => f.suppression);
    const next = [...suppressed].sort((a, b) => (a.suppression!.expires < b.suppression!.expires ? -1 : 1))[0];
    return (
      `**${env.environment}**: ${env.findings.length} checks on ${env.stacks.length} stacks; ` +
      (next
        ? `${link(`${suppressed.length} suppression${suppressed.length === 1 ? "" : "s"}`, `${id}--suppressions`)}, the next to expire ${next.rule.id} (owner ${next.suppression!.owner}) on ${expiryText(next.suppression!.expires, now)}`
        : "no suppression") +
      `. ${link("Rules", `${id}--compliance-rules`)} · ${link("Who can decrypt the backups", `${id}--who-can-decrypt-the-backups`)} · ${link("Access graph", `${id}--access-graph`)}`
    );
  });
  blocks.push(list(lines));
  return blocks;
}

/**
 * Identities that can change what grants access (policies, auth roles and mounts, identity groups, audit, seal) and
 * so can grant themselves anything, with what protects each login (access/escalation.ts).
 */
export function adminEquivalentsSection(environments: readonly Pick<SummaryInput, "environment" | "stacks">[]): Block[] {
  const rows = environments.flatMap((env) =>
    adminEquivalents(accessModel(env)).map((e) => [env.environment, tick(e.role.key), [...new Set(e.grants.map((g) => g.area))].join(", "), e.protection.join("; ")]),
  );
  return [
    heading(3, "Equivalent to administrator", "equivalent-to-administrator"),
    rows.length === 0
      ? paragraph("No auth role can change policies, auth roles or mounts, identity groups, audit devices or the seal.")
      : table(["environment", "identity", "can change (and so grant itself anything)", "login protected by"], rows),
    paragraph(`Decided by the ACL evaluator on the synthesized policies; \`npm run access -- who <path>\` lists them for any path. ${BREAK_GLASS_NOTE}`),
  ];
}
