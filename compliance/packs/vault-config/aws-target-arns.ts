import { IAM_ROLE_ARN } from "../../../config/aws-engine-rules";
import { asList } from "../../../synthesized/stack-view";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const awsTargetArns: ComplianceRule = {
  id: "VCF-AWS-003",
  title: "AWS secrets engine roles name their target roles by full ARN, without wildcards",
  severity: "high",
  rationale:
    "Vault builtin/logical/aws/path_user.go lets a client pick any of role_arns with the role_arn parameter: each entry is a role " +
    "whose credentials the Vault role hands out. A wildcard or a partial ARN would make the set of reachable AWS roles open-ended " +
    "(whatever the AssumeRole grant and the targets' trust policies allow), and leave nothing for a reviewer to check.",
  fix: "List each target as arn:aws:iam::<account>:role/<name> in vault.aws.roles[].roleArns.",
  appliesTo: ["vault_aws_secret_backend_role"],
  check(role) {
    const arns = asList(role.attributes.role_arns).map(String);
    if (arns.length === 0) return nonCompliant(`${role.address} role_arns is empty (assumed_role needs the roles to assume)`);
    const bad = arns.filter((a) => !IAM_ROLE_ARN.test(a));
    if (bad.length > 0) return nonCompliant(`${role.address} role_arns ${bad.join(", ")} (not a full IAM role ARN without wildcards)`);
    return compliant(`${role.address} role_arns = ${arns.join(", ")}`);
  },
};
