import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config/schema";
import { configureBackend } from "./backend";

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
    throw new Error("VaultBackupStack: not built yet");
  }
}
