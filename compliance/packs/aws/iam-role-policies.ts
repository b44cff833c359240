/**
 * The identity policies the IAM rules read: inline role policies and managed policies, each resolved to its
 * statements. Not a rule.
 */
import type { ResourceView, StackView } from "../../../synthesized/stack-view";
import { readPolicy, type ReadPolicy } from "./policy-documents";

/** Identity policies: `aws_iam_role_policy` and `aws_iam_policy` (their `policy` attribute). */
export const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy"];

export function identityPolicy(resource: ResourceView, stack: StackView): ReadPolicy & { readonly where: string } {
  return { ...readPolicy(resource.attributes.policy, stack), where: `${resource.address} policy ${String(resource.attributes.policy)}` };
}
