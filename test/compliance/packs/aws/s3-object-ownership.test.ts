import { s3ObjectOwnership } from "../../../../compliance/packs/aws/s3-object-ownership";
import { awsStack, snap } from "./fixtures";

describe("AWS-S3-004 s3ObjectOwnership", () => {
  it("is compliant with BucketOwnerEnforced", () => {
    const view = awsStack();
    expect(s3ObjectOwnership.check(snap(view), view)).toEqual({
      status: "compliant",
      evidence: "aws_s3_bucket_ownership_controls.snap rule.object_ownership = BucketOwnerEnforced",
    });
  });

  it("is non-compliant with ObjectWriter (ACLs enabled)", () => {
    const view = awsStack((j) => (j.resource.aws_s3_bucket_ownership_controls.snap.rule = [{ object_ownership: "ObjectWriter" }]));
    expect(s3ObjectOwnership.check(snap(view), view)).toEqual({
      status: "non-compliant",
      found: "aws_s3_bucket_ownership_controls.snap rule.object_ownership = ObjectWriter",
    });
  });

  it("is non-compliant without ownership controls", () => {
    const view = awsStack((j) => delete j.resource.aws_s3_bucket_ownership_controls.snap);
    expect(s3ObjectOwnership.check(snap(view), view).status).toBe("non-compliant");
  });
});
