/**
 * The Raft snapshot bucket: versioned, encrypted by default, private, owner-enforced, access-logged to its own
 * log bucket, expired by lifecycle, optionally Object-Locked and replicated to another region. Its policy denies
 * insecure transport and any upload that does not ask for the required encryption.
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { s3BucketName } from "../config/formats";
import {
  type BucketEncryption,
  bucketArn,
  encryptionStatements,
  logDeliveryStatements,
  objectsArn,
  secureTransportStatements,
} from "./bucket-policy-statements";

export interface SnapshotTransition {
  readonly days: number;
  readonly storageClass: "STANDARD_IA" | "GLACIER_IR" | "GLACIER";
}

export interface SnapshotObjectLock {
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  readonly days: number;
}

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

export interface BackupBucketProps {
  /** Final bucket name (no random suffix). */
  readonly bucketName: string;
  /** Account that owns the buckets (log delivery is limited to it). */
  readonly accountId: string;
  /** `aws` or `aws-us-gov`. */
  readonly partition: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Default encryption, and what the bucket policy requires of uploads. */
  readonly encryption: BucketEncryption;
  /** Key prefix of the snapshots, without a trailing `/`. */
  readonly snapshotPrefix: string;
  /**
   * Days a snapshot is kept before it expires.
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Days a replaced or expired snapshot version is kept.
   * @default 7
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Move snapshots to a colder storage class after some days.
   * @default - snapshots stay in STANDARD
   */
  readonly transition?: SnapshotTransition;
  /**
   * Object Lock default retention (WORM). Enabling it is only possible when the bucket is created.
   * @default - no Object Lock
   */
  readonly objectLock?: SnapshotObjectLock;
  /**
   * Name of the access log bucket.
   * @default `<bucketName>-logs`
   */
  readonly logBucketName?: string;
  /**
   * Days the access logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Cross-region replication of the snapshots.
   * @default - no replication
   */
  readonly replication?: SnapshotReplication;
}

