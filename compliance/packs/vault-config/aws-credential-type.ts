import { ASSUMED_ROLE } from "../../../config/aws-engine-rules";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const awsCredentialType: ComplianceRule = {
  id: "VCF-AWS-001",
  title: "AWS secrets engine roles issue assumed_role credentials only (no iam_user)",
  severity: "high",
  rationale:
    "Vault AWS secrets engine documentation (credential types): iam_user creates an IAM user with an access key per lease, which " +
    "needs iam:CreateUser and iam:CreateAccessKey on the account and lives until Vault revokes it; federation_token and " +
    "session_token need a long-lived IAM user key in Vault. assumed_role returns STS credentials that expire by themselves.",
  fix: "Set credential_type = \"assumed_role\" and role_arns on the vault_aws_secret_backend_role (vault.aws.roles[].credentialType).",
  appliesTo: ["vault_aws_secret_backend_role"],
  check(role) {
    const type = role.attributes.credential_type;
    if (type !== ASSUMED_ROLE) return nonCompliant(`${role.address} credential_type = ${JSON.stringify(type) ?? "(unset)"} (assumed_role required)`);
    return compliant(`${role.address} credential_type = assumed_role`);
  },
};
