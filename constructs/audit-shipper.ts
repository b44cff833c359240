/**
 * The `audit-shipper` sidecar of the Vault server pods: Vector (a pinned image) follows the file audit device's log
 * on the audit volume, the rotated files included, and writes it to the audit archive bucket (vault-backup-<env>,
 * `backup.auditArchive`) under `<prefix>/<env>/%Y/%m/%d/`, gzip, one PutObject per batch with SSE-KMS and the
 * archive's key (the bucket policy refuses anything else). Its credentials are the Vault server's IRSA role (the
 * pod's service account), which may only add objects there.
 *
 * Vector's options, from vectordotdev/vector: src/sinks/aws_s3/config.rs (bucket, key_prefix, region, compression,
 * batch, healthcheck) and src/sinks/s3_common/config.rs (S3Options: server_side_encryption "aws:kms", ssekms_key_id);
 * the healthcheck is a HeadBucket (build_healthcheck), which the role may not do, so it is off. Its own metrics
 * (internal_metrics source, prometheus_exporter sink on :9598) let Prometheus see whether events still reach the
 * archive (alert VaultAuditShippingStopped).
 */
import { Construct } from "constructs";
import { stringifyYaml } from "../config/parse-cache";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ContainerResources } from "./vault-helm-values";

/** Container name, also used by the alert and the report. */
export const AUDIT_SHIPPER_CONTAINER = "audit-shipper";
/** The ConfigMap holding vector.yaml, and where it is mounted. */
export const AUDIT_SHIPPER_CONFIG_MAP = "vault-audit-shipper";
const CONFIG_DIR = "/etc/vector";
const DATA_DIR = "/var/lib/vector";
export const AUDIT_SHIPPER_METRICS_PORT = 9598;
/** The sink's component id: its metrics carry component_id="archive". */
export const AUDIT_SHIPPER_SINK = "archive";

export interface AuditShipperProps {
  /** Vector image, pinned to an exact version. */
  readonly image: string;
  /** Audit log files on the audit volume (file audit devices' file_path). */
  readonly auditFiles: readonly string[];
  /** The chart's audit volume name and mount path. */
  readonly auditVolume: { readonly name: string; readonly mountPath: string };
  readonly bucket: string;
  /** Key prefix, without a trailing `/` (`<prefix>/<env>`). */
  readonly prefix: string;
  readonly region: string;
  /** The archive key's ARN (the bucket policy requires it in every upload). */
  readonly kmsKeyArn: string;
  readonly resources: ContainerResources;
}

/** vector.yaml: follow the audit files, archive them, expose Vector's own metrics. */
export function auditShipperConfig(props: AuditShipperProps): string {
  if (props.auditFiles.length === 0) throw new Error("audit shipper: no file audit device to ship");
  const config = {
    data_dir: DATA_DIR,
    sources: {
      audit: {
        type: "file",
        // The live file and the reloader's rotated copies (same first bytes: read once, by checksum fingerprint).
        include: props.auditFiles.flatMap((f) => [f, `${f}.*`]),
        read_from: "beginning",
      },
      shipper_metrics: { type: "internal_metrics" },
    },
    sinks: {
      [AUDIT_SHIPPER_SINK]: {
        type: "aws_s3",
        inputs: ["audit"],
        bucket: props.bucket,
        region: props.region,
        key_prefix: `${props.prefix}/%Y/%m/%d/`,
        compression: "gzip",
        encoding: { codec: "text" },
        server_side_encryption: "aws:kms",
        ssekms_key_id: props.kmsKeyArn,
        healthcheck: { enabled: false },
        batch: { timeout_secs: 60 },
      },
      metrics: { type: "prometheus_exporter", inputs: ["shipper_metrics"], address: `0.0.0.0:${AUDIT_SHIPPER_METRICS_PORT}` },
    },
  };
  return stringifyYaml(config, { lineWidth: 0 });
}

/** The sidecar for `server.extraContainers`, and the volumes it needs beside the chart's audit volume. */
export function auditShipperContainer(props: AuditShipperProps): { container: Record<string, unknown>; volumes: Record<string, unknown>[] } {
  if (!/:[0-9]+\.[0-9]+\.[0-9]+/.test(props.image) && !props.image.includes("@sha256:")) {
    throw new Error(`audit shipper: image ${props.image} must be pinned to an exact version or digest`);
  }
  return {
    container: {
      name: AUDIT_SHIPPER_CONTAINER,
      image: props.image,
      args: ["--config", `${CONFIG_DIR}/vector.yaml`],
      ports: [{ name: "shipper-metrics", containerPort: AUDIT_SHIPPER_METRICS_PORT }],
      securityContext: {
        runAsNonRoot: true,
        // Vault's user and group (vault-helm server.uid/gid): the audit files are Vault's, mode 0600.
        runAsUser: 100,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      },
      resources: { requests: { ...props.resources.requests }, limits: { ...props.resources.limits } },
      volumeMounts: [
        { name: props.auditVolume.name, mountPath: props.auditVolume.mountPath, readOnly: true },
        { name: "audit-shipper-config", mountPath: CONFIG_DIR, readOnly: true },
        { name: "audit-shipper-data", mountPath: DATA_DIR },
      ],
    },
    volumes: [
      { name: "audit-shipper-config", configMap: { name: AUDIT_SHIPPER_CONFIG_MAP } },
      // Vector's checkpoints (how far each file was read); lost with the pod, then the files are read again.
      { name: "audit-shipper-data", emptyDir: { sizeLimit: "256Mi" } },
    ],
  };
}

export interface AuditShipperConstructProps extends AuditShipperProps {
  /** Vault's namespace (the ConfigMap and the PodMonitor live there); may be a reference to the namespace resource. */
  readonly namespace: string;
  /** The namespace's name as a literal, for the PodMonitor's job label in the alert rules. */
  readonly namespaceName: string;
  /** Labels of the Vault server pods, which the PodMonitor selects. */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * Create a PodMonitor so Prometheus scrapes the shipper's metrics (the alerts need them).
   * @default false
   */
  readonly monitor?: boolean;
}

/** The shipper's config (a ConfigMap in Vault's namespace), its sidecar values, and its PodMonitor. */
export class AuditShipper extends Construct {
  /** For `buildVaultHelmValues({ auditShipper })`. */
  public readonly values: { readonly container: Record<string, unknown>; readonly volumes: Record<string, unknown>[]; readonly metricsPort: number };
  public readonly configMap: ConfigMapV1;
  /** The Prometheus job of its PodMonitor (`<namespace>/<name>`), when monitored. */
  public readonly job?: string;

  constructor(scope: Construct, id: string, props: AuditShipperConstructProps) {
    super(scope, id);
    this.configMap = new ConfigMapV1(this, "config", {
      metadata: { name: AUDIT_SHIPPER_CONFIG_MAP, namespace: props.namespace },
      data: { "vector.yaml": auditShipperConfig(props) },
    });
    this.values = { ...auditShipperContainer(props), metricsPort: AUDIT_SHIPPER_METRICS_PORT };
    if (props.monitor) {
      new Manifest(this, "pod-monitor", {
        manifest: {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: AUDIT_SHIPPER_CONTAINER, namespace: props.namespace },
          spec: { selector: { matchLabels: { ...props.podLabels } }, podMetricsEndpoints: [{ port: "shipper-metrics", path: "/metrics", interval: "30s" }] },
        },
      });
      // prometheus-operator names a PodMonitor's job <namespace>/<name>.
      this.job = `${props.namespaceName}/${AUDIT_SHIPPER_CONTAINER}`;
    }
  }
}
