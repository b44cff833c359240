/**
 * The settings every bucket here shares: private, owner-enforced, encrypted by default, versioned on request,
 * expired by lifecycle, optionally Object-Locked, with a bucket policy.
 */
import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import type { TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { BucketEncryption } from "./bucket-policy-statements";

export interface SnapshotObjectLock {
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  readonly days: number;
}

export function abortMultipartRule(): S3BucketLifecycleConfigurationRule {
  // An empty filter applies the rule to every object in the bucket.
  return { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] };
}

export interface PrivateBucketProps {
  readonly bucketName: string;
  readonly encryption: BucketEncryption;
  readonly versioned: boolean;
  readonly objectLock?: SnapshotObjectLock;
  readonly lifecycle: S3BucketLifecycleConfigurationRule[];
  readonly policyStatements: readonly DataAwsIamPolicyDocumentStatement[];
  readonly provider?: TerraformProvider;
}

export class PrivateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly versioning?: S3BucketVersioningA;
  public readonly policy: S3BucketPolicy;
  public readonly policyDocument: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      ...(props.objectLock && { objectLockEnabled: true }),
    });
    pinAddress(this.bucket, id);
    const bucket = this.bucket.id;
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    if (props.versioned) {
      this.versioning = new S3BucketVersioningA(this, "versioning", {
        provider,
        bucket,
        versioningConfiguration: { status: "Enabled" },
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [
        props.encryption.type === "kms"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.kmsKeyArn },
              // One KMS call per bucket key instead of per object: cheaper and fewer KMS throttles.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: props.lifecycle,
      ...(this.versioning && { dependsOn: [this.versioning] }),
    });
    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, "object-lock", {
        provider,
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        ...(this.versioning && { dependsOn: [this.versioning] }),
      });
    }
    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider,
      statement: [...props.policyStatements],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: this.policyDocument.json,
      // The public access block must exist first, or S3 may judge the policy before it applies.
      dependsOn: [publicAccess],
    });
  }
}
