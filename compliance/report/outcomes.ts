/**
 * What the rule packs concluded, per rule and per severity: the figures at the top of the report, in its JSON
 * export and in its SARIF export, computed once here so all three agree.
 */
import type { Finding } from "../evaluate";
import type { ComplianceRule, RulePack, Severity } from "../rule";

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

/** A check's status as the report shows it. */
export type CheckStatus = "pass" | "fail" | "suppressed";

/** A rule's status in one environment: its worst check (fail > suppressed > pass), or n/a when nothing applied. */
export type RuleStatus = CheckStatus | "n/a";

export function checkStatus(f: Finding): CheckStatus {
  return f.outcome.status === "compliant" ? "pass" : f.suppression ? "suppressed" : "fail";
}

export function ruleStatus(findings: readonly Finding[]): RuleStatus {
  const statuses = new Set(findings.map(checkStatus));
  return statuses.has("fail") ? "fail" : statuses.has("suppressed") ? "suppressed" : statuses.has("pass") ? "pass" : "n/a";
}

export interface RuleOutcome {
  readonly rule: ComplianceRule;
  readonly pack: string;
  readonly status: RuleStatus;
  /** This rule's checks, one per resource it applied to. */
  readonly findings: readonly Finding[];
}

/** Every rule of `packs`, in pack order, with its status and checks in one environment. */
export function ruleOutcomes(packs: readonly RulePack[], findings: readonly Finding[]): RuleOutcome[] {
  return packs.flatMap((pack) =>
    pack.rules.map((rule) => {
      const mine = findings.filter((f) => f.rule.id === rule.id);
      return { rule, pack: pack.name, status: ruleStatus(mine), findings: mine };
    }),
  );
}

export type StatusCounts = Readonly<Record<RuleStatus, number>>;

/** Rules per status, for each severity and in total. */
export function severitySummary(outcomes: readonly RuleOutcome[]): { bySeverity: Record<Severity, StatusCounts>; total: StatusCounts } {
  const count = (of: readonly RuleOutcome[]): StatusCounts => ({
    pass: of.filter((o) => o.status === "pass").length,
    fail: of.filter((o) => o.status === "fail").length,
    suppressed: of.filter((o) => o.status === "suppressed").length,
    "n/a": of.filter((o) => o.status === "n/a").length,
  });
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, count(outcomes.filter((o) => o.rule.severity === s))])) as Record<
    Severity,
    StatusCounts
  >;
  return { bySeverity, total: count(outcomes) };
}
