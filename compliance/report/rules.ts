/**
 * The rule sections of an environment's report: one table per pack (one row per rule, its id linking to its
 * rationale and evidence), the suppressions with reason, owner and expiry, and per rule its rationale, fix and every
 * check with the resource it read and what it found.
 */
import type { Finding } from "../evaluate";
import type { RulePack } from "../rule";
import { group, heading, link, paragraph, slug, table, type Block } from "../../document/document";
import { checkStatus, ruleOutcomes, type RuleOutcome } from "./outcomes";

const tick = (s: string) => `\`${s}\``;
const DAY = 86_400_000;

/** Anchor of a rule's rationale and evidence in an environment's section. */
export const ruleAnchor = (environment: string, ruleId: string) => `${slug(environment)}--rule-${slug(ruleId)}`;

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
        "A rule's id links to its rationale, its fix and the evidence of every check.",
    ),
  ];
  for (const pack of packs) {
    const mine = outcomes.filter((o) => o.pack === pack.name);
    blocks.push(
      heading(4, pack.name),
      table(
        ["rule", "severity", "title", "status", "checks"],
        mine.map((o) => [link(o.rule.id, ruleAnchor(environment, o.rule.id)), o.rule.severity, o.rule.title, o.status, checksText(o)]),
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
    heading(3, "Rule rationale and evidence"),
  );
  for (const o of outcomes) {
    blocks.push(
      group(ruleAnchor(environment, o.rule.id), [
        paragraph(`**${o.rule.id}** ${o.rule.title} (${o.rule.severity}, ${o.pack}): **${o.status}**`),
        paragraph(`**Why:** ${o.rule.rationale}`),
        paragraph(`**Fix:** ${o.rule.fix}`),
        o.findings.length === 0
          ? paragraph("Not applicable: no resource of this kind in this environment.")
          : table(["resource", "status", "evidence"], o.findings.map((f) => [`${f.stack} ${tick(f.address)}`, checkStatus(f), evidence(f)])),
      ]),
    );
  }
  return blocks;
}
