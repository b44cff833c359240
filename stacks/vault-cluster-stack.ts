import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { caNamespaces } from "../config/ca-namespaces";
import type { EnvironmentConfig } from "../config/schema";
import { CA_CONFIG_MAP_KEY, VaultCaBundle } from "../constructs/vault-ca-bundle";
import { RaftSnapshotJob } from "../constructs/raft-snapshot-job";
import { AUDIT_MOUNT_PATH, SERVER_POD_LABELS, buildVaultHelmValues } from "../constructs/vault-helm-values";
import { vaultReloaderContainer } from "../constructs/vault-reloader";
import { AuditShipper } from "../constructs/audit-shipper";
import { durationSeconds, quantityBytes } from "../config/format-rules";
import { RestoreDrillServiceAccount } from "../constructs/restore-drill-service-account";
import { VaultHelmRelease } from "../constructs/vault-helm-release";
import { vaultTelemetryValues } from "../constructs/vault-monitoring";
import { VaultDashboard } from "../constructs/vault-dashboard";
import { VaultNamespace } from "../constructs/vault-namespace";
import { VaultTls, vaultActiveAddress, vaultDnsNames } from "../constructs/vault-tls";
import { configureBackend } from "./backend";
import { protectStatefulResources } from "./stateful-protection";
import type { BackupHandles } from "./vault-backup-stack";

/** What the config stack needs from the cluster stack. */
export interface ClusterHandles {
  /**
   * Address the Vault provider talks to: the active node's in-cluster service, `https://vault-active.<namespace>.svc:8200`
   * (on Vault's certificate; reachable from the deploy runner's namespace).
   */
  readonly vaultAddress: string;
  readonly namespace: string;
  /** Secret holding Vault's serving certificate and CA (`ca.crt`). */
  readonly tlsSecretName: string;
  /** The ConfigMap with Vault's CA in each namespace of `namespaces` (clients set VAULT_CACERT to its key). */
  readonly caConfigMap: { readonly name: string; readonly key: string; readonly namespaces: readonly string[] };
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

    const { cluster, backup } = config;

    const namespace = new VaultNamespace(this, "namespace", { name: cluster.namespace });
    // The plan runner's pods, admitted to Vault's API, run under Pod Security `restricted`: the API server refuses a
    // pod that allows privilege escalation, so the runner image's passwordless sudo cannot elevate (no_new_privs).
    new VaultNamespace(this, "plan-runner-namespace", { name: cluster.planRunner.namespace });
    const tls = new VaultTls(this, "tls", { namespace: namespace.name, tls: cluster.tls });

    const caPublication = cluster.caPublication;
    const caTargets = caNamespaces(config);
    if (caTargets.length > 0) {
      new VaultCaBundle(this, "ca-bundle", {
        name: caPublication.configMapName,
        sourceSecret: caPublication.source.secret,
        sourceKey: caPublication.source.key,
        namespaces: caTargets,
      });
    }

    const snapshots = new RaftSnapshotJob(this, "raft-snapshot", {
      namespace: namespace.name,
      environment: config.environment,
      bucketName: props.backup.bucketName,
      prefix: props.backup.snapshotPrefix,
      encryption: backup.encryption === "kms" ? { type: "kms", keyArn: props.backup.backupKeyArn } : { type: "aes256" },
      region: config.aws.region,
      roleArn: props.backup.snapshotWriterRoleArn,
      tlsSecretName: tls.secretName,
      images: backup.images,
      schedule: backup.schedule,
      authPath: config.vault.auth.kubernetes.path,
    });

    new RestoreDrillServiceAccount(this, "restore-drill", { namespace: namespace.name, roleArn: props.backup.restoreRoleArn });

    // The off-host audit trail: a shipper in the Vault pod follows the file audit devices into the archive bucket.
    const auditFiles = config.vault.audit.flatMap((d) => (d.type === "file" && d.filePath.startsWith(`${AUDIT_MOUNT_PATH}/`) ? [d.filePath] : []));
    const archive = props.backup.auditArchive;
    const shipper =
      archive && backup.auditArchive && auditFiles.length > 0
        ? new AuditShipper(this, "audit-shipper", {
            namespace: namespace.name,
            namespaceName: cluster.namespace,
            podLabels: SERVER_POD_LABELS,
            monitor: cluster.monitoring.enabled,
            image: backup.auditArchive.shipperImage,
            auditFiles,
            // vault-helm's volumeClaimTemplate for server.auditStorage is named "audit".
            auditVolume: { name: "audit", mountPath: AUDIT_MOUNT_PATH },
            bucket: archive.bucketName,
            prefix: archive.prefix,
            region: archive.region,
            kmsKeyArn: archive.keyArn,
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
          })
        : undefined;

