import { s3PublicAccessBlock } from "../../../../compliance/packs/aws/s3-public-access-block";
import { awsStack, snap } from "./fixtures";

describe("AWS-S3-003 s3PublicAccessBlock", () => {
  it("is compliant with all four settings true", () => {
    const view = awsStack();
    expect(s3PublicAccessBlock.check(snap(view), view)).toEqual({
      status: "compliant",
      evidence: "aws_s3_bucket_public_access_block.snap block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets = true",
    });
  });

  it("is non-compliant when one setting is false or missing", () => {
    const view = awsStack((j) => {
      j.resource.aws_s3_bucket_public_access_block.snap.block_public_policy = false;
      delete j.resource.aws_s3_bucket_public_access_block.snap.restrict_public_buckets;
    });
    expect(s3PublicAccessBlock.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "aws_s3_bucket_public_access_block.snap block_public_policy = false, aws_s3_bucket_public_access_block.snap restrict_public_buckets = (unset)",
    });
  });

  it("is non-compliant without a public access block", () => {
    const view = awsStack((j) => delete j.resource.aws_s3_bucket_public_access_block.snap);
    expect(s3PublicAccessBlock.check(snap(view), view)).toEqual({ status: "non-compliant", found: "no aws_s3_bucket_public_access_block references aws_s3_bucket.snap" });
  });
});
