import { awsCredentialType } from "../../../../compliance/packs/vault-config/aws-credential-type";
import { AWS_ROLE, checkAws } from "./fixtures";

describe("VCF-AWS-001 awsCredentialType", () => {
  it("is compliant with assumed_role", () => {
    expect(checkAws(awsCredentialType, AWS_ROLE)).toEqual({ status: "compliant", evidence: `${AWS_ROLE} credential_type = assumed_role` });
  });

  it.each(["iam_user", "federation_token", "session_token"])("is non-compliant with %s", (type) => {
    expect(checkAws(awsCredentialType, AWS_ROLE, (r) => (r.credential_type = type))).toEqual({
      status: "non-compliant",
      found: `${AWS_ROLE} credential_type = "${type}" (assumed_role required)`,
    });
  });
});
