import { buildVaultHelmValues } from "../../constructs/vault-helm-values";
import { VaultHelmRelease } from "../../constructs/vault-helm-release";
import { cronMaxIntervalSeconds, vaultTelemetryValues, type VaultMonitoringProps } from "../../constructs/vault-monitoring";
import { configFor, synthJson } from "../helpers";
import { FAKE_BACKUP, bareStack, helmValues } from "./cluster-fixtures";

const props: VaultMonitoringProps = {
  namespace: "vault",
  tlsSecretName: "vault-tls",
  latencyP99Ms: 250,
  snapshotCronJobName: "vault-raft-snapshot",
  snapshotSchedule: "0 * * * *",
};

function synthTelemetry(p: VaultMonitoringProps = props): any {
  const config = configFor("prod");
  const stack = bareStack();
  new VaultHelmRelease(stack, "vault", {
    namespace: "vault",
    repository: "https://helm.releases.hashicorp.com",
    chartVersion: "0.34.1",
    values: buildVaultHelmValues({
      cluster: config.cluster,
      region: "eu-west-2",
      unsealKeyArn: FAKE_BACKUP.unsealKeyArn,
      serverRoleArn: FAKE_BACKUP.vaultServerRoleArn,
      tlsSecretName: "vault-tls",
      telemetry: vaultTelemetryValues(p),
    }),
  });
  return helmValues(synthJson(stack)).serverTelemetry;
}

