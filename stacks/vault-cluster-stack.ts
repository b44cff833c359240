import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { EnvironmentConfig } from "../config/schema";
import { configureBackend } from "./backend";
import type { BackupHandles } from "./vault-backup-stack";

/** What the config stack needs from the cluster stack. */
export interface ClusterHandles {
  /** Address the Vault provider talks to (https). */
  readonly vaultAddress: string;
  readonly namespace: string;
  /** Secret holding Vault's serving certificate and CA (`ca.crt`). */
  readonly tlsSecretName: string;
}

export interface VaultClusterStackProps {
  readonly config: EnvironmentConfig;
  readonly backup: BackupHandles;
}

/**
 * `vault-cluster-<env>`: HA Raft Vault on Kubernetes through the official Helm chart, TLS end to end, KMS
 * auto-unseal, network policy, and the Raft snapshot CronJob. Credentials come from the providers' own
 * environment (KUBE_CONFIG_PATH, KUBE_CTX ...), never from the synthesized JSON.
 */
export class VaultClusterStack extends TerraformStack {
  public readonly handles: ClusterHandles;

  constructor(scope: Construct, id: string, props: VaultClusterStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, id, config.stateBackend);
    new KubernetesProvider(this, "kubernetes", {});
    new HelmProvider(this, "helm", {});
    throw new Error("VaultClusterStack: not built yet");
  }
}
