import { Construct } from "constructs";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { SERVICE_ACCOUNTS } from "./service-accounts";

export interface RestoreDrillServiceAccountProps {
  /** Vault's namespace: the IRSA role's trust policy names this namespace and the account's name. */
  readonly namespace: string;
  /** The IRSA role that may read snapshots back (the backup stack's `restore_role_arn`). */
  readonly roleArn: string;
}

/**
 * The service account the quarterly restore drill's pod runs as (docs/restore-drill.md): AWS access through its
 * IRSA role (get and decrypt snapshots), Vault access through the Kubernetes auth role `restore-drill` (read the
 * canary). No API token is mounted automatically; the drill pod projects a short-lived token for Vault itself.
 */
export class RestoreDrillServiceAccount extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RestoreDrillServiceAccountProps) {
    super(scope, id);
    const account = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: SERVICE_ACCOUNTS.restoreDrill,
        namespace: props.namespace,
        labels: { "app.kubernetes.io/name": "vault-restore-drill", "app.kubernetes.io/part-of": "vault-platform" },
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" },
      },
      automountServiceAccountToken: false,
    });
    this.name = account.metadata.name;
  }
}
