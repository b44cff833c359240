/**
 * Monitoring of Vault through the chart's own objects: `serverTelemetry.serviceMonitor` (Prometheus scrapes
 * `/v1/sys/metrics` of every server pod over TLS, checking Vault's certificate) and `serverTelemetry.prometheusRules`
 * with the alerts an operator needs: sealed, no leader, audit failures, snapshots failing or stale, autopilot,
 * latency, certificate renewal, failed logins, token creation, the audit volume.
 */
import { longestGapSeconds, parseCron } from "../config/cron";
import type { PrometheusAlertRule, ServerTelemetryValues } from "./vault-helm-values";
import { RELEASE_NAME } from "./vault-helm-values";
import { RELOADER_CONTAINER } from "./vault-reloader";
import { auditShippingRules } from "./audit-shipping-alerts";

/** The chart's headless service: every server pod, Ready or not (publishNotReadyAddresses), labelled vault-internal. */
export const INTERNAL_SERVICE = `${RELEASE_NAME}-internal`;

export interface VaultMonitoringProps {
  /** Namespace of Vault and of the snapshot CronJob. */
  readonly namespace: string;
  /** Secret whose `ca.crt` Prometheus trusts when scraping. */
  readonly tlsSecretName: string;
  /** Alert when the p99 request latency is above this many milliseconds. */
  readonly latencyP99Ms: number;
  /** Name of the Raft snapshot CronJob. */
  readonly snapshotCronJobName: string;
  /** Its schedule; a last success older than twice the longest gap between runs alerts. */
  readonly snapshotSchedule: string;
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly scrapeInterval?: string;
  /**
   * The cert-manager Certificate of Vault's serving certificate and its renewBefore, for the renewal alert.
   * @default - no renewal alert (an existing secret is renewed, and watched, by its owner)
   */
  readonly certificate?: { readonly name: string; readonly renewBeforeSeconds: number };
  /**
   * Alert when failed logins exceed this many a minute.
   * @default 5
   */
  readonly authFailuresPerMinute?: number;
  /**
   * Alert when Vault issues more tokens than this a minute.
   * @default 120
   */
  readonly tokenCreationPerMinute?: number;
  /**
   * Paths of the OIDC auth mounts (people's browser logins): each login is two requests on login paths
   * (`oidc/auth_url`, then `oidc/callback`) for one token, so the failed-login count leaves one request per OIDC
   * token out.
   * @default - no OIDC mount
   */
  readonly oidcMounts?: readonly string[];
  /**
   * The audit shipper's PodMonitor job, for the off-host audit trail's alerts (constructs/audit-shipping-alerts.ts).
   * @default - no audit shipper
   */
  readonly auditShipperJob?: string;
}

/**
 * The longest time between two runs of a CronJob schedule, in seconds, as Kubernetes runs it (config/cron.ts); throws
 * naming the schedule when Kubernetes would refuse it or it runs less than twice.
 */
export function cronMaxIntervalSeconds(schedule: string): number {
  let gap: number;
  try {
    gap = longestGapSeconds(parseCron(schedule, "kubernetes"));
  } catch (e) {
    throw new Error(`cron schedule "${schedule}": ${(e as Error).message}`);
  }
  if (gap === Infinity) throw new Error(`cron schedule "${schedule}": runs fewer than twice in 28 years`);
  return gap;
}

