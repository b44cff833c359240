import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config/schema";
import { BackupBucket, type SnapshotReplication } from "../constructs/backup-bucket";
import { awsPartition, bucketArn, objectsArn } from "../constructs/bucket-policy-statements";
import { assumeTargetsStatement } from "../constructs/aws-secrets-access";
import { IrsaRole } from "../constructs/irsa-role";
import { AWS_TARGETS_OUTPUT, awsTargetRoleArns } from "../config/aws-engine-rules";
import { ScopedKmsKey } from "../constructs/kms-key";
import { configureBackend } from "./backend";
import { protectStatefulResources } from "./stateful-protection";
import { RESTORE_DRILL_SERVICE_ACCOUNT, SNAPSHOT_WRITER_SERVICE_ACCOUNT, VAULT_SERVER_SERVICE_ACCOUNT } from "../constructs/service-accounts";

/** What the cluster stack needs from the backup stack. Values are Terraform references across stacks. */
export interface BackupHandles {
  /** KMS key that auto-unseals Vault (`seal "awskms"`). */
  readonly unsealKeyArn: string;
  /** KMS key that encrypts the snapshots in the bucket. */
  readonly backupKeyArn: string;
  readonly bucketName: string;
  /** Key prefix of the snapshots in the bucket. */
  readonly snapshotPrefix: string;
  /** IRSA role of the Vault server pods (unseal key). */
  readonly vaultServerRoleArn: string;
  /** IRSA role of the snapshot CronJob (put snapshots). */
  readonly snapshotWriterRoleArn: string;
  /** IRSA role of the restore drill (get snapshots, decrypt). */
  readonly restoreRoleArn: string;
  /**
   * Where the Vault pod's log shipper writes the audit log off-host (`backup.auditArchive`).
   * @default - no off-host copy
   */
  readonly auditArchive?: { readonly bucketName: string; readonly prefix: string; readonly keyArn: string; readonly region: string };
}

/** The IAM roles of an environment, by purpose (IAM allows 64 characters, which bounds the environment name). */
export function iamRoleNames(env: string) {
  return {
    server: `vault-${env}-server`,
    snapshotWriter: `vault-${env}-snapshot-writer`,
    restoreDrill: `vault-${env}-restore-drill`,
    snapshotReplication: `vault-${env}-snapshot-replication`,
  } as const;
}

/** The Vault server's IRSA role ARN as IAM will name it (for documents written before any apply: the tenant guides). */
export function vaultServerRoleArn(config: Pick<EnvironmentConfig, "environment" | "aws">): string {
  return `arn:${awsPartition(config.aws.region)}:iam::${config.aws.accountId}:role/${iamRoleNames(config.environment).server}`;
}

export interface VaultBackupStackProps {
  readonly config: EnvironmentConfig;
}

/**
 * `vault-backup-<env>`: what must outlive a cluster. The KMS keys that auto-unseal Vault and encrypt its
 * snapshots, the snapshot bucket and its encryption-enforcing policy, and the IRSA roles that use them.
 */
export class VaultBackupStack extends TerraformStack {
  public readonly handles: BackupHandles;

  constructor(scope: Construct, id: string, props: VaultBackupStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, id, config.stateBackend);
    new AwsProvider(this, "aws", {
      region: config.aws.region,
      allowedAccountIds: [config.aws.accountId],
      defaultTags: [{ tags: { "managed-by": "vault-platform", environment: config.environment } }],
    });
    const { aws, backup, cluster } = config;
    const env = config.environment;
    const partition = awsPartition(aws.region);
    const s3InRegion = `s3.${aws.region}.amazonaws.com`;
    const backupBucketArn = bucketArn(partition, backup.bucket);
    const snapshotObjects = objectsArn(partition, backup.bucket, backup.prefix);
    const prefixCondition = [{ test: "StringLike", variable: "s3:prefix", values: [`${backup.prefix}/*`] }];

