/**
 * Input series for the alert rules, modelled on what each exporter emits and how Prometheus labels it.
 *
 * Vault (hashicorp/vault, telemetry with `disable_hostname = true`, names prefixed `vault_`) exposes its metrics
 * through armon/go-metrics' PrometheusSink: `Collect` deletes every gauge, summary and counter whose last update is
 * older than the sink's expiration (Vault's `prometheus_retention_time`), and one updated again later is a new metric
 * (a counter starts from zero). So a metric is in a scrape only within `retention` of its last update:
 * - `vault_core_unsealed` / `vault_core_active`: gauges refreshed by `metricsLoop` (vault/core_metrics.go) on every
 *   unsealed node; the loop stops when the node seals (vault/ha.go), so the last value stays until the retention
 *   passes. `NewCore` sets `vault_core_unsealed` to 0 once at start.
 * - `vault_core_leadership_lost` (summary, `_count`): observed once per lost leadership (vault/ha.go).
 * - `vault_core_handle_login_request` (summary, `_count`): every request on a login path, i.e. every path in an auth
 *   method's `PathsSpecial.Unauthenticated` (vault/request_handling.go, router LoginPath) — for the JWT/OIDC plugin
 *   `login`, `oidc/auth_url` and `oidc/callback`.
 * - `vault_token_creation` (counter): one per token a login issues, labelled `auth_method` (the mount's type),
 *   `mount_point`, `creation_ttl`, `token_type` and Vault's own `namespace` ("root"), which Prometheus renames to
 *   `exported_namespace` since the target already has a `namespace` (honor_labels false).
 * Target labels of a pod scraped through the chart's ServiceMonitor on the `vault-internal` service: namespace, pod,
 * service, endpoint, job (the service name), instance, container.
 *
 * cert-manager's controller exports `certmanager_certificate_expiration_timestamp_seconds{name, namespace,
 * issuer_name, issuer_kind, issuer_group}` (pkg/metrics/certificates.go); scraped from cert-manager's own service
 * (the chart's ServiceMonitor, honorLabels false), the certificate's namespace becomes `exported_namespace`.
 * kube-state-metrics and the kubelet are scraped with honor_labels (kube-prometheus-stack), so their `namespace` and
 * `pod` are the object's.
 *
 * Imported by tests only.
 */
import type { Series } from "./promtool";

/** One scrape every `interval` seconds from 0 to `end` inclusive. */
export function scrapeTimes(interval: number, end: number): number[] {
  return Array.from({ length: Math.floor(end / interval) + 1 }, (_, i) => i * interval);
}

/**
 * What successive scrapes of one go-metrics gauge read: `sets` are (time, value) updates in time order; the gauge is
 * exposed while the last update is at most `retention` seconds old, and missing (stale, then no sample) otherwise.
 */
export function goMetricsGauge(sets: readonly { at: number; value: number }[], retention: number, scrapes: readonly number[]): (number | "stale" | null)[] {
  let wasExposed = false;
  return scrapes.map((t) => {
    const last = [...sets].reverse().find((s) => s.at <= t);
    const exposed = last !== undefined && t - last.at <= retention;
    const out = exposed ? last.value : wasExposed ? "stale" : null;
    wasExposed = exposed;
    return out;
  });
}

/**
 * A go-metrics counter (or a summary's `_count`) incremented at `increments` (times, in order): exposed while its
 * last increment is at most `retention` old; deleted after that, so the next increment starts it again from 1.
 */
export function goMetricsCounter(increments: readonly number[], retention: number, scrapes: readonly number[]): (number | "stale" | null)[] {
  let count = 0;
  let last: number | undefined;
  let i = 0;
  let wasExposed = false;
  return scrapes.map((t) => {
    for (; i < increments.length && increments[i] <= t; i++) {
      if (last !== undefined && increments[i] - last > retention) count = 0;
      count += 1;
      last = increments[i];
    }
    const exposed = last !== undefined && t - last <= retention;
    const out = exposed ? count : wasExposed ? "stale" : null;
    wasExposed = exposed;
    return out;
  });
}

/** `perMinute` evenly spaced events from `from` to `to` seconds. */
export function events(perMinute: number, from: number, to: number): number[] {
  const out: number[] = [];
  if (perMinute <= 0) return out;
  for (let t = from; t < to; t += 60 / perMinute) out.push(Math.round(t * 1000) / 1000);
  return out;
}

/** A value per scrape from a function of time. */
export const sampled = (scrapes: readonly number[], f: (t: number) => number | null): (number | null)[] => scrapes.map(f);

/** Labels Prometheus attaches to a Vault server pod scraped through the chart's ServiceMonitor on `service`. */
export function vaultTargetLabels(namespace: string, pod: string, service: string, ordinal: number): Record<string, string> {
  return { namespace, pod, service, endpoint: "https", job: service, instance: `10.0.0.${ordinal + 10}:8200`, container: "vault" };
}

/** kube-state-metrics' readiness of a container (honor_labels: the pod's own namespace and name). */
export function readinessSeries(namespace: string, pod: string, container: string, values: (number | null)[]): Series {
  return {
    name: "kube_pod_container_status_ready",
    labels: { namespace, pod, container, uid: `uid-${pod}`, job: "kube-state-metrics", instance: "10.0.1.5:8080" },
    values,
  };
}

/** cert-manager's expiry metric of one Certificate, as Prometheus stores it when scraped from cert-manager's service. */
export function certificateExpirySeries(certNamespace: string, name: string, expiresAt: number, steps: number): Series {
  return {
    name: "certmanager_certificate_expiration_timestamp_seconds",
    labels: {
      name,
      exported_namespace: certNamespace,
      issuer_name: "vault-issuer",
      issuer_kind: "Issuer",
      issuer_group: "cert-manager.io",
      namespace: "cert-manager",
      pod: "cert-manager-5d7f97b46d-abcde",
      service: "cert-manager",
      endpoint: "tcp-prometheus-servicemonitor",
      job: "cert-manager",
      instance: "10.0.2.7:9402",
      container: "cert-manager-controller",
    },
    values: Array.from({ length: steps }, () => expiresAt),
  };
}

/**
 * kube-state-metrics' `kube_cronjob_status_last_successful_time` of a CronJob (internal/store/cronjob.go: the
 * CronJob's status.lastSuccessfulTime as Unix seconds; honor_labels: the CronJob's own namespace).
 */
export function cronJobLastSuccessSeries(namespace: string, cronjob: string, values: (number | null)[]): Series {
  return {
    name: "kube_cronjob_status_last_successful_time",
    labels: { namespace, cronjob, job: "kube-state-metrics", instance: "10.0.1.5:8080" },
    values,
  };
}
