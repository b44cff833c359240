/**
 * Monitoring of Vault through the chart's own objects: `serverTelemetry.serviceMonitor` (Prometheus scrapes
 * `/v1/sys/metrics` of every server pod over TLS, checking Vault's certificate) and `serverTelemetry.prometheusRules`
 * with the alerts an operator needs: sealed, no leader, audit failures, snapshots failing or stale, autopilot,
 * latency, certificate renewal, failed logins, token creation, the audit volume.
 */
import type { PrometheusAlertRule, ServerTelemetryValues } from "./vault-helm-values";
import { RELEASE_NAME } from "./vault-helm-values";
import { RELOADER_CONTAINER } from "./vault-reloader";

/** The chart's headless service: every server pod, Ready or not (publishNotReadyAddresses), labelled vault-internal. */
const INTERNAL_SERVICE = `${RELEASE_NAME}-internal`;

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
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(text: string, index: number, schedule: string): Set<number> {
  const { name, min, max } = FIELDS[index];
  const fail = (): never => {
    throw new Error(`cron schedule "${schedule}": cannot read the ${name} field "${text}" (numbers, *, ranges a-b, steps /n and lists only)`);
  };
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part) ?? fail();
    const [, , a, b, s] = m;
    const step = s === undefined ? 1 : Number(s);
    const from = a === undefined ? min : Number(a);
    // `5/15` means from 5 to the end in steps of 15, as in Kubernetes' cron parser.
    const to = a === undefined ? max : b !== undefined ? Number(b) : s !== undefined ? max : from;
    if (step < 1 || from < min || to > max || from > to) fail();
    for (let v = from; v <= to; v += step) out.add(index === 4 && v === 7 ? 0 : v);
  }
  return out;
}

/** The longest time between two runs of a five-field cron schedule, in seconds (UTC, over four years). */
export function cronMaxIntervalSeconds(schedule: string): number {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron schedule "${schedule}": must have five fields`);
  const [minutes, hours, doms, months, dows] = parts.map((p, i) => parseField(p, i, schedule));
  const domAny = parts[2].startsWith("*");
  const dowAny = parts[4].startsWith("*");
  const times: number[] = [];
  for (const h of [...hours].sort((x, y) => x - y)) for (const m of [...minutes].sort((x, y) => x - y)) times.push(h * 60 + m);
  const start = Date.UTC(2024, 0, 1);
  const fires: number[] = [];
  for (let day = 0; day < 4 * 366 + 1; day++) {
    const d = new Date(start + day * 86_400_000);
    if (!months.has(d.getUTCMonth() + 1)) continue;
    const dom = doms.has(d.getUTCDate());
    const dow = dows.has(d.getUTCDay());
    // Standard cron: when both day fields are restricted, either may match.
    if (domAny || dowAny ? !(dom && dow) : !(dom || dow)) continue;
    for (const t of times) fires.push(day * 1440 + t);
  }
  if (fires.length < 2) throw new Error(`cron schedule "${schedule}": runs fewer than twice in four years`);
  let gap = 0;
  for (let i = 1; i < fires.length; i++) gap = Math.max(gap, fires[i] - fires[i - 1]);
  return gap * 60;
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
  return [
    rule("VaultSealed", `vault_core_unsealed{${ns}} == 0`, "1m", "critical", "Vault node {{ $labels.pod }} is sealed"),
    rule("VaultNoActiveLeader", `absent(vault_core_active{${ns}} == 1)`, "2m", "critical", "No active Vault node (no Raft leader) is being scraped"),
    rule(
      "VaultLeadershipChanges",
      `increase(vault_core_leadership_lost_count{${ns}}[1h]) > 2`,
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
    // cert-manager renews at renewBefore; half of it left means renewal has failed for that long.
    out.push(
      rule(
        "VaultCertificateRenewalOverdue",
        `certmanager_certificate_expiration_timestamp_seconds{${ns}, name="${name}"} - time() < ${Math.floor(renewBeforeSeconds / 2)}`,
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
    // Vault counts every login request (vault.core.handle_login_request) and every token a login issues
    // (vault.token.creation, by auth_method; "token" is child tokens, not logins): the difference is failed logins.
    rule(
      "VaultLoginFailuresHigh",
      `(sum(rate(vault_core_handle_login_request_count{${ns}}[5m])) - sum(rate(vault_token_creation{${ns}, auth_method!="token"}[5m]))) * 60 > ${failures}`,
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
      `kubelet_volume_stats_available_bytes{${auditPvc}} / kubelet_volume_stats_capacity_bytes{${auditPvc}} < 0.2`,
      "10m",
      "warning",
      "The audit volume {{ $labels.persistentvolumeclaim }} has less than 20% free: check the audit log rotation",
    ),
    rule(
      "VaultAuditVolumeFullSoon",
      `predict_linear(kubelet_volume_stats_available_bytes{${auditPvc}}[6h], 4 * 3600) < 0`,
      "30m",
      "critical",
      "The audit volume {{ $labels.persistentvolumeclaim }} will be full within 4 hours at the current rate",
    ),
  );
  return out;
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
