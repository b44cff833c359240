/**
 * The values of the pinned `hashicorp/vault` chart (0.34.1), as a typed object built from the cluster config.
 * Only keys of the chart's `values.yaml` appear here: Helm ignores unknown keys silently, so a typo would
 * otherwise ship a default. Serialised once, by `VaultHelmRelease`.
 */
import type { ClusterConfig } from "../config/schema";
import { SERVICE_ACCOUNTS } from "./service-accounts";
import { renderVaultServerHcl } from "./vault-server-hcl";

type Quantities = { readonly cpu: string; readonly memory: string };
/** A container's requests and limits. */
export type ContainerResources = { readonly requests: Quantities; readonly limits: Quantities };
type Labels = Readonly<Record<string, string>>;

export interface SecurityContexts {
  readonly pod: Readonly<Record<string, unknown>>;
  readonly container: Readonly<Record<string, unknown>>;
}

export interface NetworkPolicyPeer {
  readonly namespaceSelector?: {
    readonly matchExpressions: readonly { readonly key: string; readonly operator: "In"; readonly values: readonly string[] }[];
  };
  readonly podSelector?: { readonly matchLabels: Labels };
}

export interface NetworkPolicyIngressRule {
  readonly from: readonly NetworkPolicyPeer[];
  readonly ports: readonly { readonly port: number; readonly protocol: "TCP" }[];
}

export interface PrometheusAlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface ServerTelemetryValues {
  readonly serviceMonitor: {
    readonly enabled: boolean;
    readonly interval?: string;
    readonly scrapeTimeout?: string;
    readonly matchLabels?: Labels;
    readonly tlsConfig?: Readonly<Record<string, unknown>>;
  };
  readonly prometheusRules: { readonly enabled: boolean; readonly rules: readonly PrometheusAlertRule[] };
}

/** The subset of the chart's values this app sets. */
export interface VaultHelmValues {
  readonly global: { readonly enabled: true; readonly tlsDisable: false };
  readonly injector:
    | { readonly enabled: false }
    | {
        readonly enabled: true;
        readonly replicas: number;
        readonly podDisruptionBudget: { readonly maxUnavailable: number };
        readonly securityContext: SecurityContexts;
      };
  readonly csi: { readonly enabled: false };
  readonly server: {
    readonly image: { readonly repository: string; readonly tag: string };
    readonly updateStrategyType: "OnDelete";
    readonly resources: { readonly requests: Quantities; readonly limits: Quantities };
    readonly ingress: { readonly enabled: false };
    readonly extraEnvironmentVars: Readonly<Record<string, string>>;
    readonly volumes: readonly Readonly<Record<string, unknown>>[];
    readonly volumeMounts: readonly Readonly<Record<string, unknown>>[];
    readonly shareProcessNamespace: boolean;
    readonly extraContainers?: readonly Readonly<Record<string, unknown>>[];
    readonly topologySpreadConstraints: readonly Readonly<Record<string, unknown>>[];
    readonly networkPolicy: { readonly enabled: true; readonly ingress: readonly NetworkPolicyIngressRule[] };
    readonly includeConfigAnnotation: true;
    readonly dataStorage: { readonly enabled: true; readonly size: string; readonly storageClass: string };
    readonly auditStorage: { readonly enabled: true; readonly size: string; readonly storageClass: string; readonly mountPath: string };
    readonly standalone: { readonly enabled: false };
    readonly ha: {
      readonly enabled: true;
      readonly replicas: number;
      readonly apiAddr: string;
      readonly clusterAddr: string;
      readonly raft: { readonly enabled: true; readonly setNodeId: true; readonly config: string };
      readonly disruptionBudget: { readonly enabled: true; readonly maxUnavailable: number };
    };
    readonly serviceAccount: {
      readonly create: true;
      readonly name: string;
      readonly createSecret: false;
      readonly annotations: Labels;
    };
    readonly statefulSet: { readonly securityContext: SecurityContexts };
  };
  readonly ui: { readonly enabled: boolean; readonly serviceType: "ClusterIP" };
  readonly serverTelemetry: ServerTelemetryValues;
}