describe("vault monitoring", () => {
  const telemetry = synthTelemetry();
  const expr = (alert: string) => telemetry.prometheusRules.rules.find((r: any) => r.alert === alert)?.expr;

  it("enables the chart's ServiceMonitor on the headless internal service (every pod), verifying Vault's CA and its name", () => {
    expect(telemetry.serviceMonitor).toEqual({
      enabled: true,
      interval: "30s",
      scrapeTimeout: "10s",
      matchLabels: { "vault-internal": "true" },
      tlsConfig: { ca: { secret: { name: "vault-tls", key: "ca.crt" } }, serverName: "vault-internal.vault.svc" },
    });
    expect(telemetry.serviceMonitor.tlsConfig.insecureSkipVerify).toBeUndefined();
  });

  it("enables the chart's PrometheusRule with every alert, each with a severity and a runbook", () => {
    expect(telemetry.prometheusRules.enabled).toBe(true);
    expect(telemetry.prometheusRules.rules.map((r: any) => r.alert)).toEqual([
      "VaultSealed",
      "VaultNoActiveLeader",
      "VaultLeadershipChanges",
      "VaultAuditLogRequestFailures",
      "VaultRaftSnapshotJobFailed",
      "VaultRaftSnapshotStale",
      "VaultAutopilotUnhealthy",
      "VaultRequestLatencyHigh",
      "VaultMetricsScrapeFailing",
      "VaultReloaderRestarting",
      "VaultLoginFailuresHigh",
      "VaultTokenCreationHigh",
      "VaultAuditVolumeFillingUp",
      "VaultAuditVolumeFullSoon",
    ]);
    for (const rule of telemetry.prometheusRules.rules) {
      expect(rule.labels.severity).toMatch(/^(critical|warning)$/);
      expect(rule.annotations.runbook).toBe("docs/runbooks.md");
      expect(rule.for).toMatch(/^\d+m$/);
    }
  });

  // Seal, leader, leadership changes, logins, the audit volume and the certificate: what they fire on is run through
  // promtool with modelled series (test/stacks/vault-alerts-promtool.test.ts).
  it("alerts on real PromQL for audit failures and autopilot", () => {
    expect(expr("VaultAuditLogRequestFailures")).toBe('increase(vault_audit_log_request_failure{namespace="vault"}[5m]) > 0');
    expect(expr("VaultAutopilotUnhealthy")).toBe('vault_autopilot_healthy{namespace="vault"} == 0');
  });

  it("alerts when a snapshot job fails or the last success is older than twice the schedule", () => {
    expect(expr("VaultRaftSnapshotJobFailed")).toBe('kube_job_status_failed{namespace="vault", job_name=~"vault-raft-snapshot-[0-9]+"} > 0');
    expect(expr("VaultRaftSnapshotStale")).toBe(
      'time() - kube_cronjob_status_last_successful_time{namespace="vault", cronjob="vault-raft-snapshot"} > 7200',
    );
    const sixHourly = synthTelemetry({ ...props, snapshotSchedule: "15 */6 * * *" });
    expect(sixHourly.prometheusRules.rules.find((r: any) => r.alert === "VaultRaftSnapshotStale").expr).toMatch(/ > 43200$/);
  });

  it("alerts when the p99 request latency passes the configured threshold in milliseconds", () => {
    expect(expr("VaultRequestLatencyHigh")).toBe('vault_core_handle_request{namespace="vault", quantile="0.99"} > 250');
  });

  it("alerts on failed logins (login requests that issued no token) and on token creation, per minute", () => {
    expect(expr("VaultLoginFailuresHigh")).toMatch(/ \* 60 > 5$/);
    expect(expr("VaultLoginFailuresHigh")).not.toContain("mount_point");
    const withOidc = synthTelemetry({ ...props, oidcMounts: ["oidc", "people/oidc"] });
    const loginExpr = withOidc.prometheusRules.rules.find((r: any) => r.alert === "VaultLoginFailuresHigh").expr;
    expect(loginExpr).toContain('mount_point="auth/oidc/"');
    expect(loginExpr).toContain('mount_point="auth/people/oidc/"');
    expect(expr("VaultTokenCreationHigh")).toBe('sum(rate(vault_token_creation{namespace="vault"}[5m])) * 60 > 120');
    const strict = synthTelemetry({ ...props, authFailuresPerMinute: 2, tokenCreationPerMinute: 30 });
    const strictExpr = (alert: string) => strict.prometheusRules.rules.find((r: any) => r.alert === alert).expr;
    expect(strictExpr("VaultLoginFailuresHigh")).toMatch(/ \* 60 > 2$/);
    expect(strictExpr("VaultTokenCreationHigh")).toMatch(/ \* 60 > 30$/);
  });

  it("alerts before the audit volume fills, on every pod's audit claim", () => {
    const claims = 'namespace="vault", persistentvolumeclaim=~"audit-vault-[0-9]+"';
    expect(expr("VaultAuditVolumeFillingUp")).toContain(`kubelet_volume_stats_available_bytes{${claims}} / kubelet_volume_stats_capacity_bytes{${claims}}`);
    expect(expr("VaultAuditVolumeFullSoon")).toContain(`predict_linear(kubelet_volume_stats_available_bytes{${claims}}[6h], 4 * 3600)`);
  });

  it("alerts on a certificate cert-manager has not renewed, and on pods Prometheus cannot scrape (an expired served certificate)", () => {
    expect(expr("VaultCertificateRenewalOverdue")).toBeUndefined();
    const withCert = synthTelemetry({ ...props, certificate: { name: "vault", renewBeforeSeconds: 360 * 3600 } });
    const rule = withCert.prometheusRules.rules.find((r: any) => r.alert === "VaultCertificateRenewalOverdue");
    expect(rule.expr).toMatch(/certmanager_certificate_expiration_timestamp_seconds\{exported_namespace="vault", name="vault"\}.* - time\(\) < 648000$/);
    expect(rule.labels.severity).toBe("critical");
    expect(expr("VaultMetricsScrapeFailing")).toBe('up{namespace="vault", job="vault-internal"} == 0');
    expect(expr("VaultReloaderRestarting")).toBe('increase(kube_pod_container_status_restarts_total{namespace="vault", container="vault-reloader"}[1h]) > 0');
  });

  it("fails if a login or token threshold is not a positive whole number", () => {
    expect(() => vaultTelemetryValues({ ...props, authFailuresPerMinute: 0 })).toThrow(/authFailuresPerMinute must be a positive whole number/);
    expect(() => vaultTelemetryValues({ ...props, tokenCreationPerMinute: 1.5 })).toThrow(/tokenCreationPerMinute must be a positive whole number/);
  });

  it("works out the longest gap of a cron schedule", () => {
    expect(cronMaxIntervalSeconds("0 * * * *")).toBe(3600);
    expect(cronMaxIntervalSeconds("*/15 * * * *")).toBe(900);
    expect(cronMaxIntervalSeconds("0 3 * * *")).toBe(86_400);
    expect(cronMaxIntervalSeconds("0 0 * * 1")).toBe(7 * 86_400);
    expect(cronMaxIntervalSeconds("0 9-17 * * 1-5")).toBe(64 * 3600); // Fri 17:00 to Mon 09:00
    expect(cronMaxIntervalSeconds("0 0 1,15 * *")).toBe(17 * 86_400); // the 15th to the 1st of a 31-day month
    // As Kubernetes runs it: a stepped star restricts the day of month, so odd days or Mondays.
    expect(cronMaxIntervalSeconds("0 3 */2 * 1")).toBe(2 * 86_400);
  });

  it("fails if the schedule has a field it cannot read", () => {
    expect(() => cronMaxIntervalSeconds("0 * * JAN *")).toThrow(/cron schedule "0 \* \* JAN \*": must be a cron schedule: the month field "JAN" is not \*, a number/);
    expect(() => cronMaxIntervalSeconds("61 * * * *")).toThrow(/the minute field "61" is outside 0-59/);
  });

  it("fails if the schedule has the wrong number of fields", () => {
    expect(() => cronMaxIntervalSeconds("0 * * *")).toThrow(/must be a five-field cron schedule/);
  });

  it("fails if the schedule (almost) never runs", () => {
    expect(() => cronMaxIntervalSeconds("0 0 30 2 *")).toThrow(/runs fewer than twice in 28 years/);
  });

  it("fails if the latency threshold is not a positive whole number", () => {
    expect(() => vaultTelemetryValues({ ...props, latencyP99Ms: 0 })).toThrow(/latencyP99Ms must be a positive whole number/);
  });
});
