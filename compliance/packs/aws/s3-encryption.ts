import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { blocksOf, firstBlock, type ResourceView, type StackView } from "../../../synthesized/stack-view";
import { configsOf, logSourcesOf, show } from "./shapes";

/** The aws_kms_key a `kms_master_key_id` points at: directly, or through an aws_kms_alias of this stack. */
function customerKey(keyId: unknown, stack: StackView): ResourceView | undefined {
  const target = stack.resolve(keyId);
  if (target?.type === "aws_kms_key") return target;
  if (target?.type === "aws_kms_alias") return customerKey(target.attributes.target_key_id, stack);
  return undefined;
}

export const s3Encryption: ComplianceRule = {
  id: "AWS-S3-002",
  title: "S3 buckets are encrypted by default with a customer managed KMS key (SSE-S3 only for access-log buckets)",
  severity: "high",
  rationale:
    "AWS S3 security best practices: enable server-side encryption with AWS KMS keys, so access to the data also needs kms:Decrypt " +
    "on a key whose policy this project controls and whose use CloudTrail records. Buckets that receive S3 server access logs are " +
    "the exception: the S3 documentation (Enabling Amazon S3 server access logging) states that only SSE-S3 (AES256) is supported " +
    "for the destination bucket. A weaker choice for a data bucket (config backup.encryption: aes256) needs a reasoned suppression.",
  fix:
    "Data buckets: aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = \"aws:kms\" and kms_master_key_id = " +
    "an aws_kms_key of the stack (backup.encryption: kms). Access-log target buckets: sse_algorithm = \"AES256\".",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = configsOf("aws_s3_bucket_server_side_encryption_configuration", bucket, stack);
    if (configs.length === 0) return nonCompliant(`no aws_s3_bucket_server_side_encryption_configuration references ${bucket.address}`);
    const logSources = logSourcesOf(bucket, stack);
    const found: string[] = [];
    for (const c of configs) {
      for (const [i, rule] of blocksOf(c.attributes.rule).entries()) {
        const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
        const algorithm = byDefault?.sse_algorithm;
        const keyId = byDefault?.kms_master_key_id;
        const where = `${c.address} rule[${i}].apply_server_side_encryption_by_default`;
        if (logSources.length > 0) {
          if (algorithm === "AES256") {
            return compliant(`${where}.sse_algorithm = AES256 (access-log target of ${logSources.map((l) => l.address).join(", ")})`);
          }
          found.push(`${where}.sse_algorithm = ${show(algorithm)} on an access-log target bucket (log delivery supports only AES256)`);
          continue;
        }
        const key = customerKey(keyId, stack);
        if ((algorithm === "aws:kms" || algorithm === "aws:kms:dsse") && key) {
          return compliant(`${where}.sse_algorithm = ${algorithm}, kms_master_key_id = ${show(keyId)} (${key.address})`);
        }
        found.push(
          algorithm === "aws:kms" || algorithm === "aws:kms:dsse"
            ? `${where}.kms_master_key_id = ${show(keyId)}, not an aws_kms_key of this stack (AWS managed key or unset)`
            : `${where}.sse_algorithm = ${show(algorithm)} (SSE-KMS with a customer managed key required)`,
        );
      }
    }
    return nonCompliant(found.length > 0 ? found.join("; ") : `${configs.map((c) => c.address).join(", ")} has no rule block`);
  },
};
