import { s3Encryption } from "../../../../compliance/packs/aws/s3-encryption";
import { awsStack, logs, snap } from "./fixtures";

const sse = (j: any, name: string) => j.resource.aws_s3_bucket_server_side_encryption_configuration[name].rule[0];

describe("AWS-S3-002 s3Encryption", () => {
  it("is compliant for the snapshot bucket with aws:kms and a key of this stack", () => {
    const view = awsStack();
    const outcome = s3Encryption.check(snap(view), view);
    expect(outcome.status).toBe("compliant");
    expect(outcome).toMatchObject({ evidence: expect.stringContaining("sse_algorithm = aws:kms, kms_master_key_id = ${aws_kms_key.key.arn} (aws_kms_key.key)") });
  });

  it("is compliant for the access-log target bucket with AES256 (log delivery cannot write SSE-KMS)", () => {
    const view = awsStack();
    expect(s3Encryption.check(logs(view), view)).toMatchObject({
      status: "compliant",
      evidence: expect.stringContaining("sse_algorithm = AES256 (access-log target of aws_s3_bucket_logging.snap)"),
    });
  });

  it("accepts a key reached through an aws_kms_alias of the stack", () => {
    const view = awsStack((j) => {
      j.resource.aws_kms_alias = { alias: { name: "alias/x", target_key_id: "${aws_kms_key.key.key_id}" } };
      sse(j, "snap").apply_server_side_encryption_by_default.kms_master_key_id = "${aws_kms_alias.alias.arn}";
    });
    expect(s3Encryption.check(snap(view), view).status).toBe("compliant");
  });

  it("is non-compliant for the snapshot bucket with AES256 (backup.encryption: aes256 needs a suppression)", () => {
    const view = awsStack((j) => (sse(j, "snap").apply_server_side_encryption_by_default = { sse_algorithm: "AES256" }));
    expect(s3Encryption.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found:
        "aws_s3_bucket_server_side_encryption_configuration.snap rule[0].apply_server_side_encryption_by_default.sse_algorithm = AES256 " +
        "(SSE-KMS with a customer managed key required)",
    });
  });

  it("is non-compliant with aws:kms but the AWS managed key (no kms_master_key_id)", () => {
    const view = awsStack((j) => delete sse(j, "snap").apply_server_side_encryption_by_default.kms_master_key_id);
    expect(s3Encryption.check(snap(view), view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("kms_master_key_id = (unset), not an aws_kms_key of this stack") });
  });

  it("is non-compliant for the access-log bucket with aws:kms", () => {
    const view = awsStack((j) => (sse(j, "logs").apply_server_side_encryption_by_default = { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" }));
    expect(s3Encryption.check(logs(view), view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("sse_algorithm = aws:kms on an access-log target bucket") });
  });

  it("is non-compliant without an encryption configuration", () => {
    const view = awsStack((j) => delete j.resource.aws_s3_bucket_server_side_encryption_configuration.snap);
    expect(s3Encryption.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "no aws_s3_bucket_server_side_encryption_configuration references aws_s3_bucket.snap",
    });
  });
});