/** The Helm release name; the chart derives the service names (`vault`, `vault-active`, `vault-internal`) from it. */
export const RELEASE_NAME = "vault";
/** Where the TLS secret is mounted in the server pods. */
export const TLS_MOUNT_PATH = "/vault/userconfig/vault-tls";
/** Where the audit volume is mounted (server.auditStorage.mountPath); file audit devices write under it. */
export const AUDIT_MOUNT_PATH = "/vault/audit";
/** Labels the chart puts on the server pods (release `vault`). */
export const SERVER_POD_LABELS = {
  "app.kubernetes.io/name": "vault",
  "app.kubernetes.io/instance": RELEASE_NAME,
  component: "server",
} as const;

/** Non-root, no privilege escalation (the chart's defaults), plus the rest of the `restricted` Pod Security level. */
const RESTRICTED: SecurityContexts = {
  pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
  container: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
};

export interface VaultHelmValuesProps {
  readonly cluster: ClusterConfig;
  readonly region: string;
  /** KMS key that auto-unseals Vault. */
  readonly unsealKeyArn: string;
  /** IRSA role of the server pods, put on the chart's service account. */
  readonly serverRoleArn: string;
  /** Secret with tls.crt, tls.key and ca.crt. */
  readonly tlsSecretName: string;
  /**
   * Voluntary disruptions the server pods tolerate at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * ServiceMonitor and PrometheusRule values.
   * @default - both off
   */
  readonly telemetry?: ServerTelemetryValues;
  /**
   * Namespace whose Prometheus scrapes Vault on 8200 (added to the network policy).
   * @default - none
   */
  readonly prometheusNamespace?: string;
  /**
   * The vault-reloader sidecar (constructs/vault-reloader.ts); the pod then shares one process namespace so it can
   * signal Vault.
   * @default - no sidecar: a renewed certificate or a rotated audit log needs a manual SIGHUP
   */
  readonly reloader?: Readonly<Record<string, unknown>>;
  /**
   * The audit-shipper sidecar (constructs/audit-shipper.ts) with its volumes and metrics port (Prometheus, when
   * monitoring, is admitted to it).
   * @default - no off-host copy of the audit log
   */
  readonly auditShipper?: { readonly container: Readonly<Record<string, unknown>>; readonly volumes: readonly Readonly<Record<string, unknown>>[]; readonly metricsPort: number };
}

