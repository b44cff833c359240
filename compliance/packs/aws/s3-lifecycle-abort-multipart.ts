import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { configsOf } from "./shapes";
import { firstBlock, blocksOf } from "../../../synthesized/stack-view";

/** A rule filter that selects the whole bucket: absent, `{}`, or an empty prefix only. */
function wholeBucket(rule: Record<string, unknown>): boolean {
  if (typeof rule.prefix === "string" && rule.prefix !== "") return false;
  if (rule.filter === undefined || (Array.isArray(rule.filter) && rule.filter.length === 0)) return true;
  const filter = firstBlock(rule.filter);
  if (!filter) return false;
  return Object.entries(filter).every(([k, v]) => v === undefined || (k === "prefix" && v === ""));
}

export const s3LifecycleAbortMultipart: ComplianceRule = {
  id: "AWS-S3-006",
  title: "S3 buckets abort incomplete multipart uploads across the whole bucket",
  severity: "low",
  rationale:
    "AWS S3 user guide (Configuring a bucket lifecycle configuration to delete incomplete multipart uploads): parts of uploads that " +
    "never complete are stored and billed indefinitely, invisible to listings, and hold data outside the retention the bucket promises.",
  fix: "Add an enabled rule to the bucket's aws_s3_bucket_lifecycle_configuration with filter {} and abort_incomplete_multipart_upload { days_after_initiation = 1 }.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = configsOf("aws_s3_bucket_lifecycle_configuration", bucket, stack);
    if (configs.length === 0) return nonCompliant(`no aws_s3_bucket_lifecycle_configuration references ${bucket.address}`);
    for (const c of configs) {
      for (const [i, rule] of blocksOf(c.attributes.rule).entries()) {
        const days = firstBlock(rule.abort_incomplete_multipart_upload)?.days_after_initiation;
        if (rule.status === "Enabled" && typeof days === "number" && days > 0 && wholeBucket(rule)) {
          return compliant(`${c.address} rule[${i}] (${String(rule.id ?? "")}) abort_incomplete_multipart_upload.days_after_initiation = ${days}, whole-bucket filter`);
        }
      }
    }
    return nonCompliant(`${configs.map((c) => c.address).join(", ")}: no enabled whole-bucket rule with abort_incomplete_multipart_upload.days_after_initiation > 0`);
  },
};
