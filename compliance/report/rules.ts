/**
 * The rule sections of an environment's report: one table of every rule with its status and check counts, the
 * suppressions with reason, owner, approver and expiry, and for each rule that is not a plain pass its rationale,
 * fix and the checks that failed or are suppressed (every check's evidence: compliance-findings.json).
 */
import type { Finding } from "../evaluate";
import type { RulePack } from "../rule";
import { group, heading, link, list, paragraph, slug, table, type Block } from "../../document/document";
import { checkStatus, ruleOutcomes, type RuleOutcome } from "./outcomes";

const tick = (s: string) => `\`${s}\``;
const DAY = 86_400_000;

/** Anchor of a rule's evidence in an environment's section. */
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
      `${outcomes.length} rules in ${packs.length} packs, each checked on every resource it applies to. A rule that is not ` +
        "a plain pass links to its evidence below; every check's evidence is in compliance-findings.json, and each rule's " +
        "rationale and fix in `npm run rules` and the README.",
    ),
    table(
      ["rule", "title", "status", "checks"],
      outcomes.map((o) => [
        `${o.status === "pass" || o.status === "n/a" ? o.rule.id : link(o.rule.id, ruleAnchor(environment, o.rule.id))} ${o.rule.severity}`,
        o.rule.title,
        o.status,
        checksText(o),
      ]),
    ),
  ];
  const suppressed = findings.filter((f) => f.suppression);
  blocks.push(
    heading(3, "Suppressions"),
    suppressed.length === 0
      ? paragraph("None: every rule passes without exception in this environment.")
      : table(
          ["rule", "resource", "reason", "owner", "approver", "expires"],
          suppressed.map((f) => [
            link(f.rule.id, ruleAnchor(environment, f.rule.id)),
            `${f.stack} ${tick(f.address)}`,
            f.suppression!.reason,
            f.suppression!.owner,
            f.suppression!.approver ?? "**none recorded**",
            expiryText(f.suppression!.expires, now),
          ]),
        ),
    heading(3, "Evidence of what is not a plain pass"),
  );
  const notPassing = outcomes.filter((o) => o.status === "fail" || o.status === "suppressed");
  if (notPassing.length === 0) blocks.push(paragraph("Every rule passes or does not apply."));
  for (const o of notPassing) {
    blocks.push(
      group(ruleAnchor(environment, o.rule.id), [
        paragraph(`**${o.rule.id}** ${o.rule.title} (${o.rule.severity}): **${o.status}**. **Why:** ${o.rule.rationale} **Fix:** ${o.rule.fix}`),
        list(o.findings.filter((f) => checkStatus(f) !== "pass").map((f) => `${statusMark(checkStatus(f))} ${f.stack} ${tick(f.address)}: ${evidence(f)}`)),
      ]),
    );
  }
  return blocks;
}