/** Builds the chart values; throws when the cluster config cannot keep a Raft quorum. */
export function buildVaultHelmValues(props: VaultHelmValuesProps): VaultHelmValues {
  const { cluster } = props;
  const ns = cluster.namespace;
  const replicas = cluster.replicas;
  const maxUnavailable = props.maxUnavailable ?? 1;
  const quorumSpare = Math.floor((replicas - 1) / 2);
  if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > quorumSpare) {
    throw new Error(
      `vault helm values: maxUnavailable must be from 1 to (replicas - 1) / 2 = ${quorumSpare} so ${replicas} Raft voters keep a quorum (got ${maxUnavailable})`,
    );
  }
  const internal = `${RELEASE_NAME}-internal`;
  const caFile = `${TLS_MOUNT_PATH}/ca.crt`;
  const monitoring = props.telemetry?.serviceMonitor.enabled ?? false;

  const config = renderVaultServerHcl({
    listener: {
      tlsCertFile: `${TLS_MOUNT_PATH}/tls.crt`,
      tlsKeyFile: `${TLS_MOUNT_PATH}/tls.key`,
      tlsClientCaFile: caFile,
      tlsMinVersion: cluster.tls.minVersion,
      unauthenticatedMetricsAccess: monitoring,
    },
    // HOSTNAME is replaced by the pod name when the container starts (chart behaviour).
    apiAddr: `https://HOSTNAME.${internal}:8200`,
    clusterAddr: `https://HOSTNAME.${internal}:8201`,
    raft: {
      retryJoin: Array.from({ length: replicas }, (_, i) => ({
        leaderApiAddr: `https://${RELEASE_NAME}-${i}.${internal}:8200`,
        leaderCaCertFile: caFile,
        leaderTlsServername: `${RELEASE_NAME}-${i}.${internal}`,
      })),
    },
    seal: { kmsKeyId: props.unsealKeyArn, region: props.region },
    ui: cluster.ui.enabled,
  });

  // 8200 from: the applications, Vault's own namespace (snapshot job), Prometheus when monitoring, and the two runner
  // scale sets that apply and plan vault-config. Nothing else.
  const apiNamespaces = [
    ...new Set([
      ...cluster.allowedNamespaces,
      ns,
      ...(props.prometheusNamespace ? [props.prometheusNamespace] : []),
      cluster.deployRunner.namespace,
      cluster.planRunner.namespace,
    ]),
  ];

  return {
    global: { enabled: true, tlsDisable: false },
    injector: cluster.injector.enabled
      ? {
          enabled: true,
          replicas: cluster.injector.replicas,
          podDisruptionBudget: { maxUnavailable: 1 },
          securityContext: RESTRICTED,
        }
      : { enabled: false },
    csi: { enabled: false },
    server: {
      image: { repository: cluster.image.repository, tag: cluster.image.tag },
      updateStrategyType: "OnDelete",
      resources: { requests: { ...cluster.resources.requests }, limits: { ...cluster.resources.limits } },
      // Vault terminates TLS itself; no ingress in front of it.
      ingress: { enabled: false },
      extraEnvironmentVars: { VAULT_CACERT: caFile },
      volumes: [{ name: "vault-tls", secret: { secretName: props.tlsSecretName, defaultMode: 0o440 } }, ...(props.auditShipper?.volumes ?? [])],
      volumeMounts: [{ name: "vault-tls", mountPath: TLS_MOUNT_PATH, readOnly: true }],
      // The reloader signals Vault's process, which it can only see in a shared process namespace.
      shareProcessNamespace: props.reloader !== undefined,
      ...(props.reloader || props.auditShipper
        ? { extraContainers: [...(props.reloader ? [props.reloader] : []), ...(props.auditShipper ? [props.auditShipper.container] : [])] }
        : {}),
      // The chart's server.affinity (one pod per node) stays; this adds one-per-zone spreading.
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { ...SERVER_POD_LABELS } },
        },
      ],
      networkPolicy: {
        enabled: true,
        ingress: [
          {
            from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: apiNamespaces }] } }],
            ports: [{ port: 8200, protocol: "TCP" }],
          },
          // Raft and request forwarding: Vault pods only.
          { from: [{ podSelector: { matchLabels: { ...SERVER_POD_LABELS } } }], ports: [{ port: 8201, protocol: "TCP" }] },
          // The audit shipper's metrics: Prometheus only.
          ...(props.auditShipper && props.prometheusNamespace
            ? [
                <NetworkPolicyIngressRule>{
                  from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In" as const, values: [props.prometheusNamespace] }] } }],
                  ports: [{ port: props.auditShipper.metricsPort, protocol: "TCP" as const }],
                },
              ]
            : []),
        ],
      },
      // Marks pods whose config changed, so an OnDelete rollout knows which to delete.
      includeConfigAnnotation: true,
      dataStorage: { enabled: true, size: cluster.storage.dataSize, storageClass: cluster.storage.storageClass },
      auditStorage: { enabled: true, size: cluster.storage.auditSize, storageClass: cluster.storage.storageClass, mountPath: AUDIT_MOUNT_PATH },
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas,
        // The chart exports these as VAULT_API_ADDR / VAULT_CLUSTER_ADDR, which win over the config file; kept equal.
        apiAddr: `https://$(VAULT_K8S_POD_NAME).${internal}:8200`,
        clusterAddr: `https://$(HOSTNAME).${internal}:8201`,
        raft: { enabled: true, setNodeId: true, config },
        disruptionBudget: { enabled: true, maxUnavailable },
      },
      serviceAccount: {
        create: true,
        name: SERVICE_ACCOUNTS.vaultServer,
        createSecret: false,
        annotations: { "eks.amazonaws.com/role-arn": props.serverRoleArn },
      },
      statefulSet: { securityContext: RESTRICTED },
    },
    ui: { enabled: cluster.ui.enabled, serviceType: "ClusterIP" },
    serverTelemetry: props.telemetry ?? {
      serviceMonitor: { enabled: false },
      prometheusRules: { enabled: false, rules: [] },
    },
  };
}
