import type { Destruction, Suppression } from "../../../config/schema";
import { STATEFUL_TYPES } from "../../../config/stateful";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const preventDestroy: ComplianceRule = {
  id: "DAT-LIFE-001",
  title: "Stateful resources (mounts, PKI root, transit keys, database connections, auth mounts, KMS keys, buckets, the namespace) set lifecycle.prevent_destroy = true",
  severity: "critical",
  rationale:
    "Terraform lifecycle meta-argument documentation: prevent_destroy makes Terraform reject any plan that would destroy the " +
    "object, including a replacement forced by an attribute change; AWS CDK applies RemovalPolicy.RETAIN to stateful resources " +
    "for the same reason. Destroying a secrets engine, a CA key, a transit key, a KMS key or a snapshot bucket loses data no " +
    "apply can restore. Applies by resource type (config/stateful.ts), so resources added later are covered.",
  fix:
    "Keep the resource protected (stacks/stateful-protection.ts sets prevent_destroy on every stateful type); to destroy it " +
    "deliberately, add a compliance.destructions entry with the address, a reason, an owner and an expiry date.",
  appliesTo: Object.keys(STATEFUL_TYPES),
  check(resource) {
    const lifecycle = resource.attributes.lifecycle as { prevent_destroy?: unknown } | undefined;
    if (lifecycle?.prevent_destroy === true) return compliant(`${resource.address} lifecycle.prevent_destroy = true`);
    return nonCompliant(
      `${resource.address} lifecycle.prevent_destroy = ${JSON.stringify(lifecycle?.prevent_destroy) ?? "(unset)"}: a plan may destroy it (${STATEFUL_TYPES[resource.type]!.loses})`,
    );
  },
};

/**
 * A deliberate destruction lifts prevent_destroy, so it is this rule's suppression: same address, reason, owner and
 * expiry, listed with the others in the report.
 */
export function destructionSuppressions(destructions: readonly Destruction[]): Suppression[] {
  return destructions.map((d) => ({ rule: preventDestroy.id, resource: d.resource, reason: `deliberate destruction: ${d.reason}`, owner: d.owner, expires: d.expires }));
}
