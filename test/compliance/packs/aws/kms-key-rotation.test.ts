import { kmsKeyRotation } from "../../../../compliance/packs/aws/kms-key-rotation";
import { awsStack, blockOf } from "./fixtures";

describe("AWS-KMS-001 kmsKeyRotation", () => {
  it("is compliant with enable_key_rotation = true", () => {
    const view = awsStack();
    expect(kmsKeyRotation.check(blockOf(view, "aws_kms_key.key"), view)).toEqual({ status: "compliant", evidence: "aws_kms_key.key enable_key_rotation = true" });
  });

  it("is non-compliant when rotation is off or unset", () => {
    const off = awsStack((j) => (j.resource.aws_kms_key.key.enable_key_rotation = false));
    expect(kmsKeyRotation.check(blockOf(off, "aws_kms_key.key"), off)).toEqual({ status: "non-compliant", found: "aws_kms_key.key enable_key_rotation = false" });
    const unset = awsStack((j) => delete j.resource.aws_kms_key.key.enable_key_rotation);
    expect(kmsKeyRotation.check(blockOf(unset, "aws_kms_key.key"), unset)).toEqual({ status: "non-compliant", found: "aws_kms_key.key enable_key_rotation = (unset)" });
  });

  it("does not apply to asymmetric keys, which cannot rotate", () => {
    const view = awsStack((j) => (j.resource.aws_kms_key.key.customer_master_key_spec = "RSA_2048"));
    expect(kmsKeyRotation.check(blockOf(view, "aws_kms_key.key"), view)).toEqual({ status: "not-applicable" });
  });
});
