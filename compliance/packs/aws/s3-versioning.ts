import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { configsOf, show } from "./shapes";
import { firstBlock } from "../../../synthesized/stack-view";

export const s3Versioning: ComplianceRule = {
  id: "AWS-S3-001",
  title: "S3 buckets have versioning enabled",
  severity: "high",
  rationale:
    "AWS S3 security best practices: enable versioning, so an overwritten or deleted object (a Raft snapshot, an access log) " +
    "can be recovered; AWS Security Hub control S3.14 checks the same.",
  fix: "Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status = \"Enabled\".",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = configsOf("aws_s3_bucket_versioning", bucket, stack);
    if (configs.length === 0) return nonCompliant(`no aws_s3_bucket_versioning references ${bucket.address}`);
    for (const c of configs) {
      const status = firstBlock(c.attributes.versioning_configuration)?.status;
      if (status === "Enabled") return compliant(`${c.address} versioning_configuration.status = Enabled`);
    }
    return nonCompliant(configs.map((c) => `${c.address} versioning_configuration.status = ${show(firstBlock(c.attributes.versioning_configuration)?.status)}`).join("; "));
  },
};
