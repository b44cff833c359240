/**
 * The alert rules of every environment's cluster stack, run by Prometheus' own rule engine (promtool): each rendered
 * rule group passes `promtool check rules`, and `promtool test rules` evaluates it over input series modelled on
 * what Vault, cert-manager, kube-state-metrics and the kubelet emit (rehearsal/vault-metrics.ts): a node that seals,
 * a cluster that loses its leader, leadership changes, logins through OIDC and failed logins, an audit volume
 * filling, a certificate cert-manager does not renew. Every threshold, name and retention comes from the
 * synthesized stack.
 */
import { terraformUnescape } from "../../config/terraform-literal";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { durationSeconds } from "../../config/format-rules";
import { cronMaxIntervalSeconds } from "../../constructs/vault-monitoring";
import { VaultClusterStack } from "../../stacks/vault-cluster-stack";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";
import { FAKE_BACKUP } from "../constructs/cluster-fixtures";
import { promtool, ruleFile, unitTestFile, type Series, type UnitTest } from "../../rehearsal/promtool";
import {
  certificateExpirySeries,
  cronJobLastSuccessSeries,
  events,
  goMetricsCounter,
  goMetricsGauge,
  readinessSeries,
  sampled,
  scrapeTimes,
  vaultTargetLabels,
} from "../../rehearsal/vault-metrics";

const ENVS = (["dev", "prod"] as const).filter((env) => configFor(env).cluster.monitoring.enabled);

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** An alert's annotations as Prometheus expands them for one alert's labels ({{ $labels.x }} only). */
const annotationsFor = (rule: Rule, labels: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l] ?? "")]));

it("renders the rules of at least one environment (monitoring on)", () => {
  expect(ENVS.length).toBeGreaterThan(0);
});