    const monitoring = cluster.monitoring;
    if (monitoring.enabled) {
      new VaultDashboard(this, "dashboard", {
        vaultNamespace: cluster.namespace,
        environment: config.environment,
        namespace: monitoring.dashboard.namespace ?? monitoring.prometheusNamespace,
        labels: monitoring.dashboard.labels,
        snapshotCronJobName: snapshots.name,
        certificateName: tls.certificate && cluster.tls.source === "cert-manager" ? tls.certificateName : undefined,
        oidcMounts: config.vault.auth.oidc ? [config.vault.auth.oidc.path] : [],
        auditShipper: shipper?.job !== undefined,
      });
    }

    const values = buildVaultHelmValues({
      cluster,
      region: config.aws.region,
      unsealKeyArn: props.backup.unsealKeyArn,
      serverRoleArn: props.backup.vaultServerRoleArn,
      tlsSecretName: tls.secretName,
      telemetry: cluster.monitoring.enabled
        ? vaultTelemetryValues({
            namespace: cluster.namespace,
            tlsSecretName: tls.secretName,
            latencyP99Ms: cluster.monitoring.latencyP99Ms,
            snapshotCronJobName: snapshots.name,
            snapshotSchedule: snapshots.schedule,
            certificate: tls.certificate && cluster.tls.source === "cert-manager"
              ? { name: tls.certificateName, renewBeforeSeconds: durationSeconds(cluster.tls.renewBefore) }
              : undefined,
            authFailuresPerMinute: cluster.monitoring.authFailuresPerMinute,
            tokenCreationPerMinute: cluster.monitoring.tokenCreationPerMinute,
            oidcMounts: config.vault.auth.oidc ? [config.vault.auth.oidc.path] : [],
            auditShipperJob: shipper?.job,
          })
        : undefined,
      prometheusNamespace: cluster.monitoring.enabled ? cluster.monitoring.prometheusNamespace : undefined,
      reloader: vaultReloaderContainer({
        image: `${cluster.image.repository}:${cluster.image.tag}`,
        // The file audit devices on the audit volume (stdout has no file to rotate).
        auditFiles,
        auditMountPath: AUDIT_MOUNT_PATH,
        maxFileBytes: quantityBytes(cluster.storage.auditRotation.maxFileSize),
        keep: cluster.storage.auditRotation.keep,
        intervalSeconds: cluster.reloader.intervalSeconds,
        resources: cluster.reloader.resources,
      }),
      auditShipper: shipper?.values,
    });

    new VaultHelmRelease(this, "vault", {
      namespace: namespace.name,
      repository: cluster.chart.repository,
      chartVersion: cluster.chart.version,
      values,
      dependsOn: tls.certificate || shipper ? [...(tls.certificate ? [tls.certificate] : []), ...(shipper ? [shipper.configMap] : [])] : undefined,
    });

    const vaultAddress = vaultActiveAddress(cluster.namespace);
    // The provider verifies the certificate against this host; a certificate this app requests always names it.
    const host = new URL(vaultAddress).hostname;
    const names = vaultDnsNames(cluster.namespace, cluster.tls.hostnames);
    if (tls.certificate && !names.includes(host)) {
      throw new Error(`VaultClusterStack ${id}: ${host} (the config stack's provider address) is not on Vault's certificate (${names.join(", ")})`);
    }
    this.handles = {
      vaultAddress,
      namespace: namespace.name,
      tlsSecretName: tls.secretName,
      caConfigMap: { name: caPublication.configMapName, key: CA_CONFIG_MAP_KEY, namespaces: caTargets },
    };
    // Last: every resource of the stack exists now.
    protectStatefulResources(this, config.compliance.destructions);
  }
}
