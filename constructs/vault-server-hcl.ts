/**
 * Renders Vault's server configuration (HCL) from typed input. The result goes into the chart's
 * `server.ha.raft.config`, which is stored in a ConfigMap: it must never hold a secret, so the input has no field
 * for one (the KMS seal authenticates through the pod's IRSA role, not static keys).
 *
 * The chart copies the config and replaces `HOSTNAME` with the pod name before starting Vault, which is how each
 * pod gets its own `api_addr`/`cluster_addr`. It also passes the text through Helm's `tpl`, so `{{` is refused.
 */
import { Token } from "cdktf";

export type TlsMinVersion = "tls12" | "tls13";

export interface RaftRetryJoin {
  /** `https://` address of a peer's API listener. */
  readonly leaderApiAddr: string;
  /** CA bundle that signed the peer's certificate. */
  readonly leaderCaCertFile: string;
  /** Name the peer's certificate is checked against. */
  readonly leaderTlsServername: string;
}

export interface VaultServerHclProps {
  readonly listener: {
    readonly tlsCertFile: string;
    readonly tlsKeyFile: string;
    readonly tlsClientCaFile: string;
    readonly tlsMinVersion: TlsMinVersion;
    /**
     * Let Prometheus read `/v1/sys/metrics` without a Vault token (the network policy still limits who reaches 8200).
     * @default false
     */
    readonly unauthenticatedMetricsAccess?: boolean;
    /** @default "[::]:8200" */
    readonly address?: string;
    /** @default "[::]:8201" */
    readonly clusterAddress?: string;
  };
  /** The address this node advertises to clients (`https://HOSTNAME.vault-internal:8200`). */
  readonly apiAddr: string;
  /** The address this node advertises to Raft peers (`https://HOSTNAME.vault-internal:8201`). */
  readonly clusterAddr: string;
  readonly raft: {
    /** @default "/vault/data" (the chart's data volume) */
    readonly path?: string;
    /** One entry per replica, so a restarted node finds any peer. */
    readonly retryJoin: readonly RaftRetryJoin[];
  };
  readonly seal: {
    /** KMS key id or ARN of the unseal key. */
    readonly kmsKeyId: string;
    readonly region: string;
  };
  readonly telemetry?: {
    /**
     * How long Vault keeps serving a metric after its last update. armon/go-metrics' PrometheusSink deletes older
     * ones at each scrape and a counter updated again later starts from zero, so this must outlast the longest alert
     * window (an hour of leadership losses), else sparse counters never show an increase.
     * @default "24h" (Vault's own default)
     */
    readonly prometheusRetentionTime?: string;
  };
  /**
   * The web UI.
   * @default false
   */
  readonly ui?: boolean;
}

/** A quoted HCL string. Unresolved tokens pass through; Terraform resolves them inside the values string. */
function str(value: string, what: string): string {
  if (!Token.isUnresolved(value) && /\$\{|%\{|\{\{/.test(value)) {
    throw new Error(`vault server config: ${what} must not contain "\${", "%{" or "{{" (got ${JSON.stringify(value)})`);
  }
  return JSON.stringify(value);
}

/** Vault's server configuration as HCL text. */
export function renderVaultServerHcl(props: VaultServerHclProps): string {
  const l = props.listener;
  if (props.raft.retryJoin.length === 0) {
    throw new Error("vault server config: raft.retryJoin must list at least one peer");
  }
  props.raft.retryJoin.forEach((j, i) => {
    if (!Token.isUnresolved(j.leaderApiAddr) && !j.leaderApiAddr.startsWith("https://")) {
      throw new Error(`vault server config: raft.retryJoin[${i}].leaderApiAddr must be an https:// address (got ${j.leaderApiAddr})`);
    }
  });
  const lines: string[] = [
    `ui = ${props.ui ?? false}`,
    // The chart would append this too; stated so the file says what it does (no swap on Kubernetes, no IPC_LOCK).
    "disable_mlock = true",
    `api_addr = ${str(props.apiAddr, "apiAddr")}`,
    `cluster_addr = ${str(props.clusterAddr, "clusterAddr")}`,
    "",
    'listener "tcp" {',
    `  address = ${str(l.address ?? "[::]:8200", "listener.address")}`,
    `  cluster_address = ${str(l.clusterAddress ?? "[::]:8201", "listener.clusterAddress")}`,
    `  tls_cert_file = ${str(l.tlsCertFile, "listener.tlsCertFile")}`,
    `  tls_key_file = ${str(l.tlsKeyFile, "listener.tlsKeyFile")}`,
    `  tls_client_ca_file = ${str(l.tlsClientCaFile, "listener.tlsClientCaFile")}`,
    `  tls_min_version = ${str(l.tlsMinVersion, "listener.tlsMinVersion")}`,
    "  telemetry {",
    `    unauthenticated_metrics_access = ${l.unauthenticatedMetricsAccess ?? false}`,
    "  }",
    "}",
    "",
    'storage "raft" {',
    `  path = ${str(props.raft.path ?? "/vault/data", "raft.path")}`,
    "  performance_multiplier = 1",
  ];
  for (const [i, j] of props.raft.retryJoin.entries()) {
    lines.push(
      "  retry_join {",
      `    leader_api_addr = ${str(j.leaderApiAddr, `raft.retryJoin[${i}].leaderApiAddr`)}`,
      `    leader_ca_cert_file = ${str(j.leaderCaCertFile, `raft.retryJoin[${i}].leaderCaCertFile`)}`,
      `    leader_tls_servername = ${str(j.leaderTlsServername, `raft.retryJoin[${i}].leaderTlsServername`)}`,
      "  }",
    );
  }
  lines.push(
    "}",
    "",
    // No access_key/secret_key: the AWS SDK picks up the IRSA web identity token of the pod's service account.
    'seal "awskms" {',
    `  region = ${str(props.seal.region, "seal.region")}`,
    `  kms_key_id = ${str(props.seal.kmsKeyId, "seal.kmsKeyId")}`,
    "}",
    "",
    'service_registration "kubernetes" {}',
    "",
    "telemetry {",
    `  prometheus_retention_time = ${str(props.telemetry?.prometheusRetentionTime ?? "24h", "telemetry.prometheusRetentionTime")}`,
    "  disable_hostname = true",
    "}",
    "",
  );
  return lines.join("\n");
}
