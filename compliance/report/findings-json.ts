/**
 * The compliance findings as plain JSON (`compliance-findings.json`), for scripts and dashboards that do not read
 * SARIF: per environment the rule counts by severity and every check with its status, evidence or finding, and
 * suppression. The SARIF export holds the failing and suppressed ones of the same list.
 */
import type { Finding } from "../evaluate";
import type { Provenance } from "../../synthesized/provenance";
import type { RulePack } from "../rule";
import { checkStatus, ruleOutcomes, severitySummary } from "./outcomes";

export interface FindingsJsonInput {
  readonly packs: readonly RulePack[];
  readonly environments: readonly { readonly environment: string; readonly findings: readonly Finding[] }[];
  /** Where the synthesized output came from (commit, times), as the report states it. */
  readonly provenance?: Provenance;
}

export function findingsJson(input: FindingsJsonInput): Record<string, unknown> {
  return {
    format: "vault-platform-findings/1",
    provenance: input.provenance ?? null,
    environments: input.environments.map((env) => {
      const outcomes = ruleOutcomes(input.packs, env.findings);
      return {
        environment: env.environment,
        summary: severitySummary(outcomes),
        rules: outcomes.map((o) => ({ id: o.rule.id, pack: o.pack, severity: o.rule.severity, title: o.rule.title, status: o.status })),
        findings: env.findings.map((f) => ({
          ruleId: f.rule.id,
          severity: f.rule.severity,
          status: checkStatus(f),
          stack: f.stack,
          address: f.address,
          ...(f.outcome.status === "compliant" ? { evidence: f.outcome.evidence } : { found: f.outcome.found, fix: f.rule.fix }),
          ...(f.suppression ? { suppression: f.suppression } : {}),
        })),
      };
    }),
  };
}
