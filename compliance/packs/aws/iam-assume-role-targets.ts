import { AWS_TARGETS_OUTPUT, IAM_ROLE_ARN } from "../../../config/aws-engine-rules";
import { actionMatches } from "../../iam-policy-evaluator";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { IDENTITY_POLICY_TYPES, identityPolicy } from "./iam-role-policies";
import { listOf, statementName } from "./policy-documents";

/** The targets the stack declares (its `aws_secrets_target_role_arns` output), or none. */
function declaredTargets(json: Readonly<Record<string, unknown>>): readonly string[] {
  const outputs = json.output as Record<string, { value?: unknown } | undefined> | undefined;
  const value = outputs?.[AWS_TARGETS_OUTPUT]?.value;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export const iamAssumeRoleTargets: ComplianceRule = {
  id: "AWS-IAM-004",
  title: "sts:AssumeRole is granted only on the declared AWS secrets engine targets, each a full role ARN",
  severity: "critical",
  rationale:
    "AWS IAM user guide, \"Granting a user permissions to switch roles\": the identity policy's Resource decides which roles a " +
    "principal can assume. Vault hands the assumed role's credentials to its clients, so every role its identity can assume is " +
    "reachable through Vault: the grant must list exactly the targets the config declares (the stack's " + AWS_TARGETS_OUTPUT +
    " output), never a wildcard, a NotResource or NotAction.",
  fix: "Declare the target in vault.aws.roles[].roleArns (the backup stack grants it); remove any other sts:AssumeRole grant.",
  appliesTo: IDENTITY_POLICY_TYPES,
  check(resource, stack) {
    const read = identityPolicy(resource, stack);
    if (!read.ok) return nonCompliant(`${read.where} could not be read: ${read.error}`);
    const declared = new Set(declaredTargets(stack.json));
    const found: string[] = [];
    const granted: string[] = [];
    read.statements.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      const name = statementName(s, i);
      const assumes = s.NotAction !== undefined ? !listOf(s.NotAction).some((a) => actionMatches(a, "sts:AssumeRole")) : listOf(s.Action).some((a) => actionMatches(a, "sts:AssumeRole"));
      if (!assumes) return;
      if (s.NotResource !== undefined) found.push(`statement ${name} allows sts:AssumeRole on NotResource ${listOf(s.NotResource).join(", ")}`);
      for (const r of listOf(s.Resource)) {
        if (!IAM_ROLE_ARN.test(r)) found.push(`statement ${name} allows sts:AssumeRole on ${r} (not one full role ARN)`);
        else if (!declared.has(r)) found.push(`statement ${name} allows sts:AssumeRole on ${r}, which ${AWS_TARGETS_OUTPUT} does not declare`);
        else granted.push(r);
      }
    });
    if (found.length > 0) return nonCompliant(`${read.where}: ${found.join("; ")}`);
    if (granted.length === 0) return compliant(`${read.where} grants sts:AssumeRole on nothing`);
    return compliant(`${read.where} grants sts:AssumeRole on the declared targets ${[...new Set(granted)].join(", ")}`);
  },
};
