import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { IDENTITY_POLICY_TYPES, identityPolicy } from "./iam-role-policies";
import { listOf, statementName } from "./policy-documents";

/** `*` or a whole service (`s3:*`). */
const WILDCARD = /^(\*|[A-Za-z0-9-]+:\*)$/;

export const iamNoWildcardActions: ComplianceRule = {
  id: "AWS-IAM-001",
  title: "IAM policies allow no \"*\" or \"<service>:*\" actions",
  severity: "high",
  rationale:
    "AWS IAM best practices: apply least-privilege permissions; CIS AWS Foundations Benchmark 1.x (IAM): ensure IAM policies that " +
    "allow full \"*:*\" administrative privileges are not attached, applied here to whole services too (s3:*, kms:*), and to " +
    "NotAction in an Allow, which grants everything it does not list.",
  fix: "List the actions the role needs (s3:PutObject, kms:GenerateDataKey, ...) in its aws_iam_policy_document.",
  appliesTo: IDENTITY_POLICY_TYPES,
  check(resource, stack) {
    const read = identityPolicy(resource, stack);
    if (!read.ok) return nonCompliant(`${read.where} could not be read: ${read.error}`);
    const found: string[] = [];
    read.statements.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      if (s.NotAction !== undefined) found.push(`statement ${statementName(s, i)} allows NotAction ${listOf(s.NotAction).join(", ")}`);
      const wild = listOf(s.Action).filter((a) => WILDCARD.test(a));
      if (wild.length > 0) found.push(`statement ${statementName(s, i)} allows ${wild.join(", ")}`);
    });
    if (found.length > 0) return nonCompliant(`${read.where}: ${found.join("; ")}`);
    const actions = read.statements.filter((s) => s.Effect === "Allow").flatMap((s) => listOf(s.Action));
    return compliant(`${read.where} allows only named actions: ${actions.join(", ")}`);
  },
};
