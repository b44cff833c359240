import { kmsDeletionWindow } from "../../../../compliance/packs/aws/kms-deletion-window";
import { awsStack, blockOf } from "./fixtures";

describe("AWS-KMS-003 kmsDeletionWindow", () => {
  it("is compliant with 30 days, or unset (AWS default 30)", () => {
    const view = awsStack();
    expect(kmsDeletionWindow.check(blockOf(view, "aws_kms_key.key"), view)).toEqual({ status: "compliant", evidence: "aws_kms_key.key deletion_window_in_days = 30" });
    const unset = awsStack((j) => delete j.resource.aws_kms_key.key.deletion_window_in_days);
    expect(kmsDeletionWindow.check(blockOf(unset, "aws_kms_key.key"), unset)).toEqual({
      status: "compliant",
      evidence: "aws_kms_key.key deletion_window_in_days unset (AWS default 30)",
    });
  });

  it("is non-compliant below 7 days", () => {
    const view = awsStack((j) => (j.resource.aws_kms_key.key.deletion_window_in_days = 5));
    expect(kmsDeletionWindow.check(blockOf(view, "aws_kms_key.key"), view)).toEqual({
      status: "non-compliant",
      found: "aws_kms_key.key deletion_window_in_days = 5 (at least 7 required)",
    });
  });
});