    // Roles first (trust only), so the key policies can name them; permissions are added once the keys exist.
    const roles = iamRoleNames(env);
    const irsa = { oidcProviderArn: cluster.oidcProvider.arn, oidcIssuer: cluster.oidcProvider.issuer, namespace: cluster.namespace };
    const server = new IrsaRole(this, "vault-server-role", {
      ...irsa,
      roleName: roles.server,
      description: `Vault ${env} server pods: auto-unseal with the KMS unseal key`,
      serviceAccount: VAULT_SERVER_SERVICE_ACCOUNT,
    });
    const writer = new IrsaRole(this, "snapshot-writer-role", {
      ...irsa,
      roleName: roles.snapshotWriter,
      description: `Vault ${env} Raft snapshot job: put snapshots under ${backup.prefix}/`,
      serviceAccount: SNAPSHOT_WRITER_SERVICE_ACCOUNT,
    });
    const restore = new IrsaRole(this, "restore-role", {
      ...irsa,
      roleName: roles.restoreDrill,
      description: `Vault ${env} restore drill: read snapshots back`,
      serviceAccount: RESTORE_DRILL_SERVICE_ACCOUNT,
    });

    const keyBase = {
      accountId: aws.accountId,
      partition,
      adminRoleArns: backup.kmsAdminRoleArns,
      // The workflows refresh every key on plan and apply; they read it and nothing else.
      readOnlyRoleArns: aws.workflowRoles ? [aws.workflowRoles.planRoleArn, aws.workflowRoles.applyRoleArn] : [],
    };
    const unsealKey = new ScopedKmsKey(this, "unseal-key", {
      ...keyBase,
      description: `Vault ${env} auto-unseal (seal "awskms")`,
      alias: `alias/vault-${env}-unseal`,
      // Vault calls KMS directly (not through another service), so no kms:ViaService condition.
      uses: [{ sid: "VaultServerUnseal", principalArns: [server.roleArn], actions: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"] }],
    });
    // Single-part PutObject with SSE-KMS needs only GenerateDataKey; multipart uploads would also need Decrypt,
    // and the bucket policy denies them anyway (UploadPart carries no encryption header). Bucket keys do not
    // change this. So the writer can create snapshots but never read one back.
    const writerKeyUse = { actions: ["kms:GenerateDataKey"], viaService: s3InRegion };
    const readerKeyUse = { actions: ["kms:Decrypt"], viaService: s3InRegion };
    const backupKey = new ScopedKmsKey(this, "backup-key", {
      ...keyBase,
      description: `Vault ${env} Raft snapshots in s3://${backup.bucket}`,
      alias: `alias/vault-${env}-backup`,
      uses: [
        { sid: "SnapshotWriterEncrypt", principalArns: [writer.roleArn], ...writerKeyUse },
        { sid: "RestoreDrillDecrypt", principalArns: [restore.roleArn], ...readerKeyUse },
      ],
    });

    server.addToPolicy({
      sid: "UnsealKey",
      effect: "Allow",
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      resources: [unsealKey.keyArn],
    });
    writer.addToPolicy(
      { sid: "PutSnapshots", effect: "Allow", actions: ["s3:PutObject"], resources: [snapshotObjects] },
      { sid: "ListSnapshots", effect: "Allow", actions: ["s3:ListBucket"], resources: [backupBucketArn], condition: prefixCondition },
      {
        sid: "EncryptSnapshots",
        effect: "Allow",
        actions: writerKeyUse.actions,
        resources: [backupKey.keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [s3InRegion] }],
      },
    );
    restore.addToPolicy(
      { sid: "GetSnapshots", effect: "Allow", actions: ["s3:GetObject"], resources: [snapshotObjects] },
      { sid: "ListSnapshots", effect: "Allow", actions: ["s3:ListBucket"], resources: [backupBucketArn], condition: prefixCondition },
      {
        sid: "DecryptSnapshots",
        effect: "Allow",
        actions: readerKeyUse.actions,
        resources: [backupKey.keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [s3InRegion] }],
      },
    );

    // The AWS secrets engine (vault.aws) runs inside the Vault server process and takes the pod's credentials: a
    // pod gets exactly one IRSA role (its service account's eks.amazonaws.com/role-arn), so the engine's identity is
    // this server role; a role of its own would need `role_arn` in <path>/config/root, which the provider sends only
    // to Vault Enterprise (plugin workload identity federation). Its grant is AssumeRole on the declared targets only.
    if (config.vault.aws) server.addToPolicy(assumeTargetsStatement(config.vault.aws));

