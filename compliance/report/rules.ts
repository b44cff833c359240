/**
 * The rule sections of an environment's report: one table per pack (one row per rule, its id linking to its
 * rationale and evidence), the suppressions with reason, owner and expiry, and per rule its rationale, fix and every
 * check with the resource it read and what it found.
 */
import type { Finding } from "../evaluate";
import type { RulePack } from "../rule";
import { group, heading, link, list, paragraph, slug, table, type Block } from "../../document/document";
import { checkStatus, ruleOutcomes, type RuleOutcome } from "./outcomes";

const tick = (s: string) => `\`${s}\``;
const DAY = 86_400_000;

/** Anchor of a rule's evidence in an environment's section. */
export const ruleAnchor = (environment: string, ruleId: string) => `${slug(environment)}--rule-${slug(ruleId)}`;
/** Anchor of a rule's rationale and fix in the rule catalogue (one per report). */
export const catalogueAnchor = (ruleId: string) => `rule-${slug(ruleId)}`;

function checksText(o: RuleOutcome): string {
  if (o.findings.length === 0) return "no resource of this kind";
  const counts = (["fail", "suppressed", "pass"] as const).map((s) => [s, o.findings.filter((f) => checkStatus(f) === s).length] as const);
  return counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
}

/** `2027-05-31 (186 days left)`, or `expired` once the date is past. */
export function expiryText(expires: string, now: Date): string {
  const days = Math.floor((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY);
  return `${expires} (${days < 0 ? "**expired**" : days === 0 ? "last day" : `${days} day${days === 1 ? "" : "s"} left`})`;
}

const statusMark = (s: string) => `**${s.toUpperCase()}**`;

function evidence(f: Finding): string {
  if (f.outcome.status === "compliant") return f.outcome.evidence;
  if (f.suppression) return `${f.outcome.found}. **Suppressed** by ${f.suppression.owner} until ${f.suppression.expires}: ${f.suppression.reason}`;
  return `${f.outcome.found}. **Fix:** ${f.rule.fix}`;
}

export function ruleSections(environment: string, packs: readonly RulePack[], findings: readonly Finding[], now: Date): Block[] {
  const outcomes = ruleOutcomes(packs, findings);
  const blocks: Block[] = [
    heading(3, "Compliance rules"),
    paragraph(
      `${outcomes.length} rules in ${packs.length} packs, each checked on every resource it applies to. ` +
        "A rule's id links to the evidence of its every check here, its title to its rationale and fix.",
    ),
  ];
  for (const pack of packs) {
    const mine = outcomes.filter((o) => o.pack === pack.name);
    blocks.push(
      heading(4, pack.name),
      table(
        ["rule", "severity", "title", "status", "checks"],
        mine.map((o) => [link(o.rule.id, ruleAnchor(environment, o.rule.id)), o.rule.severity, link(o.rule.title, catalogueAnchor(o.rule.id)), o.status, checksText(o)]),
      ),
    );
  }
  const suppressed = findings.filter((f) => f.suppression);
  blocks.push(
    heading(3, "Suppressions"),
    suppressed.length === 0
      ? paragraph("None: every rule passes without exception in this environment.")
      : table(
          ["rule", "resource", "reason", "owner", "expires"],
          suppressed.map((f) => [link(f.rule.id, ruleAnchor(environment, f.rule.id)), `${f.stack} ${tick(f.address)}`, f.suppression!.reason, f.suppression!.owner, expiryText(f.suppression!.expires, now)]),
        ),
    heading(3, "Evidence"),
  );
  for (const o of outcomes) {
    blocks.push(
      group(ruleAnchor(environment, o.rule.id), [
        paragraph(`**${o.rule.id}** ${o.rule.title} (${o.rule.severity}): **${o.status}**. ${link("Rationale and fix", catalogueAnchor(o.rule.id))}.`),
        o.findings.length === 0
          ? paragraph("Not applicable: no resource of this kind in this environment.")
          : list(o.findings.map((f) => `${statusMark(checkStatus(f))} ${f.stack} ${tick(f.address)}: ${evidence(f)}`)),
      ]),
    );
  }
  return blocks;
}

/** Every rule once: id, title, severity, pack, why it exists (with its source) and how to fix a failure. */
export function ruleCatalogue(packs: readonly RulePack[]): Block[] {
  return [
    heading(2, "Rule catalogue", "rules"),
    paragraph("Why each rule exists, citing its source, and what to change when it fails; the same in every environment."),
    ...packs.flatMap((pack) =>
      pack.rules.map((rule) =>
        group(catalogueAnchor(rule.id), [
          paragraph(`**${rule.id}** ${rule.title} (${rule.severity}, ${pack.name})`),
          paragraph(`**Why:** ${rule.rationale}`),
          paragraph(`**Fix:** ${rule.fix}`),
        ]),
      ),
    ),
  ];
}
