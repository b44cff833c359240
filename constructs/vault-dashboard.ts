/**
 * The Vault cluster's Grafana dashboard as code: a ConfigMap holding the dashboard JSON, labelled so Grafana's
 * dashboard sidecar (kiwigrid/k8s-sidecar in the grafana chart; kube-prometheus-stack watches `grafana_dashboard: "1"`
 * in its own namespace by default) loads it. Every query reads the metrics the alert rules read
 * (constructs/vault-monitoring.ts), so the dashboard shows what the alerts decide on.
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { RELEASE_NAME } from "./vault-helm-values";
import { INTERNAL_SERVICE, failedLoginsPerMinute } from "./vault-monitoring";
import { AUDIT_SHIPPER_SINK } from "./audit-shipper";

/** Grafana's dashboard JSON model version this dashboard is written for (Grafana 10.4). */
export const DASHBOARD_SCHEMA_VERSION = 39;

export interface VaultDashboardProps {
  /** Vault's namespace (the metrics' `namespace` label). */
  readonly vaultNamespace: string;
  /** The environment, in the dashboard's title and uid. */
  readonly environment: string;
  /** Namespace of the ConfigMap: where Grafana's sidecar looks. */
  readonly namespace: string;
  /**
   * Labels Grafana's sidecar selects dashboards by.
   * @default { grafana_dashboard: "1" }
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Name of the Raft snapshot CronJob, for the snapshot age. */
  readonly snapshotCronJobName: string;
  /**
   * Name of Vault's cert-manager Certificate, for its expiry.
   * @default - no certificate panel (an existing secret is watched by its owner)
   */
  readonly certificateName?: string;
  /**
   * Paths of the OIDC auth mounts, for the failed-login count.
   * @default - none
   */
  readonly oidcMounts?: readonly string[];
  /**
   * Whether the audit shipper runs (its shipping panel).
   * @default false
   */
  readonly auditShipper?: boolean;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: "timeseries" | "stat";
  readonly title: string;
  readonly description: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource: { readonly type: "prometheus"; readonly uid: string };
  readonly fieldConfig: { readonly defaults: { readonly unit: string }; readonly overrides: readonly never[] };
  readonly targets: readonly { readonly refId: string; readonly expr: string; readonly legendFormat: string }[];
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly type?: "stat";
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
}

/** kube-prometheus-stack provisions its Prometheus datasource with uid "prometheus" (no `${}`: Terraform would interpolate it). */
const DATASOURCE = { type: "prometheus", uid: "prometheus" } as const;

