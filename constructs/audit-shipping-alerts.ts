/**
 * Alerts on the off-host audit trail (constructs/audit-shipper.ts): Vault writes audit entries but none reach the
 * archive, the shipper fails to upload, or Prometheus cannot scrape the shipper at all. Vector's metrics, from
 * vectordotdev/vector lib/vector-common/src/internal_event/ (component_sent_events_total, component_errors_total,
 * labelled component_id) and Vault's vault.audit.log_request (vault/audit.go, one per request logged).
 */
import type { PrometheusAlertRule } from "./vault-helm-values";
import { AUDIT_SHIPPER_SINK } from "./audit-shipper";

export interface AuditShippingAlertProps {
  /** Vault's namespace. */
  readonly namespace: string;
  /** The Prometheus job of the shipper's PodMonitor (`<namespace>/<name>`). */
  readonly job: string;
}

type RuleFn = (alert: string, expr: string, forDuration: string, severity: string, summary: string) => PrometheusAlertRule;

export function auditShippingRules(props: AuditShippingAlertProps, rule: RuleFn): PrometheusAlertRule[] {
  const ns = `namespace="${props.namespace}"`;
  const sink = `${ns}, component_id="${AUDIT_SHIPPER_SINK}"`;
  return [
    rule(
      "VaultAuditShippingStopped",
      // A node that logged audit entries in the last 30 minutes while its shipper sent none to the archive.
      `sum by (namespace, pod) (rate(vault_audit_log_request_count{${ns}}[30m])) > 0 unless on (namespace, pod) sum by (namespace, pod) (rate(vector_component_sent_events_total{${sink}}[30m])) > 0`,
      "15m",
      "critical",
      "Vault node {{ $labels.pod }} writes audit entries but none reach the off-host audit archive",
    ),
    rule(
      "VaultAuditShippingErrors",
      `sum by (namespace, pod) (increase(vector_component_errors_total{${sink}}[15m])) > 0`,
      "15m",
      "warning",
      "The audit shipper of {{ $labels.pod }} fails to upload to the audit archive",
    ),
    rule(
      "VaultAuditShipperDown",
      `up{${ns}, job="${props.job}"} == 0`,
      "10m",
      "critical",
      "Prometheus cannot scrape the audit shipper of {{ $labels.pod }}: the off-host audit copy may have stopped",
    ),
  ];
}
