/**
 * The Grafana dashboard of every cluster stack with monitoring on: a ConfigMap with the configured sidecar labels in
 * the configured namespace; its JSON has the fields Grafana requires of a dashboard and its panels; every panel query
 * is valid PromQL to Prometheus' own parser (promtool check rules, each query a recording rule); and every metric a
 * panel reads is emitted by an input series of the alert tests (so the queries read what the alert tests model).
 */
import { join } from "node:path";
import Ajv from "ajv";
import { Testing } from "cdktf";
import { VaultClusterStack } from "../../stacks/vault-cluster-stack";
import { promtool, ruleFile } from "../../rehearsal/promtool";
import { metricNames, modelledMetricNames } from "../../rehearsal/promql-metrics";
import { FAKE_BACKUP } from "./cluster-fixtures";
import { configFor, resourcesOf, synthJson } from "../helpers";

const ROOT = join(__dirname, "..", "..");
/** The alert tests and the series models they build their input series with. */
const MODELS = ["test/stacks/vault-alerts-promtool.test.ts", "test/constructs/audit-shipper.test.ts", "rehearsal/vault-metrics.ts"].map((f) => join(ROOT, f));
const KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/aaaaaaaa-2222-3333-4444-555555555555";

/** Grafana's required fields of a dashboard and of a panel with Prometheus queries (the dashboard JSON model). */
const DASHBOARD_SCHEMA = {
  type: "object",
  required: ["uid", "title", "schemaVersion", "panels"],
  properties: {
    uid: { type: "string", pattern: "^[A-Za-z0-9_-]{1,40}$" },
    title: { type: "string", minLength: 1 },
    schemaVersion: { type: "integer", minimum: 36 },
    panels: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "type", "title", "gridPos", "targets", "datasource"],
        properties: {
          id: { type: "integer", minimum: 1 },
          type: { enum: ["timeseries", "stat"] },
          title: { type: "string", minLength: 1 },
          gridPos: {
            type: "object",
            required: ["x", "y", "w", "h"],
            properties: { x: { type: "integer", minimum: 0, maximum: 23 }, y: { type: "integer", minimum: 0 }, w: { type: "integer", minimum: 1, maximum: 24 }, h: { type: "integer", minimum: 1 } },
          },
          targets: {
            type: "array",
            minItems: 1,
            items: { type: "object", required: ["refId", "expr"], properties: { refId: { type: "string", minLength: 1 }, expr: { type: "string", minLength: 1 } } },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(DASHBOARD_SCHEMA);

/** Each query as a recording rule, for promtool. */
const recordingRules = (exprs: readonly string[]) => exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr }));

/** The metrics of `exprs` that no modelled series emits. */
const unmodelled = (exprs: readonly string[], modelled: ReadonlySet<string>): string[] =>
  [...new Set(exprs.flatMap((e) => [...metricNames(e)]))].filter((m) => !modelled.has(m)).sort();

const modelled = modelledMetricNames(MODELS);

describe("the metric names the alert tests model", () => {
  it("include the series built inline, through helpers, and in rehearsal/vault-metrics.ts", () => {
    for (const m of ["vault_core_unsealed", "kubelet_volume_stats_capacity_bytes", "kube_pod_container_status_ready", "vector_component_errors_total"]) {
      expect(modelled).toContain(m);
    }
  });

  it("are read out of PromQL without functions, keywords, labels or durations", () => {
    const expr = 'sum by (pod) (rate(a_total{job="x", b="y{z}"}[5m])) - ignoring(pod) (b offset 1h or vector(0)) * 1e3 and on (c) up == bool 1';
    expect([...metricNames(expr)].sort()).toEqual(["a_total", "b", "up"]);
  });

  it("fail a panel whose metric no modelled series emits", () => {
    expect(unmodelled(["sum(rate(vault_core_handle_request_count[5m]))", "max(vault_core_active)"], modelled)).toEqual(["vault_core_handle_request_count"]);
  });

  it("promtool fails a query Prometheus cannot parse", () => {
    const r = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": ruleFile("dashboard", recordingRules(["sum by (pod (up)"])) });
    expect(r.status).not.toBe(0);
  });
});

describe.each((["dev", "prod"] as const).filter((env) => configFor(env).cluster.monitoring.enabled))("the dashboard of vault-cluster-%s", (env) => {
  const config = configFor(env);
  const monitoring = config.cluster.monitoring;
  const archive = config.backup.auditArchive;
  const backup = archive
    ? { ...FAKE_BACKUP, auditArchive: { bucketName: archive.bucket, prefix: `${archive.prefix}/${env}`, keyArn: KEY_ARN, region: config.aws.region } }
    : FAKE_BACKUP;
  const json = synthJson(new VaultClusterStack(Testing.app(), `vault-cluster-${env}`, { config, backup }));
  const maps = (Object.values(resourcesOf(json, "kubernetes_config_map_v1")) as any[]).filter((c) =>
    Object.entries(monitoring.dashboard.labels).every(([k, v]) => c.metadata.labels?.[k] === v),
  );
  const dashboards = maps.flatMap((c) => Object.values(c.data as Record<string, string>).map((text) => JSON.parse(text)));
  const exprs: string[] = dashboards.flatMap((d) => d.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)));

  it("ships one ConfigMap with the sidecar's labels in the namespace its Grafana watches", () => {
    expect(maps).toHaveLength(1);
    expect(maps[0].metadata.namespace).toBe(monitoring.dashboard.namespace ?? monitoring.prometheusNamespace);
    expect(dashboards).toHaveLength(1);
  });

  it("has Grafana's required dashboard and panel fields, unique panel ids and non-overlapping panels", () => {
    const ok = validate(dashboards[0]);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const panels: any[] = dashboards[0].panels;
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = panels.flatMap((p) => Array.from({ length: p.gridPos.w * p.gridPos.h }, (_, i) => `${p.gridPos.x + (i % p.gridPos.w)},${p.gridPos.y + Math.floor(i / p.gridPos.w)}`));
    expect(new Set(cells).size).toBe(cells.length);
  });

  it("covers seal and leader state, logins, tokens, audit failures and volume, snapshot age, and the certificate if cert-manager issues it", () => {
    const read = new Set(exprs.flatMap((e) => [...metricNames(e)]));
    const wanted = [
      "kube_pod_container_status_ready",
      "vault_core_active",
      "vault_core_handle_login_request_count",
      "vault_token_creation",
      "vault_audit_log_request_failure",
      "kubelet_volume_stats_available_bytes",
      "kube_cronjob_status_last_successful_time",
      ...(config.cluster.tls.source === "cert-manager" ? ["certmanager_certificate_expiration_timestamp_seconds"] : []),
      ...(archive ? ["vector_component_sent_events_total"] : []),
    ];
    expect(wanted.filter((m) => !read.has(m))).toEqual([]);
  });

  it("every panel query passes promtool check rules as a recording rule", () => {
    const r = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": ruleFile("dashboard", recordingRules(exprs)) });
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.status).toBe(0);
  });

  it("reads only metrics an input series of the alert tests emits", () => {
    expect(exprs.length).toBeGreaterThan(0);
    expect(unmodelled(exprs, modelled)).toEqual([]);
  });
});
