import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { configsOf, show } from "./shapes";
import { firstBlock } from "../../../synthesized/stack-view";

export const s3ObjectOwnership: ComplianceRule = {
  id: "AWS-S3-004",
  title: "S3 buckets enforce bucket-owner object ownership (ACLs disabled)",
  severity: "medium",
  rationale:
    "AWS S3 security best practices: disable access control lists (Object Ownership = BucketOwnerEnforced), so only the bucket " +
    "policy and IAM decide access and every object is owned by the bucket's account.",
  fix: "Add an aws_s3_bucket_ownership_controls for the bucket with rule.object_ownership = \"BucketOwnerEnforced\".",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = configsOf("aws_s3_bucket_ownership_controls", bucket, stack);
    if (configs.length === 0) return nonCompliant(`no aws_s3_bucket_ownership_controls references ${bucket.address}`);
    for (const c of configs) {
      if (firstBlock(c.attributes.rule)?.object_ownership === "BucketOwnerEnforced") {
        return compliant(`${c.address} rule.object_ownership = BucketOwnerEnforced`);
      }
    }
    return nonCompliant(configs.map((c) => `${c.address} rule.object_ownership = ${show(firstBlock(c.attributes.rule)?.object_ownership)}`).join("; "));
  },
};
