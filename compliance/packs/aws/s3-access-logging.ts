import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { configsOf, logSourcesOf } from "./shapes";

export const s3AccessLogging: ComplianceRule = {
  id: "AWS-S3-005",
  title: "S3 buckets have server access logging enabled (except the access-log bucket itself)",
  severity: "medium",
  rationale:
    "AWS S3 security best practices: enable Amazon S3 server access logging, a record of every request to the bucket for " +
    "security and access audits. A log bucket is not logged into itself (each delivery would log another request), so a bucket " +
    "that is the target of another bucket's logging is exempt.",
  fix: "Add an aws_s3_bucket_logging for the bucket with target_bucket = the access-log bucket (in the same region) and a target_prefix.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (logSourcesOf(bucket, stack).length > 0) return notApplicable;
    const logging = configsOf("aws_s3_bucket_logging", bucket, stack).find((l) => typeof l.attributes.target_bucket === "string");
    if (!logging) return nonCompliant(`no aws_s3_bucket_logging has bucket = ${bucket.address}`);
    return compliant(`${logging.address} target_bucket = ${logging.attributes.target_bucket as string}`);
  },
};