    const encryption =
      backup.encryption === "kms" ? ({ type: "kms", kmsKeyArn: backupKey.keyArn } as const) : ({ type: "aes256" } as const);
    let replicaKey: ScopedKmsKey | undefined;
    let replication: SnapshotReplication | undefined;
    if (backup.replication) {
      const replicaProvider = new AwsProvider(this, "aws-replica", {
        alias: "replica",
        region: backup.replication.region,
        allowedAccountIds: [aws.accountId],
        defaultTags: [{ tags: { "managed-by": "vault-platform", environment: env } }],
      });
      if (backup.encryption === "kms") {
        replicaKey = new ScopedKmsKey(this, "replica-key", {
          ...keyBase,
          provider: replicaProvider,
          description: `Vault ${env} Raft snapshot replicas in s3://${backup.replication.bucket}`,
          alias: `alias/vault-${env}-backup-replica`,
        });
      }
      replication = {
        bucketName: backup.replication.bucket,
        region: backup.replication.region,
        provider: replicaProvider,
        roleName: roles.snapshotReplication,
        encryption: replicaKey ? { type: "kms", kmsKeyArn: replicaKey.keyArn } : { type: "aes256" },
      };
    }

    const bucket = new BackupBucket(this, "snapshots", {
      bucketName: backup.bucket,
      accountId: aws.accountId,
      partition,
      region: aws.region,
      encryption,
      snapshotPrefix: backup.prefix,
      retentionDays: backup.retentionDays,
      noncurrentVersionDays: backup.noncurrentVersionDays,
      transition: backup.transition,
      objectLock: backup.objectLock,
      logBucketName: backup.logBucket,
      logRetentionDays: backup.logRetentionDays,
      replication,
    });
    if (bucket.replicationRoleArn) {
      if (backup.encryption === "kms") {
        backupKey.grantUse({ sid: "ReplicationDecrypt", principalArns: [bucket.replicationRoleArn], ...readerKeyUse });
      }
      replicaKey?.grantUse({
        sid: "ReplicationEncrypt",
        principalArns: [bucket.replicationRoleArn],
        actions: ["kms:Encrypt", "kms:GenerateDataKey"],
        viaService: `s3.${backup.replication!.region}.amazonaws.com`,
      });
    }
    if (backup.replication) {
      // The replicas are for a lost region: the restore role reads them back as it reads the source (get, list,
      // decrypt through S3 in the replica's region), and can write neither. Without this nobody could decrypt them.
      const replicaS3 = `s3.${backup.replication.region}.amazonaws.com`;
      const replicaArn = `arn:${partition}:s3:::${backup.replication.bucket}`;
      replicaKey?.grantUse({ sid: "RestoreDrillDecryptReplica", principalArns: [restore.roleArn], actions: ["kms:Decrypt"], viaService: replicaS3 });
      restore.addToPolicy(
        { sid: "GetReplicaSnapshots", effect: "Allow", actions: ["s3:GetObject"], resources: [`${replicaArn}/${backup.prefix}/${env}/*`] },
        { sid: "ListReplicaSnapshots", effect: "Allow", actions: ["s3:ListBucket"], resources: [replicaArn], condition: prefixCondition },
        ...(replicaKey
          ? [{ sid: "DecryptReplicaSnapshots", effect: "Allow" as const, actions: ["kms:Decrypt"], resources: [replicaKey.keyArn], condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [replicaS3] }] }]
          : []),
      );
    }

    const auditArchive = backup.auditArchive ? this.auditArchive(config, keyBase, server) : undefined;

    this.handles = {
      unsealKeyArn: unsealKey.keyArn,
      backupKeyArn: backupKey.keyArn,
      bucketName: bucket.bucketName,
      snapshotPrefix: bucket.snapshotPrefix,
      vaultServerRoleArn: server.roleArn,
      snapshotWriterRoleArn: writer.roleArn,
      restoreRoleArn: restore.roleArn,
      auditArchive,
    };
    const outputs: [string, string, string][] = [
      ["unseal_key_arn", unsealKey.keyArn, "KMS key that auto-unseals Vault (seal \"awskms\" kms_key_id)"],
      ["backup_key_arn", backupKey.keyArn, "KMS key of the snapshot bucket; uploads must name it in x-amz-server-side-encryption-aws-kms-key-id"],
      ["bucket_name", bucket.bucketName, "Bucket of the Raft snapshots"],
      ["snapshot_prefix", bucket.snapshotPrefix, `Snapshots are written as <prefix>/${env}/vault-<UTC timestamp>.snap`],
      ["log_bucket_name", bucket.logBucketName, "Bucket of the snapshot bucket's S3 access logs"],
      ["vault_server_role_arn", server.roleArn, `IRSA role for service account ${cluster.namespace}/${VAULT_SERVER_SERVICE_ACCOUNT}`],
      ["snapshot_writer_role_arn", writer.roleArn, `IRSA role for service account ${cluster.namespace}/${SNAPSHOT_WRITER_SERVICE_ACCOUNT}`],
      ["restore_role_arn", restore.roleArn, `IRSA role for service account ${cluster.namespace}/${RESTORE_DRILL_SERVICE_ACCOUNT}`],
      ...(auditArchive
        ? ([
            ["audit_archive_bucket", auditArchive.bucketName, "Bucket of the off-host audit log copy (Object Lock, compliance mode)"],
            ["audit_archive_prefix", auditArchive.prefix, "Key prefix the audit shipper writes under"],
            ["audit_archive_key_arn", auditArchive.keyArn, "KMS key of the audit archive; uploads must name it"],
          ] as [string, string, string][])
        : []),
    ];
    for (const [name, value, description] of outputs) new TerraformOutput(this, name, { value, description });
    if (config.vault.aws) {
      new TerraformOutput(this, AWS_TARGETS_OUTPUT, {
        value: awsTargetRoleArns(config.vault.aws),
        description: "IAM roles the Vault server role may assume for the AWS secrets engine; each must trust vault_server_role_arn",
      });
    }
    // Last: every resource of the stack exists now.
    protectStatefulResources(this, config.compliance.destructions);
  }

  /**
   * The off-host audit trail: its own KMS key, a bucket whose objects are locked in compliance mode for the
   * retention (then expire), its access logs, and PutObject for the Vault server's role (the shipper runs in the
   * Vault pod under its service account) under `<prefix>/<env>/`, encrypting through S3 with the key; never read,
   * delete or change retention.
   */
  private auditArchive(
    config: EnvironmentConfig,
    keyBase: Omit<ConstructorParameters<typeof ScopedKmsKey>[2], "description" | "alias">,
    server: IrsaRole,
  ): NonNullable<BackupHandles["auditArchive"]> {
    const archive = config.backup.auditArchive!;
    const env = config.environment;
    const s3InRegion = `s3.${config.aws.region}.amazonaws.com`;
    const writeUse = { actions: ["kms:GenerateDataKey"], viaService: s3InRegion };
    const key = new ScopedKmsKey(this, "audit-key", {
      ...keyBase,
      description: `Vault ${env} audit log archive in s3://${archive.bucket}`,
      alias: `alias/vault-${env}-audit`,
      uses: [{ sid: "AuditShipperEncrypt", principalArns: [server.roleArn], ...writeUse }],
    });
    const bucket = new BackupBucket(this, "audit-archive", {
      bucketName: archive.bucket,
      accountId: config.aws.accountId,
      partition: awsPartition(config.aws.region),
      region: config.aws.region,
      encryption: { type: "kms", kmsKeyArn: key.keyArn },
      snapshotPrefix: archive.prefix,
      // Locked for the retention, then expired; a noncurrent version (after expiry) goes a day later.
      retentionDays: archive.retentionDays,
      noncurrentVersionDays: 1,
      objectLock: { mode: "COMPLIANCE", days: archive.retentionDays },
      logBucketName: archive.logBucket,
      logRetentionDays: config.backup.logRetentionDays,
      stableIds: { bucket: "audit-archive", logs: "audit-archive-logs" },
    });
    const objects = objectsArn(awsPartition(config.aws.region), archive.bucket, `${archive.prefix}/${env}`);
    server.addToPolicy(
      { sid: "PutAuditLog", effect: "Allow", actions: ["s3:PutObject"], resources: [objects] },
      {
        sid: "EncryptAuditLog",
        effect: "Allow",
        actions: writeUse.actions,
        resources: [key.keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [s3InRegion] }],
      },
    );
    return { bucketName: bucket.bucketName, prefix: `${archive.prefix}/${env}`, keyArn: key.keyArn, region: config.aws.region };
  }
}
