/**
 * Cross-region replication of the snapshots: a replica bucket (with its own access-log bucket, since server access
 * logs must stay in one region), the role S3 assumes, and the replication rule. Deletions are not replicated.
 */
import type { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { type BucketEncryption, bucketArn, encryptionStatements, objectsArn, secureTransportStatements } from "./bucket-policy-statements";
import { accessLogBucket, accessLogBucketName, accessLogPrefix } from "./access-log-bucket";
import { PrivateBucket, type SnapshotObjectLock } from "./private-bucket";

export interface SnapshotReplication {
  /** Final name of the replica bucket. */
  readonly bucketName: string;
  /** Region of the replica bucket (differs from the source region). */
  readonly region: string;
  /** AWS provider for the replica region, created by the stack. */
  readonly provider: TerraformProvider;
  /** Encryption of the replica bucket; with `kms`, a key in the replica region. */
  readonly encryption: BucketEncryption;
  /** Name of the IAM role S3 assumes to replicate. */
  readonly roleName: string;
}

export interface SnapshotReplicationProps {
  readonly partition: string;
  readonly accountId: string;
  /** Region of the source bucket. */
  readonly region: string;
  readonly bucketName: string;
  readonly snapshotPrefix: string;
  /** The source bucket's encryption (the role decrypts with its key). */
  readonly encryption: BucketEncryption;
  readonly objectLock?: SnapshotObjectLock;
  readonly replication: SnapshotReplication;
  /** The source bucket, versioned (replication requires versioning on both sides). */
  readonly source: PrivateBucket;
  /** The replica expires snapshots as the source does. */
  readonly lifecycle: S3BucketLifecycleConfigurationRule[];
  readonly logRetentionDays: number;
}

/** Creates the replica side under `scope` (ids unchanged from when this lived in BackupBucket: they are addresses). */
export function replicateSnapshots(scope: Construct, props: SnapshotReplicationProps): { readonly roleArn: string } {
  const r = props.replication;
  const replicaArn = bucketArn(props.partition, r.bucketName);
  const replica = new PrivateBucket(scope, "replica", {
    provider: r.provider,
    bucketName: r.bucketName,
    encryption: r.encryption,
    versioned: true,
    objectLock: props.objectLock,
    lifecycle: props.lifecycle,
    policyStatements: [...secureTransportStatements(replicaArn), ...encryptionStatements(replicaArn, r.encryption)],
  });
  // Server access logs must go to a bucket in the same region, so the replica gets its own log bucket.
  const replicaLogs = accessLogBucket(scope, "replica-logs", {
    partition: props.partition,
    accountId: props.accountId,
    bucketName: accessLogBucketName(r.bucketName),
    sourceBucketName: r.bucketName,
    retentionDays: props.logRetentionDays,
    provider: r.provider,
  });
  new S3BucketLoggingA(scope, "replica-access-logging", {
    provider: r.provider,
    bucket: replica.bucket.id,
    targetBucket: replicaLogs.bucket.id,
    targetPrefix: accessLogPrefix(r.bucketName),
    dependsOn: [replicaLogs.policy],
  });
  const role = replicationRole(scope, props);
  new S3BucketReplicationConfigurationA(scope, "replication", {
    bucket: props.source.bucket.id,
    role: role.arn,
    rule: [
      {
        id: "replicate-snapshots",
        status: "Enabled",
        filter: { prefix: `${props.snapshotPrefix}/` },
        // A deletion at the source must not reach the copy that exists to survive it.
        deleteMarkerReplication: { status: "Disabled" },
        ...(props.encryption.type === "kms" && {
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        }),
        destination: {
          bucket: replicaArn,
          storageClass: "STANDARD",
          ...(r.encryption.type === "kms" && { encryptionConfiguration: { replicaKmsKeyId: r.encryption.kmsKeyArn } }),
        },
      },
    ],
    dependsOn: [props.source.versioning!, replica.versioning!],
  });
  return { roleArn: role.arn };
}

function replicationRole(scope: Construct, props: SnapshotReplicationProps): IamRole {
  const r = props.replication;
  const trust = new DataAwsIamPolicyDocument(scope, "replication-trust", {
    statement: [
      {
        sid: "S3Replication",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }],
        actions: ["sts:AssumeRole"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
      },
    ],
  });
  const role = new IamRole(scope, "replication-role", {
    name: r.roleName,
    description: `S3 replication of ${props.bucketName} to ${r.bucketName}`,
    assumeRolePolicy: trust.json,
  });
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    { sid: "ReadReplicationConfiguration", effect: "Allow", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [bucketArn(props.partition, props.bucketName)] },
    {
      sid: "ReadSourceVersions",
      effect: "Allow",
      actions: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectRetention",
        "s3:GetObjectLegalHold",
      ],
      resources: [objectsArn(props.partition, props.bucketName, props.snapshotPrefix)],
    },
    {
      sid: "WriteReplicas",
      effect: "Allow",
      actions: ["s3:ReplicateObject", "s3:ReplicateTags"],
      resources: [objectsArn(props.partition, r.bucketName, props.snapshotPrefix)],
    },
  ];
  if (props.encryption.type === "kms") {
    statements.push({
      sid: "DecryptSource",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: [props.encryption.kmsKeyArn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${props.region}.amazonaws.com`] }],
    });
  }
  if (r.encryption.type === "kms") {
    // With bucket keys S3 asks KMS for a data key (GenerateDataKey); without, it encrypts (Encrypt).
    statements.push({
      sid: "EncryptReplica",
      effect: "Allow",
      actions: ["kms:Encrypt", "kms:GenerateDataKey"],
      resources: [r.encryption.kmsKeyArn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${r.region}.amazonaws.com`] }],
    });
  }
  const permissions = new DataAwsIamPolicyDocument(scope, "replication-permissions", { statement: statements });
  new IamRolePolicy(scope, "replication-policy", { name: "replicate-snapshots", role: role.id, policy: permissions.json });
  return role;
}