/** The alerting rules, as the chart renders them into one PrometheusRule group. */
export function vaultAlertRules(props: VaultMonitoringProps): PrometheusAlertRule[] {
  if (!Number.isInteger(props.latencyP99Ms) || props.latencyP99Ms <= 0) {
    throw new Error(`vault monitoring: latencyP99Ms must be a positive whole number of milliseconds (got ${props.latencyP99Ms})`);
  }
  const ns = `namespace="${props.namespace}"`;
  const staleAfter = 2 * cronMaxIntervalSeconds(props.snapshotSchedule);
  const cronJob = props.snapshotCronJobName;
  const rule = (alert: string, expr: string, forDuration: string, severity: string, summary: string): PrometheusAlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, runbook: "docs/runbooks.md" },
  });
  // A sealed node's gauges say nothing: metricsLoop (vault/core_metrics.go), which refreshes vault_core_unsealed and
  // vault_core_active, stops when the node seals (vault/ha.go), and go-metrics keeps serving the last value until
  // prometheus_retention_time drops it. What a sealed node does show: the chart's readiness probe (`vault status`,
  // exit 2 when sealed) fails while the process still answers the scrape. kube-state-metrics reports the readiness.
  const ready = (value: 0 | 1) =>
    `max by (namespace, pod) (kube_pod_container_status_ready{${ns}, container="vault", pod=~"${RELEASE_NAME}-[0-9]+"} == ${value})`;
  const lost = `vault_core_leadership_lost_count{${ns}}`;
  const answering = `max by (namespace, pod) (up{${ns}, job="${INTERNAL_SERVICE}"} == 1)`;
  return [
    rule(
      "VaultSealed",
      `${ready(0)} and on (namespace, pod) ${answering}`,
      "2m",
      "critical",
      "Vault node {{ $labels.pod }} answers but is not ready: sealed (or not initialised)",
    ),
    rule(
      "VaultNoActiveLeader",
      `absent(max by (namespace, pod) (vault_core_active{${ns}} == 1) and on (namespace, pod) ${ready(1)})`,
      "2m",
      "critical",
      "No ready Vault node reports itself active (no Raft leader)",
    ),
    rule(
      "VaultLeadershipChanges",
      // Losses in the last hour, per node and summed. The summary is created by its first observation (go-metrics
      // creates metrics lazily), so a node's first loss is a new series at 1, which increase() cannot see: a series
      // that did not exist an hour ago counts from zero.
      `sum by (namespace) (clamp_min(${lost} - (${lost} offset 1h or ${lost} * 0), 0)) > 2`,
      "0m",
      "warning",
      "Vault lost leadership more than twice in an hour",
    ),
    rule(
      "VaultAuditLogRequestFailures",
      `increase(vault_audit_log_request_failure{${ns}}[5m]) > 0`,
      "0m",
      "critical",
      "Vault failed to write audit log entries; requests are being refused",
    ),
    rule(
      "VaultRaftSnapshotJobFailed",
      `kube_job_status_failed{${ns}, job_name=~"${cronJob}-[0-9]+"} > 0`,
      "0m",
      "critical",
      "Raft snapshot job {{ $labels.job_name }} failed",
    ),
    rule(
      "VaultRaftSnapshotStale",
      `time() - kube_cronjob_status_last_successful_time{${ns}, cronjob="${cronJob}"} > ${staleAfter}`,
      "0m",
      "critical",
      `No successful Raft snapshot for more than twice the schedule (${staleAfter}s)`,
    ),
    rule("VaultAutopilotUnhealthy", `vault_autopilot_healthy{${ns}} == 0`, "5m", "critical", "Raft autopilot reports the cluster unhealthy"),
    rule(
      "VaultRequestLatencyHigh",
      `vault_core_handle_request{${ns}, quantile="0.99"} > ${props.latencyP99Ms}`,
      "5m",
      "warning",
      `Vault p99 request latency is above ${props.latencyP99Ms} ms`,
    ),
    ...securityRules(props, ns, rule),
    ...(props.auditShipperJob ? auditShippingRules({ namespace: props.namespace, job: props.auditShipperJob }, rule) : []),
  ];
}

type RuleFn = (alert: string, expr: string, forDuration: string, severity: string, summary: string) => PrometheusAlertRule;

