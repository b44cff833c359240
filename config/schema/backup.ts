/** The `backup` section: the snapshot bucket, its encryption, retention, replication and job images. */
import { z } from "zod";
import { arn, awsRegion, cronSchedule, s3BucketName, s3KeyPrefix } from "../formats";
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";

export const backup = z.strictObject({
  bucket: s3BucketName,
  /** Key prefix of the snapshots; the job writes `<prefix>/<env>/vault-<UTC timestamp>.snap`. */
  prefix: s3KeyPrefix.default("raft-snapshots"),
  /** Snapshot job schedule. */
  schedule: cronSchedule.default("0 * * * *"),
  retentionDays: z.number().int().min(1).max(3650).default(30),
  noncurrentVersionDays: z.number().int().min(1).max(3650).default(7),
  /**
   * `kms` (default): SSE-KMS with the backup key, enforced by the bucket policy.
   * `aes256`: SSE-S3, for parity with runbooks that use it; weaker, needs a reason, shown in the report.
   */
  encryption: z.enum(["kms", "aes256"]).default("kms"),
  encryptionReason: z.string().min(10, { message: "must explain the weaker choice in at least 10 characters" }).optional(),
  transition: z
    .strictObject({ days: z.number().int().min(1), storageClass: z.enum(["STANDARD_IA", "GLACIER_IR", "GLACIER"]) })
    .optional(),
  objectLock: z
    .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1).max(3650) })
    .optional(),
  replication: z.strictObject({ region: awsRegion, bucket: s3BucketName }).optional(),
  /**
   * Bucket for the snapshot bucket's S3 access logs (SSE-S3: log delivery cannot use KMS).
   * Defaults to `<bucket>-logs`; set it when that name is taken or longer than 63 characters.
   */
  logBucket: s3BucketName.optional(),
  /** Days the access logs are kept. */
  logRetentionDays: z.number().int().min(1).max(3650).default(365),
  /**
   * The off-host copy of Vault's audit log: a bucket with S3 Object Lock in compliance mode (no one, root included,
   * can delete an object or shorten its retention), SSE-KMS with its own key, written by a log shipper in the Vault
   * pod under `<prefix>/<env>/`.
   * @default - no off-host copy (the audit log stays on the Vault pods' volume)
   */
  auditArchive: z
    .strictObject({
      bucket: s3BucketName,
      prefix: s3KeyPrefix.default("vault-audit"),
      /** Days every audit object is locked (compliance mode) and then kept; cannot be shortened once written. */
      retentionDays: z.number().int().min(1).max(3650),
      /** Bucket of its S3 access logs. @default `<bucket>-logs` */
      logBucket: s3BucketName.optional(),
      /** The log shipper in the Vault pod (Vector), pinned to an exact version. */
      shipperImage: z.string().regex(/:[0-9]+\.[0-9]+\.[0-9]+|@sha256:/, { message: "must pin an exact version (repository:x.y.z...) or a digest" }).default("timberio/vector:0.50.0-distroless-libc"),
    })
    .optional(),
  /** Roles allowed to administer the KMS keys (never use them). */
  kmsAdminRoleArns: z.array(arn("iam")).min(1, { message: "must name at least one KMS key administrator role" }),
  images: z
    .strictObject({
      vault: z.string().min(1).default("hashicorp/vault:2.0.4"),
      awsCli: z.string().min(1).default("amazon/aws-cli:2.27.50"),
    })
    .prefault({}),
});

/** The workflow roles are roles of this account and never key administrators (they only read the keys). */
export function checkWorkflowRoles(c: EnvironmentConfig, issue: IssueFn): void {
  const roles = c.aws.workflowRoles;
  if (roles) {
    for (const key of ["planRoleArn", "applyRoleArn"] as const) {
      const account = /^arn:[^:]+:iam::(\d{12}):/.exec(roles[key])?.[1];
      if (account !== c.aws.accountId) issue(["aws", "workflowRoles", key], `must be a role in aws.accountId ${c.aws.accountId}`, roles[key]);
      if (c.backup.kmsAdminRoleArns.includes(roles[key])) {
        issue(["aws", "workflowRoles", key], "must not be a KMS key administrator (backup.kmsAdminRoleArns): workflow roles only read the keys", roles[key]);
      }
    }
  }
}

export function checkBackup(c: EnvironmentConfig, issue: IssueFn): void {
  if (c.backup.encryption === "aes256" && !c.backup.encryptionReason) {
    issue(["backup", "encryptionReason"], "must explain why SSE-S3 (aes256) is chosen over SSE-KMS");
  }
  if (c.backup.replication && c.backup.replication.region === c.aws.region) {
    issue(["backup", "replication", "region"], `must differ from aws.region (${c.aws.region})`, c.backup.replication.region);
  }
  if (c.backup.replication?.bucket === c.backup.bucket) {
    issue(["backup", "replication", "bucket"], "must differ from backup.bucket", c.backup.replication.bucket);
  }
  if (c.backup.transition?.storageClass === "STANDARD_IA" && c.backup.transition.days < 30) {
    issue(["backup", "transition", "days"], "must be at least 30 for STANDARD_IA (an S3 rule)", c.backup.transition.days);
  }
  if (c.backup.transition && c.backup.transition.days >= c.backup.retentionDays) {
    issue(["backup", "transition", "days"], `must be less than backup.retentionDays (${c.backup.retentionDays})`, c.backup.transition.days);
  }
}
