import { s3BucketPolicy } from "../../../../compliance/packs/aws/s3-bucket-policy";
import { awsStack, logs, snap } from "./fixtures";

const statements = (j: any, doc: string) => j.data.aws_iam_policy_document[doc].statement;

describe("AWS-S3-007 s3BucketPolicy", () => {
  it("is compliant when TLS-less requests and uploads without aws:kms are denied", () => {
    const view = awsStack();
    expect(s3BucketPolicy.check(snap(view), view)).toMatchObject({
      status: "compliant",
      evidence: expect.stringContaining("aws:SecureTransport = false denied on arn:aws:s3:::snaps and arn:aws:s3:::snaps/*, uploads without aws:kms denied"),
    });
  });

  it("is compliant for the log bucket with the TLS-only deny", () => {
    const view = awsStack();
    expect(s3BucketPolicy.check(logs(view), view).status).toBe("compliant");
  });

  it("is compliant with a literal JSON policy", () => {
    const json = JSON.stringify({
      Version: "2012-10-17",
      Statement: { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::snaps-logs", "arn:aws:s3:::snaps-logs/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    });
    const view = awsStack((j) => (j.resource.aws_s3_bucket_policy.logs.policy = json));
    expect(s3BucketPolicy.check(logs(view), view).status).toBe("compliant");
  });

  it("is non-compliant when the TLS deny covers only the objects", () => {
    const view = awsStack((j) => (statements(j, "logs-policy")[0].resources = ["arn:aws:s3:::snaps-logs/*"]));
    expect(s3BucketPolicy.check(logs(view), view)).toEqual({
      status: "non-compliant",
      found: "aws_s3_bucket_policy.logs: s3:ListBucket on arn:aws:s3:::snaps-logs with aws:SecureTransport = false is not denied",
    });
  });

  it("is non-compliant for the snapshot bucket without the SSE deny", () => {
    const view = awsStack((j) => statements(j, "snap-policy").pop());
    expect(s3BucketPolicy.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found:
        "aws_s3_bucket_policy.snap: s3:PutObject on arn:aws:s3:::snaps/* without s3:x-amz-server-side-encryption is not denied; " +
        "s3:PutObject on arn:aws:s3:::snaps/* with s3:x-amz-server-side-encryption = AES256 is not denied (bucket uses aws:kms)",
    });
  });

  it("is non-compliant when the SSE deny only rejects a missing header (Null), letting AES256 through", () => {
    const view = awsStack((j) => (statements(j, "snap-policy")[1].condition = [{ test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["true"] }]));
    expect(s3BucketPolicy.check(snap(view), view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("= AES256 is not denied") });
  });

  it("is non-compliant without a bucket policy, or with one it cannot read", () => {
    const missing = awsStack((j) => delete j.resource.aws_s3_bucket_policy.snap);
    expect(s3BucketPolicy.check(snap(missing), missing)).toEqual({ status: "non-compliant", found: "no aws_s3_bucket_policy references aws_s3_bucket.snap" });
    const opaque = awsStack((j) => (j.resource.aws_s3_bucket_policy.snap.policy = "${jsonencode(local.p)}"));
    expect(s3BucketPolicy.check(snap(opaque), opaque)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("could not be evaluated") });
  });
});
