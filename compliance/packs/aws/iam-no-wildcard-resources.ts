import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { IDENTITY_POLICY_TYPES, identityPolicy } from "./iam-role-policies";
import { listOf, statementName } from "./policy-documents";

/**
 * Actions that support no resource-level permissions, so `Resource: "*"` is the only form AWS accepts (per the
 * Service Authorization Reference, "Actions, resources, and condition keys" for each service). Kept small and
 * exact on purpose: add an action only after checking its resource-types column is empty.
 */
export const NO_RESOURCE_LEVEL_ACTIONS: ReadonlySet<string> = new Set(
  [
    "sts:GetCallerIdentity",
    "s3:ListAllMyBuckets",
    "kms:CreateKey",
    "kms:ListKeys",
    "kms:ListAliases",
    "kms:GenerateRandom",
    "iam:ListRoles",
    "iam:ListPolicies",
    "ec2:DescribeInstances",
    "ec2:DescribeRegions",
  ].map((a) => a.toLowerCase()),
);

export const iamNoWildcardResources: ComplianceRule = {
  id: "AWS-IAM-002",
  title: "IAM policies scope actions to resources (Resource \"*\" only for actions without resource-level permissions)",
  severity: "high",
  rationale:
    "AWS IAM best practices: apply least-privilege permissions and scope them to specific resources; the IAM Service Authorization " +
    "Reference lists which actions support resource-level permissions. Resource \"*\" (or NotResource) on any other action " +
    "grants it on every bucket, key and role of the account.",
  fix: "Name the bucket, object prefix or key ARN in the statement's resources (a reference such as ${aws_kms_key.x.arn} is fine).",
  appliesTo: IDENTITY_POLICY_TYPES,
  check(resource, stack) {
    const read = identityPolicy(resource, stack);
    if (!read.ok) return nonCompliant(`${read.where} could not be read: ${read.error}`);
    const found: string[] = [];
    read.statements.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      if (s.NotResource !== undefined) found.push(`statement ${statementName(s, i)} uses NotResource ${listOf(s.NotResource).join(", ")}`);
      if (!listOf(s.Resource).includes("*")) return;
      const scoped = s.NotAction !== undefined ? ["NotAction"] : listOf(s.Action).filter((a) => !NO_RESOURCE_LEVEL_ACTIONS.has(a.toLowerCase()));
      if (scoped.length > 0) found.push(`statement ${statementName(s, i)} allows ${scoped.join(", ")} on Resource "*"`);
    });
    if (found.length > 0) return nonCompliant(`${read.where}: ${found.join("; ")}`);
    const resources = [...new Set(read.statements.filter((s) => s.Effect === "Allow").flatMap((s) => listOf(s.Resource)))];
    return compliant(`${read.where} resources: ${resources.join(", ")}`);
  },
};
