import { s3Versioning } from "../../../../compliance/packs/aws/s3-versioning";
import { awsStack, logs, snap } from "./fixtures";

describe("AWS-S3-001 s3Versioning", () => {
  it("is compliant when an aws_s3_bucket_versioning of the bucket is Enabled (object or list block)", () => {
    const view = awsStack();
    expect(s3Versioning.check(snap(view), view)).toEqual({
      status: "compliant",
      evidence: "aws_s3_bucket_versioning.snap versioning_configuration.status = Enabled",
    });
    expect(s3Versioning.check(logs(view), view).status).toBe("compliant");
  });

  it("is non-compliant when versioning is Suspended", () => {
    const view = awsStack((j) => (j.resource.aws_s3_bucket_versioning.snap.versioning_configuration.status = "Suspended"));
    expect(s3Versioning.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "aws_s3_bucket_versioning.snap versioning_configuration.status = Suspended",
    });
  });

  it("is non-compliant when no versioning resource references the bucket", () => {
    const view = awsStack((j) => delete j.resource.aws_s3_bucket_versioning.logs);
    expect(s3Versioning.check(logs(view), view)).toEqual({
      status: "non-compliant",
      found: "no aws_s3_bucket_versioning references aws_s3_bucket.logs",
    });
  });
});
