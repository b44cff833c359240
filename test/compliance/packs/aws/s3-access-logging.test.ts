import { s3AccessLogging } from "../../../../compliance/packs/aws/s3-access-logging";
import { awsStack, logs, snap } from "./fixtures";

describe("AWS-S3-005 s3AccessLogging", () => {
  it("is compliant when the bucket logs to another bucket", () => {
    const view = awsStack();
    expect(s3AccessLogging.check(snap(view), view)).toEqual({
      status: "compliant",
      evidence: "aws_s3_bucket_logging.snap target_bucket = ${aws_s3_bucket.logs.id}",
    });
  });

  it("does not apply to the access-log bucket itself", () => {
    const view = awsStack();
    expect(s3AccessLogging.check(logs(view), view)).toEqual({ status: "not-applicable" });
  });

  it("is non-compliant for a bucket without logging", () => {
    const view = awsStack((j) => (j.resource.aws_s3_bucket.replica = { bucket: "snaps-replica" }));
    const replica = view.all().find((b) => b.address === "aws_s3_bucket.replica")!;
    expect(s3AccessLogging.check(replica, view)).toEqual({ status: "non-compliant", found: "no aws_s3_bucket_logging has bucket = aws_s3_bucket.replica" });
  });
});