/** The panels' queries, in order. */
function panelSpecs(props: VaultDashboardProps): PanelSpec[] {
  const ns = `namespace="${props.vaultNamespace}"`;
  const pods = `pod=~"${RELEASE_NAME}-[0-9]+"`;
  const auditPvc = `${ns}, persistentvolumeclaim=~"audit-${RELEASE_NAME}-[0-9]+"`;
  const specs: PanelSpec[] = [
    {
      title: "Ready (unsealed) per pod",
      description: "The chart's readiness probe (vault status) fails while a node is sealed; 0 = sealed or not initialised.",
      unit: "none",
      targets: [{ expr: `max by (pod) (kube_pod_container_status_ready{${ns}, container="vault", ${pods}})`, legend: "{{pod}}" }],
    },
    {
      title: "Active (leader) per pod",
      description: "vault_core_active: 1 on the Raft leader. A sealed node keeps its last value until the retention drops it.",
      unit: "none",
      targets: [{ expr: `max by (pod) (vault_core_active{${ns}})`, legend: "{{pod}}" }],
    },
    {
      title: "Unsealed gauge and scrape per pod",
      description: "vault_core_unsealed as Vault reports it, and whether Prometheus can scrape the pod (TLS verified).",
      unit: "none",
      targets: [
        { expr: `max by (pod) (vault_core_unsealed{${ns}})`, legend: "unsealed {{pod}}" },
        { expr: `max by (pod) (up{${ns}, job="${INTERNAL_SERVICE}"})`, legend: "scraped {{pod}}" },
      ],
    },
    {
      title: "Leadership losses (1h)",
      description: "Lost leaderships in the last hour, summed over the nodes.",
      unit: "none",
      type: "stat",
      targets: [{ expr: `sum(increase(vault_core_leadership_lost_count{${ns}}[1h]))`, legend: "losses" }],
    },
    {
      title: "Requests per second (audit-logged)",
      description: "Every request Vault handles is audit-logged once: vault_audit_log_request per pod.",
      unit: "reqps",
      targets: [{ expr: `sum by (pod) (rate(vault_audit_log_request_count{${ns}}[5m]))`, legend: "{{pod}}" }],
    },
    {
      title: "Logins and failed logins per minute",
      description: "Requests on login paths, and those that issued no token (the VaultLoginFailuresHigh expression).",
      unit: "none",
      targets: [
        { expr: `sum(rate(vault_core_handle_login_request_count{${ns}}[5m])) * 60`, legend: "login requests" },
        { expr: failedLoginsPerMinute(props.vaultNamespace, props.oidcMounts ?? []), legend: "failed" },
      ],
    },
    {
      title: "Tokens issued per minute by auth method",
      description: "vault_token_creation by auth method (token = child tokens).",
      unit: "none",
      targets: [{ expr: `sum by (auth_method) (rate(vault_token_creation{${ns}}[5m])) * 60`, legend: "{{auth_method}}" }],
    },
    {
      title: "Audit write failures (5m)",
      description: "Failed audit writes; Vault refuses the requests it cannot audit.",
      unit: "none",
      targets: [{ expr: `sum by (pod) (increase(vault_audit_log_request_failure{${ns}}[5m]))`, legend: "{{pod}}" }],
    },
    {
      title: "Audit volume free",
      description: "Free share of each pod's audit claim (alert below 20%).",
      unit: "percentunit",
      targets: [
        {
          expr: `max by (persistentvolumeclaim) (kubelet_volume_stats_available_bytes{${auditPvc}} / kubelet_volume_stats_capacity_bytes{${auditPvc}})`,
          legend: "{{persistentvolumeclaim}}",
        },
      ],
    },
    {
      title: "Age of the last successful Raft snapshot",
      description: "Since the snapshot CronJob last succeeded (alert at twice its longest gap between runs).",
      unit: "s",
      type: "stat",
      targets: [{ expr: `time() - max(kube_cronjob_status_last_successful_time{${ns}, cronjob="${props.snapshotCronJobName}"})`, legend: "age" }],
    },
  ];
  if (props.certificateName) {
    const expiry = "certmanager_certificate_expiration_timestamp_seconds";
    specs.push({
      title: "Certificate expires in",
      description: `Vault's serving certificate ${props.certificateName} (cert-manager).`,
      unit: "s",
      type: "stat",
      targets: [
        {
          expr: `min(${expiry}{exported_namespace="${props.vaultNamespace}", name="${props.certificateName}"} or ${expiry}{${ns}, exported_namespace="", name="${props.certificateName}"}) - time()`,
          legend: "{{name}}",
        },
      ],
    });
  }
  if (props.auditShipper) {
    const sink = `${ns}, component_id="${AUDIT_SHIPPER_SINK}"`;
    specs.push({
      title: "Audit shipping to the archive",
      description: "Events the shipper sent off-host and its upload errors, per pod.",
      unit: "none",
      targets: [
        { expr: `sum by (pod) (rate(vector_component_sent_events_total{${sink}}[5m]))`, legend: "sent/s {{pod}}" },
        { expr: `sum by (pod) (increase(vector_component_errors_total{${sink}}[15m]))`, legend: "errors (15m) {{pod}}" },
      ],
    });
  }
  return specs;
}

/** The dashboard JSON model: two panels a row, 12 columns wide, 8 high. */
export function vaultDashboard(props: VaultDashboardProps): Record<string, unknown> & { panels: DashboardPanel[] } {
  const panels = panelSpecs(props).map((p, i): DashboardPanel => ({
    id: i + 1,
    type: p.type ?? "timeseries",
    title: p.title,
    description: p.description,
    gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
    datasource: DATASOURCE,
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    targets: p.targets.map((t, k) => ({ refId: String.fromCharCode(65 + k), expr: t.expr, legendFormat: t.legend })),
  }));
  return {
    uid: `vault-${props.environment}`,
    title: `Vault (${props.environment})`,
    tags: ["vault", props.environment],
    timezone: "utc",
    editable: false,
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    panels,
  };
}

/** The ConfigMap Grafana's sidecar loads. */
export class VaultDashboard extends Construct {
  public readonly configMap: ConfigMapV1;
  /** File name of the dashboard in the ConfigMap. */
  public readonly key: string;

  constructor(scope: Construct, id: string, props: VaultDashboardProps) {
    super(scope, id);
    this.key = `vault-${props.environment}.json`;
    this.configMap = new ConfigMapV1(this, "config-map", {
      metadata: { name: `vault-dashboard-${props.environment}`, namespace: props.namespace, labels: { ...(props.labels ?? { grafana_dashboard: "1" }) } },
      data: { [this.key]: JSON.stringify(vaultDashboard(props), null, 2) },
    });
  }
}
