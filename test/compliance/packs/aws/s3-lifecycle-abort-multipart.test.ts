import { s3LifecycleAbortMultipart } from "../../../../compliance/packs/aws/s3-lifecycle-abort-multipart";
import { awsStack, snap } from "./fixtures";

const rules = (j: any) => j.resource.aws_s3_bucket_lifecycle_configuration.snap.rule;

describe("AWS-S3-006 s3LifecycleAbortMultipart", () => {
  it("is compliant with an enabled whole-bucket abort rule", () => {
    const view = awsStack();
    expect(s3LifecycleAbortMultipart.check(snap(view), view)).toEqual({
      status: "compliant",
      evidence: "aws_s3_bucket_lifecycle_configuration.snap rule[0] (abort) abort_incomplete_multipart_upload.days_after_initiation = 1, whole-bucket filter",
    });
  });

  it("is non-compliant when the abort rule covers only a prefix", () => {
    const view = awsStack((j) => (rules(j)[0].filter = [{ prefix: "raft/" }]));
    expect(s3LifecycleAbortMultipart.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "aws_s3_bucket_lifecycle_configuration.snap: no enabled whole-bucket rule with abort_incomplete_multipart_upload.days_after_initiation > 0",
    });
  });

  it("is non-compliant when the abort rule is disabled", () => {
    const view = awsStack((j) => (rules(j)[0].status = "Disabled"));
    expect(s3LifecycleAbortMultipart.check(snap(view), view).status).toBe("non-compliant");
  });

  it("is non-compliant without a lifecycle configuration", () => {
    const view = awsStack((j) => delete j.resource.aws_s3_bucket_lifecycle_configuration.snap);
    expect(s3LifecycleAbortMultipart.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "no aws_s3_bucket_lifecycle_configuration references aws_s3_bucket.snap",
    });
  });
});