describe.each(ENVS)("alert rules of vault-cluster-%s in Prometheus' engine", (env) => {
  const config = configFor(env);
  const stack = new VaultClusterStack(Testing.app(), `vault-cluster-${env}`, { config, backup: FAKE_BACKUP });
  const json = synthJson(stack);
  const values = parseYaml(terraformUnescape(onlyResource(json, "helm_release").values[0]));
  /** The cert-manager Certificate of Vault's serving certificate, if the stack creates one. */
  const certificate = (Object.values(resourcesOf(json, "kubernetes_manifest")) as any[]).find((m) => m.manifest.kind === "Certificate")?.manifest;
  const rules: Rule[] = values.serverTelemetry.prometheusRules.rules;
  const rulesYaml = ruleFile("vault", rules);
  const rule = (alert: string): Rule => {
    const r = rules.find((x) => x.alert === alert);
    if (!r) throw new Error(`no rule ${alert} in vault-cluster-${env}`);
    return r;
  };
  const ns = config.cluster.namespace;
  const replicas = config.cluster.replicas;
  const pods = Array.from({ length: replicas }, (_, i) => `vault-${i}`);
  const service: string = "vault-internal";
  const interval = durationSeconds(values.serverTelemetry.serviceMonitor.interval);
  let retention = 0;

  beforeAll(async () => {
    const hcl = await parseHcl("server.hcl", values.server.ha.raft.config);
    retention = durationSeconds(hcl.telemetry[0].prometheus_retention_time);
    if (!(retention > 0)) throw new Error(`vault-cluster-${env}: no prometheus_retention_time in the server config`);
  });

  /** Runs the unit tests against the group; the output names each failing expectation. */
  function expectAlerts(tests: UnitTest[]): void {
    const r = promtool(["test", "rules", "tests.yaml"], { "rules.yaml": rulesYaml, "tests.yaml": unitTestFile(tests, interval) });
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  }

  const firing = (alert: string, labels: Record<string, string>) => {
    const all = { ...labels, ...rule(alert).labels };
    return { labels: all, annotations: annotationsFor(rule(alert), all) };
  };

  it("passes promtool check rules", () => {
    const r = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": rulesYaml });
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.status).toBe(0);
  });

  it("VaultSealed fires for a node that seals, whose unsealed gauge stays at its last value until the retention drops it", () => {
    const end = 40 * 60;
    const sealAt = 10 * 60;
    const scrapes = scrapeTimes(interval, end);
    // metricsLoop refreshes the gauge every second while unsealed (core_metrics.go); it stops at the seal.
    const refreshes = (pod: string) => [{ at: 0, value: 0 }, ...scrapes.filter((t) => t > 0 && (pod !== "vault-2" || t <= sealAt)).map((t) => ({ at: t - 1, value: 1 }))];
    const series: Series[] = pods.flatMap((pod, i) => [
      { name: "vault_core_unsealed", labels: vaultTargetLabels(ns, pod, service, i), values: goMetricsGauge(refreshes(pod), retention, scrapes) },
      // The process still answers /v1/sys/metrics while sealed.
      { name: "up", labels: vaultTargetLabels(ns, pod, service, i), values: scrapes.map(() => 1) },
      // The chart's readiness probe (vault status, every 5 s, failureThreshold 2) fails for a sealed node.
      readinessSeries(ns, pod, "vault", sampled(scrapes, (t) => (pod === "vault-2" && t >= sealAt + 10 ? 0 : 1))),
    ]);
    expectAlerts([
      {
        name: "a standby seals",
        intervalSeconds: interval,
        series,
        expect: [
          { atSeconds: sealAt - 60, alert: "VaultSealed", firing: [] },
          { atSeconds: sealAt + 5 * 60, alert: "VaultSealed", firing: [firing("VaultSealed", { namespace: ns, pod: "vault-2" })] },
          { atSeconds: end, alert: "VaultSealed", firing: [firing("VaultSealed", { namespace: ns, pod: "vault-2" })] },
        ],
      },
    ]);
  });

  it("VaultNoActiveLeader fires when the leader seals and no other node takes over, though its active gauge lingers", () => {
    const end = 30 * 60;
    const sealAt = 10 * 60;
    const scrapes = scrapeTimes(interval, end);
    const series: Series[] = pods.flatMap((pod, i) => {
      const leader = pod === "vault-0";
      const sets = scrapes.filter((t) => t > 0 && (!leader || t <= sealAt)).map((t) => ({ at: t - 1, value: leader ? 1 : 0 }));
      return [
        { name: "vault_core_active", labels: vaultTargetLabels(ns, pod, service, i), values: goMetricsGauge(sets, retention, scrapes) },
        readinessSeries(ns, pod, "vault", sampled(scrapes, (t) => (leader && t >= sealAt + 10 ? 0 : 1))),
      ];
    });
    expectAlerts([
      {
        name: "the leader seals",
        intervalSeconds: interval,
        series,
        expect: [
          { atSeconds: sealAt - 60, alert: "VaultNoActiveLeader", firing: [] },
          { atSeconds: sealAt + 5 * 60, alert: "VaultNoActiveLeader", firing: [firing("VaultNoActiveLeader", {})] },
        ],
      },
    ]);
  });

  it("VaultLeadershipChanges fires on the third lost leadership within an hour, each a single observation on another node", () => {
    const end = 70 * 60;
    const losses = [5, 20, 35, 50].map((m) => m * 60 + 7);
    const scrapes = scrapeTimes(interval, end);
    // Leadership moves around: each loss is observed on the node that was the leader.
    const series: Series[] = pods.map((pod, i) => ({
      name: "vault_core_leadership_lost_count",
      labels: vaultTargetLabels(ns, pod, service, i),
      values: goMetricsCounter(losses.filter((_, k) => k % replicas === i), retention, scrapes),
    }));
    expectAlerts([
      {
        name: "a loss every quarter of an hour",
        intervalSeconds: interval,
        series,
        expect: [
          { atSeconds: 30 * 60, alert: "VaultLeadershipChanges", firing: [] },
          { atSeconds: 37 * 60, alert: "VaultLeadershipChanges", firing: [firing("VaultLeadershipChanges", { namespace: ns })] },
        ],
      },
    ]);
  });

  it("VaultAuditLogRequestFailures fires when audit writes fail, not while vault.audit.log_request_failure only counts 0", () => {
    // audit/broker.go LogRequest: IncrCounter(audit.log_request_failure, 0 or 1) on every request, so the counter
    // exists at 0 while audit writes succeed.
    const end = 20 * 60;
    const failAt = 10 * 60;
    const scrapes = scrapeTimes(interval, end);
    const labels = vaultTargetLabels(ns, "vault-1", service, 1);
    expectAlerts([
      {
        name: "the audit device fails at 10 minutes",
        intervalSeconds: interval,
        series: [{ name: "vault_audit_log_request_failure", labels, values: sampled(scrapes, (t) => (t < failAt ? 0 : Math.floor((t - failAt) / 10) + 1)) }],
        expect: [
          { atSeconds: failAt - 60, alert: "VaultAuditLogRequestFailures", firing: [] },
          { atSeconds: failAt + 2 * 60, alert: "VaultAuditLogRequestFailures", firing: [firing("VaultAuditLogRequestFailures", labels)] },
        ],
      },
    ]);
  });

  it("VaultRaftSnapshotStale fires once the last successful snapshot is older than twice the schedule's longest gap", () => {
    const staleAfter = 2 * cronMaxIntervalSeconds(config.backup.schedule);
    const step = 60;
    const end = staleAfter + 20 * 60;
    // The synthesized CronJob's name, as kube-state-metrics labels its series.
    const cronJobs = Object.values(resourcesOf(json, "kubernetes_cron_job_v1")) as any[];
    expect(cronJobs).toHaveLength(1);
    const cronjob: string = cronJobs[0].metadata[0]?.name ?? cronJobs[0].metadata.name;
    const series = cronJobLastSuccessSeries(ns, cronjob, sampled(scrapeTimes(step, end), (t) => (t < 60 ? null : 60)));
    expectAlerts([
      {
        name: "the snapshot job stops succeeding after its first run",
        intervalSeconds: step,
        series: [series],
        expect: [
          { atSeconds: staleAfter, alert: "VaultRaftSnapshotStale", firing: [] },
          { atSeconds: staleAfter + 10 * 60, alert: "VaultRaftSnapshotStale", firing: [firing("VaultRaftSnapshotStale", series.labels)] },
        ],
      },
    ]);
  });

  describe("logins", () => {
    const failuresPerMinute = config.cluster.monitoring.authFailuresPerMinute;
    const oidc = config.vault.auth.oidc;
    const end = 20 * 60;
    const scrapes = scrapeTimes(interval, end);
    const target = vaultTargetLabels(ns, "vault-0", service, 0);
    const loginRequests = (times: number[]): Series => ({
      name: "vault_core_handle_login_request_count",
      labels: target,
      values: goMetricsCounter([...times].sort((a, b) => a - b), retention, scrapes),
    });
    const tokens = (mount: string, type: string, times: number[]): Series => ({
      name: "vault_token_creation",
      labels: { ...target, exported_namespace: "root", auth_method: type, mount_point: `auth/${mount}/`, creation_ttl: "+Inf", token_type: "service" },
      values: goMetricsCounter(times, retention, scrapes),
    });
    const approle = config.vault.auth.approle.path;

    it("VaultLoginFailuresHigh does not count OIDC's auth_url requests as failed logins", () => {
      if (!oidc) throw new Error(`vault-cluster-${env}: no OIDC mount in the config to log in through`);
      // Each browser login is two requests on login paths, auth_url then callback, and issues one token.
      const people = events(failuresPerMinute + 1, 0, end);
      const apps = events(30, 0, end);
      expectAlerts([
        {
          name: "every login succeeds",
          intervalSeconds: interval,
          series: [
            loginRequests([...people.flatMap((t) => [t, t + 0.5]), ...apps]),
            tokens(oidc.path, "oidc", people.map((t) => t + 0.5)),
            tokens(approle, "approle", apps),
          ],
          expect: [{ atSeconds: end, alert: "VaultLoginFailuresHigh", firing: [] }],
        },
      ]);
    });

    it("VaultLoginFailuresHigh fires on failed logins beside successful ones, and when no login has ever succeeded", () => {
      const failed = events(failuresPerMinute + 3, 0, end);
      const apps = events(30, 0, end);
      expectAlerts([
        {
          name: "guessing beside successful logins",
          intervalSeconds: interval,
          series: [loginRequests([...failed, ...apps]), tokens(approle, "approle", apps)],
          expect: [{ atSeconds: end, alert: "VaultLoginFailuresHigh", firing: [firing("VaultLoginFailuresHigh", {})] }],
        },
        {
          name: "nothing but failures: no token was ever created",
          intervalSeconds: interval,
          series: [loginRequests(failed)],
          expect: [{ atSeconds: end, alert: "VaultLoginFailuresHigh", firing: [firing("VaultLoginFailuresHigh", {})] }],
        },
      ]);
    });
  });

  it("VaultAuditVolumeFillingUp and VaultAuditVolumeFullSoon fire for a pod's audit claim that fills up", () => {
    const step = 60;
    const end = 8 * 3600;
    const scrapes = scrapeTimes(step, end);
    const capacity = 10 * 1024 ** 3;
    const claim = "audit-vault-1";
    const kubelet = (name: string, values: number[]): Series => ({
      name,
      labels: { namespace: ns, persistentvolumeclaim: claim, job: "kubelet", instance: "10.0.3.4:10250", node: "node-b", metrics_path: "/metrics" },
      values,
    });
    // Filling at 1.2 GiB an hour from 95% free: less than 20% free after about 6h15m.
    const available = scrapes.map((t) => Math.max(0, Math.round(0.95 * capacity - (t / 3600) * 1.2 * 1024 ** 3)));
    const labels = { namespace: ns, persistentvolumeclaim: claim };
    expectAlerts([
      {
        name: "the audit volume fills",
        intervalSeconds: step,
        series: [kubelet("kubelet_volume_stats_available_bytes", available), kubelet("kubelet_volume_stats_capacity_bytes", scrapes.map(() => capacity))],
        expect: [
          { atSeconds: 3600, alert: "VaultAuditVolumeFullSoon", firing: [] },
          { atSeconds: 3600, alert: "VaultAuditVolumeFillingUp", firing: [] },
          { atSeconds: end, alert: "VaultAuditVolumeFillingUp", firing: [firing("VaultAuditVolumeFillingUp", labels)] },
          { atSeconds: end, alert: "VaultAuditVolumeFullSoon", firing: [firing("VaultAuditVolumeFullSoon", labels)] },
        ],
      },
    ]);
  });

  it("VaultCertificateRenewalOverdue fires for Vault's certificate with cert-manager's labels, not for another namespace's", () => {
    // An existing secret is renewed, and watched, by its owner: no Certificate, no rule.
    expect(rules.some((r) => r.alert === "VaultCertificateRenewalOverdue")).toBe(certificate !== undefined);
    if (!certificate) return;
    const renewBefore = durationSeconds(certificate.spec.renewBefore);
    const step = 5 * 60;
    const end = 3 * 3600;
    const steps = end / step + 1;
    const name: string = certificate.metadata.name;
    // Half of renewBefore left at the start and never renewed.
    const expiresAt = Math.floor(renewBefore / 2);
    const ours = certificateExpirySeries(ns, name, expiresAt, steps);
    expectAlerts([
      {
        name: "the certificate is not renewed",
        intervalSeconds: step,
        series: [ours, certificateExpirySeries(`${ns}-other`, name, expiresAt, steps)],
        expect: [
          { atSeconds: 30 * 60, alert: "VaultCertificateRenewalOverdue", firing: [] },
          {
            atSeconds: 2 * 3600,
            alert: "VaultCertificateRenewalOverdue",
            firing: [firing("VaultCertificateRenewalOverdue", { name })],
          },
        ],
      },
    ]);
  });
});
