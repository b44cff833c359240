/**
 * The Raft snapshot bucket: versioned, encrypted by default, private, owner-enforced, access-logged to its own
 * log bucket, expired by lifecycle, optionally Object-Locked and replicated to another region. Its policy denies
 * insecure transport and any upload that does not ask for the required encryption.
 */
import { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { isS3BucketName } from "../config/format-rules";
import { type BucketEncryption, bucketArn, encryptionStatements, secureTransportStatements } from "./bucket-policy-statements";
import { accessLogBucket, accessLogBucketName, accessLogPrefix } from "./access-log-bucket";
import { abortMultipartRule, PrivateBucket, type SnapshotObjectLock } from "./private-bucket";
import { replicateSnapshots, type SnapshotReplication } from "./snapshot-replication";

export type { SnapshotObjectLock } from "./private-bucket";
export type { SnapshotReplication } from "./snapshot-replication";

export interface SnapshotTransition {
  readonly days: number;
  readonly storageClass: "STANDARD_IA" | "GLACIER_IR" | "GLACIER";
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
  /**
   * Stable ids of the bucket and its log bucket: their Terraform addresses (`aws_s3_bucket.<id>`), so a second
   * bucket of this kind in one stack needs its own.
   * @default { bucket: "snapshots", logs: "logs" }
   */
  readonly stableIds?: { readonly bucket: string; readonly logs: string };
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
    const logBucketName = props.logBucketName ?? accessLogBucketName(props.bucketName);
    this.check(props, { retentionDays, noncurrentVersionDays, logRetentionDays, logBucketName });

    this.bucketName = props.bucketName;
    this.bucketArn = bucketArn(props.partition, props.bucketName);
    this.snapshotPrefix = props.snapshotPrefix;
    this.logBucketName = logBucketName;

    const ids = props.stableIds ?? { bucket: "snapshots", logs: "logs" };
    const logs = accessLogBucket(this, ids.logs, {
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
    const snapshots = new PrivateBucket(this, ids.bucket, {
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

    if (props.replication) {
      const replication = replicateSnapshots(this, {
        ...props,
        replication: props.replication,
        source: snapshots,
        lifecycle: snapshotRules(),
        logRetentionDays,
      });
      this.replicaBucketName = props.replication.bucketName;
      this.replicationRoleArn = replication.roleArn;
    }
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
            ["replication.bucketName + \"-logs\"", accessLogBucketName(props.replication.bucketName)] as [string, string],
          ]
        : []),
    ];
    for (const [field, name] of names) {
      if (!isS3BucketName(name)) {
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
