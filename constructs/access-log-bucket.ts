/**
 * A bucket for S3 server access logs, and where a source bucket's logs go in it.
 */
import type { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { bucketArn, logDeliveryStatements, secureTransportStatements } from "./bucket-policy-statements";
import { abortMultipartRule, PrivateBucket } from "./private-bucket";

/** The access-log bucket a bucket gets when none is named: `<bucket>-logs` (so at most 58 characters leave room). */
export function accessLogBucketName(bucketName: string): string {
  return `${bucketName}-logs`;
}

/** Where the snapshot bucket's access logs go in the log bucket. */
export interface AccessLogBucketProps {
  readonly partition: string;
  readonly accountId: string;
  readonly bucketName: string;
  /** The bucket whose server access logs this bucket receives. */
  readonly sourceBucketName: string;
  readonly retentionDays: number;
  readonly provider?: TerraformProvider;
}

/**
 * A bucket for S3 server access logs. S3 log delivery cannot write with SSE-KMS, so it uses SSE-S3; it is
 * versioned like every bucket here (an overwritten or deleted log stays recoverable for a week), and only the
 * source bucket's log delivery may write to it.
 */
export function accessLogBucket(scope: Construct, id: string, props: AccessLogBucketProps): PrivateBucket {
  const arn = bucketArn(props.partition, props.bucketName);
  return new PrivateBucket(scope, id, {
    provider: props.provider,
    bucketName: props.bucketName,
    encryption: { type: "aes256" },
    versioned: true,
    lifecycle: [
      abortMultipartRule(),
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{}],
        expiration: [{ days: props.retentionDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
      },
    ],
    policyStatements: [
      ...secureTransportStatements(arn),
      ...logDeliveryStatements({
        logBucketArn: arn,
        sourceBucketArn: bucketArn(props.partition, props.sourceBucketName),
        accountId: props.accountId,
        prefix: accessLogPrefix(props.sourceBucketName),
      }),
    ],
  });
}

export function accessLogPrefix(bucket: string): string {
  return `s3-access/${bucket}/`;
}
