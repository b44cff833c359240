import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { configsOf, show } from "./shapes";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const s3PublicAccessBlock: ComplianceRule = {
  id: "AWS-S3-003",
  title: "S3 buckets block all public access",
  severity: "critical",
  rationale:
    "AWS S3 security best practices: block public access at the bucket with all four S3 Block Public Access settings; " +
    "CIS AWS Foundations Benchmark 2.1.x (Storage: ensure S3 buckets are configured with Block public access).",
  fix: "Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = configsOf("aws_s3_bucket_public_access_block", bucket, stack);
    if (configs.length === 0) return nonCompliant(`no aws_s3_bucket_public_access_block references ${bucket.address}`);
    const found: string[] = [];
    for (const c of configs) {
      const off = SETTINGS.filter((s) => c.attributes[s] !== true);
      if (off.length === 0) return compliant(`${c.address} ${SETTINGS.join(", ")} = true`);
      found.push(off.map((s) => `${c.address} ${s} = ${show(c.attributes[s])}`).join(", "));
    }
    return nonCompliant(found.join("; "));
  },
};
