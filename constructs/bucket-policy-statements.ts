/**
 * Bucket policy statements as typed objects (rendered by an `aws_iam_policy_document` data source), so the
 * policy is structured data that tests and compliance rules read back from the synthesized JSON.
 *
 * Every Deny here names principal `*` and carries a condition that only a non-compliant request meets
 * (plain HTTP, old TLS, a missing or wrong encryption header), so none of them can lock the account out.
 */
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** How objects in a bucket must be encrypted. */
export type BucketEncryption =
  | { readonly type: "kms"; /** Full key ARN (not an alias or key id): the policy compares it literally. */ readonly kmsKeyArn: string }
  | { readonly type: "aes256" };

/** `aws` or `aws-us-gov`, from the region (the only partitions the config's region format allows). */
export function awsPartition(region: string): string {
  return region.includes("-gov-") ? "aws-us-gov" : "aws";
}

/** ARN of a bucket, and of its objects under an optional prefix. */
export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}
export function objectsArn(partition: string, bucket: string, prefix?: string): string {
  return `${bucketArn(partition, bucket)}/${prefix ? `${prefix}/` : ""}*`;
}

const anyone = [{ type: "*", identifiers: ["*"] }];

/** Denies every S3 request over plain HTTP, and over TLS older than 1.2, on the bucket and its objects. */
export function secureTransportStatements(arn: string): DataAwsIamPolicyDocumentStatement[] {
  const resources = [arn, `${arn}/*`];
  return [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: anyone,
      actions: ["s3:*"],
      resources,
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
    {
      sid: "DenyOutdatedTls",
      effect: "Deny",
      principals: anyone,
      actions: ["s3:*"],
      resources,
      condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    },
  ];
}

/**
 * Denies object uploads that do not ask for the required encryption. `StringNotEquals` is true when the header
 * is missing, so an upload without the header is denied too. With KMS, the key id header must be the backup
 * key's full ARN: an upload that says `aws:kms` but omits the key id would get the AWS-managed `aws/s3` key,
 * not the bucket default, so a missing key id is denied as well.
 *
 * Consequence for writers: `UploadPart` is also the `s3:PutObject` action and carries no encryption headers, so
 * multipart uploads are denied. Snapshot writers use one `PutObject` (`aws s3api put-object`, up to 5 GB).
 */
export function encryptionStatements(arn: string, encryption: BucketEncryption): DataAwsIamPolicyDocumentStatement[] {
  const objects = [`${arn}/*`];
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: "DenyUnencryptedObjectUploads",
      effect: "Deny",
      principals: anyone,
      actions: ["s3:PutObject"],
      resources: objects,
      condition: [
        {
          test: "StringNotEquals",
          variable: "s3:x-amz-server-side-encryption",
          values: [encryption.type === "kms" ? "aws:kms" : "AES256"],
        },
      ],
    },
  ];
  if (encryption.type === "kms") {
    statements.push({
      sid: "DenyWrongKmsKey",
      effect: "Deny",
      principals: anyone,
      actions: ["s3:PutObject"],
      resources: objects,
      condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [encryption.kmsKeyArn] }],
    });
  }
  return statements;
}

/**
 * Lets S3 server access logging write into the log bucket for one source bucket of this account only
 * (the log bucket is `BucketOwnerEnforced`, so ACL grants to the log delivery group do not work).
 */
export function logDeliveryStatements(props: {
  readonly logBucketArn: string;
  readonly sourceBucketArn: string;
  readonly accountId: string;
  readonly prefix: string;
}): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "AllowS3ServerAccessLogs",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
      actions: ["s3:PutObject"],
      resources: [`${props.logBucketArn}/${props.prefix}*`],
      condition: [
        { test: "ArnEquals", variable: "aws:SourceArn", values: [props.sourceBucketArn] },
        { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
      ],
    },
  ];
}
