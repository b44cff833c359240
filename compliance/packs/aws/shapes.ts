/**
 * Shared readers for the AWS rules: the configuration resources that belong to a bucket, and which bucket is
 * the access-log target. Not a rule.
 */
import { refersTo, type ResourceView, type StackView } from "../../../synthesized/stack-view";

/** True when `value` names `bucket`: a reference to it, or its literal name. */
function namesBucket(value: unknown, bucket: ResourceView): boolean {
  const name = bucket.attributes.bucket;
  return refersTo(value, bucket.address) || (typeof name === "string" && !name.includes("${") && value === name);
}

/** The `type` resources configuring `bucket` through their `bucket` attribute (versioning, encryption, ...). */
export function configsOf(type: string, bucket: ResourceView, stack: StackView): ResourceView[] {
  return stack.of(type).filter((r) => namesBucket(r.attributes.bucket, bucket));
}

/** The `aws_s3_bucket_logging` resources that deliver another bucket's access logs into `bucket`. */
export function logSourcesOf(bucket: ResourceView, stack: StackView): ResourceView[] {
  return stack.of("aws_s3_bucket_logging").filter((l) => namesBucket(l.attributes.target_bucket, bucket));
}

/** `arn:aws:s3:::<name>`, or a stand-in when the name is only known after apply. */
export function bucketArn(bucket: ResourceView): string {
  const name = bucket.attributes.bucket;
  return `arn:aws:s3:::${typeof name === "string" && !name.includes("${") ? name : `unnamed-${bucket.name.toLowerCase()}`}`;
}

/** A value for the `found` text: strings as they are, anything else as JSON. */
export function show(value: unknown): string {
  return value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
}
