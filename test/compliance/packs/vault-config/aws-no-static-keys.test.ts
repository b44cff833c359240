import { awsNoStaticKeys } from "../../../../compliance/packs/vault-config/aws-no-static-keys";
import { AWS_MOUNT, checkAws } from "./fixtures";

describe("VCF-AWS-004 awsNoStaticKeys", () => {
  it("is compliant without access_key and secret_key", () => {
    expect(checkAws(awsNoStaticKeys, AWS_MOUNT)).toEqual({ status: "compliant", evidence: `${AWS_MOUNT} sets no access_key or secret_key` });
  });

  it("is non-compliant with a static key, even from a variable", () => {
    expect(checkAws(awsNoStaticKeys, AWS_MOUNT, (_r, m) => Object.assign(m, { access_key: "${var.aws_access_key}", secret_key: "${var.aws_secret_key}" }))).toEqual({
      status: "non-compliant",
      found: `${AWS_MOUNT} sets access_key and secret_key (a static key in config, plan and state)`,
    });
  });
});
