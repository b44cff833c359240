/**
 * Runs rule packs over synthesized stacks and applies the config's suppressions. Shared by the synth-time
 * Aspects and the report, so both always agree.
 */
import type { Suppression } from "../config/schema";
import type { ComplianceRule, RuleOutcome, RulePack } from "./rule";
import type { StackView } from "../synthesized/stack-view";

/** A suppression from the config: rule id, Terraform address of the resource, reason. */
export type { Suppression };

export interface Finding {
  readonly rule: ComplianceRule;
  readonly stack: string;
  readonly address: string;
  readonly outcome: Exclude<RuleOutcome, { status: "not-applicable" }>;
  /** Set when a non-compliant finding is suppressed by config. */
  readonly suppression?: Suppression;
}

export function evaluateStack(stack: StackView, packs: readonly RulePack[], suppressions: readonly Suppression[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of packs.flatMap((p) => p.rules)) {
    for (const block of stack.of(...rule.appliesTo)) {
      const outcome = rule.check(block, stack);
      if (outcome.status === "not-applicable") continue;
      const suppression =
        outcome.status === "non-compliant"
          ? suppressions.find((s) => s.rule === rule.id && s.resource === block.address)
          : undefined;
      findings.push({ rule, stack: stack.id, address: block.address, outcome, suppression });
    }
  }
  return findings;
}

/** Non-compliant findings that no suppression covers: these fail synth. */
export function violations(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.outcome.status === "non-compliant" && !f.suppression);
}

/** `[VLT-TLS-001] vault-cluster-dev helm_release.vault: found ... Fix: ...` */
export function formatViolation(f: Finding): string {
  const found = f.outcome.status === "non-compliant" ? f.outcome.found : "";
  return `[${f.rule.id}] ${f.stack} ${f.address}: ${f.rule.title}. Found: ${found}. Fix: ${f.rule.fix}`;
}
