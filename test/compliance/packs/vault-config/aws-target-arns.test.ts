import { awsTargetArns } from "../../../../compliance/packs/vault-config/aws-target-arns";
import { AWS_ROLE, checkAws } from "./fixtures";

describe("VCF-AWS-003 awsTargetArns", () => {
  it("is compliant with full role ARNs", () => {
    expect(checkAws(awsTargetArns, AWS_ROLE)).toEqual({ status: "compliant", evidence: `${AWS_ROLE} role_arns = arn:aws:iam::111111111111:role/app-s3` });
  });

  it("is non-compliant with a wildcard target or a partial ARN", () => {
    const arns = ["arn:aws:iam::111111111111:role/app-*", "arn:aws:iam::*:role/app-s3", "app-s3"];
    expect(checkAws(awsTargetArns, AWS_ROLE, (r) => (r.role_arns = arns))).toEqual({
      status: "non-compliant",
      found: `${AWS_ROLE} role_arns ${arns.join(", ")} (not a full IAM role ARN without wildcards)`,
    });
  });

  it("is non-compliant with no target", () => {
    expect(checkAws(awsTargetArns, AWS_ROLE, (r) => delete r.role_arns)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("role_arns is empty") });
  });
});
