/**
 * The shape of a compliance rule (cdk-nag style): a stable id, a title, a severity, a rationale citing its
 * source, a hint how to fix, and a pure check over one synthesized resource.
 */
import type { ResourceView, StackView } from "../synthesized/stack-view";

export type Severity = "critical" | "high" | "medium" | "low";

export type RuleOutcome =
  | { readonly status: "compliant"; readonly evidence: string }
  | { readonly status: "non-compliant"; readonly found: string }
  | { readonly status: "not-applicable" };

export interface ComplianceRule {
  /** Stable id, `<PACK>-<AREA>-<NNN>`, e.g. `VLT-TLS-001`. Never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists, citing its source (hardening guide, reference architecture, AWS guidance, CIS). */
  readonly rationale: string;
  /** What to change when the rule fails. */
  readonly fix: string;
  /**
   * Terraform resource types (or `provider.<name>`) the rule looks at. The check runs once per such block.
   */
  readonly appliesTo: readonly string[];
  /** Pure: the same resource and stack give the same outcome. */
  check(resource: ResourceView, stack: StackView): RuleOutcome;
}

/** A rule pack: the rules of one area, applied by one Aspect. */
export interface RulePack {
  readonly name: string;
  readonly rules: readonly ComplianceRule[];
}

export const compliant = (evidence: string): RuleOutcome => ({ status: "compliant", evidence });
export const nonCompliant = (found: string): RuleOutcome => ({ status: "non-compliant", found });
export const notApplicable: RuleOutcome = { status: "not-applicable" };