export class BackupBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly snapshotPrefix: string;
  public readonly logBucketName: string;
  /** The bucket policy document; its `statement` blocks are in the synthesized JSON. */
  public readonly policyDocument: DataAwsIamPolicyDocument;
  public readonly policyStatements: readonly DataAwsIamPolicyDocumentStatement[];
  public readonly replicaBucketName?: string;
  /** Role S3 assumes to replicate; needs Decrypt on the source key and Encrypt on the replica key. */
  public readonly replicationRoleArn?: string;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const noncurrentVersionDays = props.noncurrentVersionDays ?? 7;
    const logRetentionDays = props.logRetentionDays ?? 365;
    const logBucketName = props.logBucketName ?? `${props.bucketName}-logs`;
    this.check(props, { retentionDays, noncurrentVersionDays, logRetentionDays, logBucketName });

    this.bucketName = props.bucketName;
    this.bucketArn = bucketArn(props.partition, props.bucketName);
    this.snapshotPrefix = props.snapshotPrefix;
    this.logBucketName = logBucketName;

    const logs = accessLogBucket(this, "logs", {
      partition: props.partition,
      accountId: props.accountId,
      bucketName: logBucketName,
      sourceBucketName: props.bucketName,
      retentionDays: logRetentionDays,
    });

    this.policyStatements = [...secureTransportStatements(this.bucketArn), ...encryptionStatements(this.bucketArn, props.encryption)];
    const snapshotRules = (): S3BucketLifecycleConfigurationRule[] => [
      abortMultipartRule(),
      {
        id: "expire-snapshots",
        status: "Enabled",
        filter: [{ prefix: `${props.snapshotPrefix}/` }],
        expiration: [{ days: retentionDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionDays }],
        ...(props.transition && { transition: [{ days: props.transition.days, storageClass: props.transition.storageClass }] }),
      },
    ];
    const snapshots = new PrivateBucket(this, "snapshots", {
      bucketName: props.bucketName,
      encryption: props.encryption,
      versioned: true,
      objectLock: props.objectLock,
      lifecycle: snapshotRules(),
      policyStatements: this.policyStatements,
    });
    this.bucket = snapshots.bucket;
    this.policyDocument = snapshots.policyDocument;

    new S3BucketLoggingA(this, "access-logging", {
      bucket: snapshots.bucket.id,
      targetBucket: logs.bucket.id,
      targetPrefix: accessLogPrefix(props.bucketName),
      dependsOn: [logs.policy],
    });

    const r = props.replication;
    if (r) {
      const replicaArn = bucketArn(props.partition, r.bucketName);
      const replica = new PrivateBucket(this, "replica", {
        provider: r.provider,
        bucketName: r.bucketName,
        encryption: r.encryption,
        versioned: true,
        objectLock: props.objectLock,
        lifecycle: snapshotRules(),
        policyStatements: [...secureTransportStatements(replicaArn), ...encryptionStatements(replicaArn, r.encryption)],
      });
      // Server access logs must go to a bucket in the same region, so the replica gets its own log bucket.
      const replicaLogs = accessLogBucket(this, "replica-logs", {
        partition: props.partition,
        accountId: props.accountId,
        bucketName: `${r.bucketName}-logs`,
        sourceBucketName: r.bucketName,
        retentionDays: logRetentionDays,
        provider: r.provider,
      });
      new S3BucketLoggingA(this, "replica-access-logging", {
        provider: r.provider,
        bucket: replica.bucket.id,
        targetBucket: replicaLogs.bucket.id,
        targetPrefix: accessLogPrefix(r.bucketName),
        dependsOn: [replicaLogs.policy],
      });
      const role = this.replicationRole(props, r);
      new S3BucketReplicationConfigurationA(this, "replication", {
        bucket: snapshots.bucket.id,
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
        dependsOn: [snapshots.versioning!, replica.versioning!],
      });
      this.replicaBucketName = r.bucketName;
      this.replicationRoleArn = role.arn;
    }
  }

  private replicationRole(props: BackupBucketProps, r: SnapshotReplication): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, "replication-trust", {
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
    const role = new IamRole(this, "replication-role", {
      name: r.roleName,
      description: `S3 replication of ${props.bucketName} to ${r.bucketName}`,
      assumeRolePolicy: trust.json,
    });
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      { sid: "ReadReplicationConfiguration", effect: "Allow", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [this.bucketArn] },
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
    const permissions = new DataAwsIamPolicyDocument(this, "replication-permissions", { statement: statements });
    new IamRolePolicy(this, "replication-policy", { name: "replicate-snapshots", role: role.id, policy: permissions.json });
    return role;
  }

  private check(
    props: BackupBucketProps,
    resolved: { retentionDays: number; noncurrentVersionDays: number; logRetentionDays: number; logBucketName: string },
  ): void {
    const problems: string[] = [];
    const names: [string, string][] = [
      ["bucketName", props.bucketName],
      ["logBucketName", resolved.logBucketName],
      ...(props.replication
        ? [
            ["replication.bucketName", props.replication.bucketName] as [string, string],
            ["replication.bucketName + \"-logs\"", `${props.replication.bucketName}-logs`] as [string, string],
          ]
        : []),
    ];
    for (const [field, name] of names) {
      if (!s3BucketName.safeParse(name).success) {
        problems.push(
          `${field} must follow the S3 bucket naming rules (3-63 lower-case letters, digits, '.' and '-') (got ${name})` +
            (field === "logBucketName" && !props.logBucketName ? "; set backup.logBucket to a shorter name" : ""),
        );
      }
    }
    if (new Set(names.map(([, n]) => n)).size !== names.length) problems.push(`bucket names must differ (got ${names.map(([, n]) => n).join(", ")})`);
    if (props.snapshotPrefix === "" || props.snapshotPrefix.startsWith("/") || props.snapshotPrefix.endsWith("/")) {
      problems.push(`snapshotPrefix must be non-empty without a leading or trailing / (got ${props.snapshotPrefix})`);
    }
    const positive: [string, number][] = [
      ["retentionDays", resolved.retentionDays],
      ["noncurrentVersionDays", resolved.noncurrentVersionDays],
      ["logRetentionDays", resolved.logRetentionDays],
    ];
    for (const [field, n] of positive) if (!Number.isInteger(n) || n < 1) problems.push(`${field} must be a whole number of days >= 1 (got ${n})`);
    if (props.transition && props.transition.days >= resolved.retentionDays) {
      problems.push(`transition.days must be less than retentionDays (${resolved.retentionDays}) (got ${props.transition.days})`);
    }
    if (props.transition?.storageClass === "STANDARD_IA" && props.transition.days < 30) {
      problems.push(`transition.days must be at least 30 for STANDARD_IA, an S3 rule (got ${props.transition.days})`);
    }
    if (props.replication && props.replication.region === props.region) {
      problems.push(`replication.region must differ from the bucket's region ${props.region}`);
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join("; ")}`);
  }
}

/** Where the snapshot bucket's access logs go in the log bucket. */
interface AccessLogBucketProps {
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
function accessLogBucket(scope: Construct, id: string, props: AccessLogBucketProps): PrivateBucket {
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

function accessLogPrefix(bucket: string): string {
  return `s3-access/${bucket}/`;
}

function abortMultipartRule(): S3BucketLifecycleConfigurationRule {
  // An empty filter applies the rule to every object in the bucket.
  return { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] };
}

interface PrivateBucketProps {
  readonly bucketName: string;
  readonly encryption: BucketEncryption;
  readonly versioned: boolean;
  readonly objectLock?: SnapshotObjectLock;
  readonly lifecycle: S3BucketLifecycleConfigurationRule[];
  readonly policyStatements: readonly DataAwsIamPolicyDocumentStatement[];
  readonly provider?: TerraformProvider;
}

/** The settings every bucket here shares: private, owner-enforced, encrypted by default, with a policy. */
class PrivateBucket extends Construct {
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