/** Certificate, scrape, login, token and audit-volume alerts. */
function securityRules(props: VaultMonitoringProps, ns: string, rule: RuleFn): PrometheusAlertRule[] {
  const failures = props.authFailuresPerMinute ?? 5;
  const tokens = props.tokenCreationPerMinute ?? 120;
  for (const [name, v] of [["authFailuresPerMinute", failures], ["tokenCreationPerMinute", tokens]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`vault monitoring: ${name} must be a positive whole number (got ${v})`);
  }
  // The chart's volumeClaimTemplate "audit" gives each pod the claim audit-<statefulset>-<ordinal>.
  const auditPvc = `${ns}, persistentvolumeclaim=~"audit-${RELEASE_NAME}-[0-9]+"`;
  const out: PrometheusAlertRule[] = [];
  if (props.certificate) {
    const { name, renewBeforeSeconds } = props.certificate;
    // cert-manager renews at renewBefore; half of it left means renewal has failed for that long. Its metric carries
    // the Certificate's namespace in `namespace`; scraped from cert-manager's own service with honor_labels false (its
    // chart's ServiceMonitor default) Prometheus renames it `exported_namespace`. Both forms are matched.
    const expiry = "certmanager_certificate_expiration_timestamp_seconds";
    const selectors = [`exported_namespace="${props.namespace}", name="${name}"`, `${ns}, exported_namespace="", name="${name}"`];
    out.push(
      rule(
        "VaultCertificateRenewalOverdue",
        `min by (name) (${selectors.map((sel) => `${expiry}{${sel}}`).join(" or ")}) - time() < ${Math.floor(renewBeforeSeconds / 2)}`,
        "1h",
        "critical",
        `Vault's certificate ${name} expires in less than half its renewBefore: cert-manager has not renewed it`,
      ),
    );
  }
  out.push(
    // An expired or unrenewed served certificate fails Prometheus' TLS verification, so the scrape fails.
    rule(
      "VaultMetricsScrapeFailing",
      `up{${ns}, job="${INTERNAL_SERVICE}"} == 0`,
      "5m",
      "critical",
      "Prometheus cannot scrape {{ $labels.pod }}: down, or its served certificate fails verification (expired, not reloaded)",
    ),
    rule(
      "VaultReloaderRestarting",
      `increase(kube_pod_container_status_restarts_total{${ns}, container="${RELOADER_CONTAINER}"}[1h]) > 0`,
      "0m",
      "warning",
      "The vault-reloader sidecar of {{ $labels.pod }} restarted: a certificate renewal or audit rotation may be pending",
    ),
    // Vault counts every request on a login path (vault.core.handle_login_request: every path in an auth method's
    // PathsSpecial.Unauthenticated) and every token a login issues (vault.token.creation, by auth_method; "token" is
    // child tokens, not logins). Requests minus tokens is failed logins, less one OIDC auth_url request per OIDC
    // token (a browser login is auth_url then callback). `or vector(0)`: no token at all must not hide the failures.
    rule(
      "VaultLoginFailuresHigh",
      `${failedLoginsPerMinute(props.namespace, props.oidcMounts ?? [])} > ${failures}`,
      "2m",
      "critical",
      `More than ${failures} failed Vault logins a minute (credential guessing, or a client with a revoked secret ID)`,
    ),
    rule(
      "VaultTokenCreationHigh",
      `sum(rate(vault_token_creation{${ns}}[5m])) * 60 > ${tokens}`,
      "10m",
      "warning",
      `Vault is issuing more than ${tokens} tokens a minute (a client logging in per request, or abuse)`,
    ),
    rule(
      "VaultAuditVolumeFillingUp",
      `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{${auditPvc}} / kubelet_volume_stats_capacity_bytes{${auditPvc}}) < 0.2`,
      "10m",
      "warning",
      "The audit volume {{ $labels.persistentvolumeclaim }} has less than 20% free: check the audit log rotation",
    ),
    rule(
      "VaultAuditVolumeFullSoon",
      `max by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes{${auditPvc}}[6h], 4 * 3600)) < 0`,
      "30m",
      "critical",
      "The audit volume {{ $labels.persistentvolumeclaim }} will be full within 4 hours at the current rate",
    ),
  );
  return out;
}

/**
 * Failed logins a minute: requests on login paths less the tokens logins issued, less one OIDC auth_url request per
 * OIDC token (see VaultLoginFailuresHigh). Shared by the alert and the dashboard.
 */
export function failedLoginsPerMinute(namespace: string, oidcMounts: readonly string[]): string {
  const ns = `namespace="${namespace}"`;
  return `(${[
    `sum(rate(vault_core_handle_login_request_count{${ns}}[5m]))`,
    `(sum(rate(vault_token_creation{${ns}, auth_method!="token"}[5m])) or vector(0))`,
    ...oidcMounts.map((m) => `(sum(rate(vault_token_creation{${ns}, mount_point="auth/${m}/"}[5m])) or vector(0))`),
  ].join(" - ")}) * 60`;
}

/** `serverTelemetry` chart values: the ServiceMonitor and the PrometheusRule. */
export function vaultTelemetryValues(props: VaultMonitoringProps): ServerTelemetryValues {
  return {
    serviceMonitor: {
      enabled: true,
      interval: props.scrapeInterval ?? "30s",
      scrapeTimeout: "10s",
      // The headless internal service instead of the chart's default (vault-active, the leader only): every pod,
      // standbys and sealed pods included, so VaultSealed can see a sealed standby.
      matchLabels: { "vault-internal": "true" },
      // Prometheus scrapes pod IPs; every pod serves the same certificate, which carries the internal service's name.
      tlsConfig: {
        ca: { secret: { name: props.tlsSecretName, key: "ca.crt" } },
        serverName: `${INTERNAL_SERVICE}.${props.namespace}.svc`,
      },
    },
    prometheusRules: { enabled: true, rules: vaultAlertRules(props) },
  };
}
