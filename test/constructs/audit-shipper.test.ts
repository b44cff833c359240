/**
 * The audit shipper in the Vault pod, checked against what the other side will accept: the objects its Vector sink
 * writes (key prefix, SSE-KMS headers) are what the archive bucket's policy and the Vault server's role allow (the IAM
 * evaluator on the synthesized backup stack); it reads every file audit device, as Vault's user, read-only; Prometheus
 * can reach its metrics; and its alerts fire in Prometheus' engine (promtool) when shipping stops.
 */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { VaultBackupStack } from "../../stacks/vault-backup-stack";
import { VaultClusterStack } from "../../stacks/vault-cluster-stack";
import { AUDIT_SHIPPER_CONTAINER, AUDIT_SHIPPER_METRICS_PORT, AUDIT_SHIPPER_SINK } from "../../constructs/audit-shipper";
import { AUDIT_MOUNT_PATH } from "../../constructs/vault-helm-values";
import { evaluatePolicy, policyDocumentStatements, substituteReferences } from "../../compliance/iam-policy-evaluator";
import { promtool, ruleFile, unitTestFile, type Series } from "../../rehearsal/promtool";
import { scrapeTimes, vaultTargetLabels } from "../../rehearsal/vault-metrics";
import { FAKE_BACKUP, helmValues } from "./cluster-fixtures";
import { configFor, resourcesOf, synthJson } from "../helpers";

const KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/aaaaaaaa-2222-3333-4444-555555555555";

describe.each(["dev", "prod"] as const)("the audit shipper of %s", (env) => {
  const config = configFor(env);
  const archive = config.backup.auditArchive!;
  const backupJson = synthJson(new VaultBackupStack(Testing.app(), `vault-backup-${env}`, { config }));
  const handles = { ...FAKE_BACKUP, auditArchive: { bucketName: archive.bucket, prefix: `${archive.prefix}/${env}`, keyArn: KEY_ARN, region: config.aws.region } };
  const json = synthJson(new VaultClusterStack(Testing.app(), `vault-cluster-${env}`, { config, backup: handles }));
  const values = helmValues(json);
  const container = values.server.extraContainers.find((c: any) => c.name === AUDIT_SHIPPER_CONTAINER);
  const configMap: any = Object.values(resourcesOf(json, "kubernetes_config_map_v1")).find((c: any) => c.metadata.name === "vault-audit-shipper");
  const vector = parse(configMap.data["vector.yaml"]);
  const sink = vector.sinks[AUDIT_SHIPPER_SINK];
  const key = (name: string) => `\${aws_kms_key.${Object.keys(resourcesOf(backupJson, "aws_kms_key")).find((n) => n.startsWith(name))}.arn}`;
  const refs = { [key("audit-key")]: KEY_ARN, [key("unseal-key")]: "arn:aws:kms:eu-west-2:111111111111:key/unseal" };
  // An object as Vector names it: key_prefix with the strftime fields filled, then a timestamp and a UUID.
  const objectArn = `arn:aws:s3:::${sink.bucket}/${String(sink.key_prefix).replace("%Y", "2026").replace("%m", "12").replace("%d", "07")}1765065600-6f1c.log.gz`;
  const headers = { "s3:x-amz-server-side-encryption": sink.server_side_encryption, "s3:x-amz-server-side-encryption-aws-kms-key-id": sink.ssekms_key_id };

  it("runs a pinned image as Vault's user, read-only, with limits, reading the audit volume read-only", () => {
    expect(container.image).toMatch(/:[0-9]+\.[0-9]+\.[0-9]+/);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 100, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.volumeMounts).toContainEqual({ name: "audit", mountPath: AUDIT_MOUNT_PATH, readOnly: true });
  });

  it("follows every file audit device on the audit volume and its rotated copies", () => {
    const files = config.vault.audit.flatMap((d) => (d.type === "file" && d.filePath.startsWith(`${AUDIT_MOUNT_PATH}/`) ? [d.filePath] : []));
    expect(files.length).toBeGreaterThan(0);
    expect(vector.sources.audit.include).toEqual(files.flatMap((f) => [f, `${f}.*`]));
  });

  it("writes where the archive's policy and the server role let it: its bucket, its prefix, SSE-KMS with the archive key", () => {
    expect([sink.bucket, sink.region]).toEqual([archive.bucket, config.aws.region]);
    const bucketRef = `\${aws_s3_bucket.${Object.entries(resourcesOf(backupJson, "aws_s3_bucket")).find(([, b]: any) => b.bucket === archive.bucket)![0]}.id}`;
    const bucketPolicy: any = Object.values(resourcesOf(backupJson, "aws_s3_bucket_policy")).find((p: any) => p.bucket === bucketRef);
    const policy = substituteReferences(policyDocumentStatements(backupJson, bucketPolicy.policy), refs);
    const put = { action: "s3:PutObject", resource: objectArn, context: { ...headers, "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" } };
    expect(evaluatePolicy(policy, put).deniedBy).toEqual([]);
    const rolePolicy: any = Object.entries(resourcesOf(backupJson, "aws_iam_role_policy")).find(([n]) => n.startsWith("vault-server-role"))![1];
    expect(evaluatePolicy(substituteReferences(policyDocumentStatements(backupJson, rolePolicy.policy), refs), put).decision).toBe("allow");
    // Its healthcheck (HeadBucket) needs s3:ListBucket, which the role does not have: it is off.
    expect(sink.healthcheck).toEqual({ enabled: false });
  });

  it("lets Prometheus reach its metrics when monitoring is on", () => {
    const rules = values.server.networkPolicy.ingress.filter((r: any) => r.ports.some((p: any) => p.port === AUDIT_SHIPPER_METRICS_PORT));
    expect(rules.length).toBe(config.cluster.monitoring.enabled ? 1 : 0);
    const podMonitors = Object.values(resourcesOf(json, "kubernetes_manifest")).filter((m: any) => m.manifest.kind === "PodMonitor");
    expect(podMonitors.length).toBe(config.cluster.monitoring.enabled ? 1 : 0);
  });
});

describe("audit shipping alerts in Prometheus' engine", () => {
  const env = (["prod", "dev"] as const).find((e) => configFor(e).cluster.monitoring.enabled)!;
  const config = configFor(env);
  const archive = config.backup.auditArchive!;
  const handles = { ...FAKE_BACKUP, auditArchive: { bucketName: archive.bucket, prefix: `${archive.prefix}/${env}`, keyArn: KEY_ARN, region: config.aws.region } };
  const values = helmValues(synthJson(new VaultClusterStack(Testing.app(), `vault-cluster-${env}`, { config, backup: handles })));
  const rules = values.serverTelemetry.prometheusRules.rules.filter((r: any) => r.alert.startsWith("VaultAudit"));
  const ns = config.cluster.namespace;
  const interval = 30;
  const end = 90 * 60;
  const stopAt = 30 * 60;
  const scrapes = scrapeTimes(interval, end);
  const job = `${ns}/${AUDIT_SHIPPER_CONTAINER}`;
  const shipperLabels = (pod: string) => ({ namespace: ns, pod, container: AUDIT_SHIPPER_CONTAINER, job, instance: `10.0.0.10:${AUDIT_SHIPPER_METRICS_PORT}` });
  /** vault-0 logs an audit entry a second; its shipper sends them all, until it stops at `stopAt`. */
  const series = (shipperUp: boolean): Series[] => [
    { name: "vault_audit_log_request_count", labels: vaultTargetLabels(ns, "vault-0", "vault-internal", 0), values: scrapes.map((t) => t) },
    { name: "vector_component_sent_events_total", labels: { ...shipperLabels("vault-0"), component_id: AUDIT_SHIPPER_SINK }, values: scrapes.map((t) => Math.min(t, stopAt)) },
    { name: "vector_component_errors_total", labels: { ...shipperLabels("vault-0"), component_id: AUDIT_SHIPPER_SINK }, values: scrapes.map((t) => (t <= stopAt ? 0 : Math.floor((t - stopAt) / 60))) },
    { name: "up", labels: shipperLabels("vault-0"), values: scrapes.map((t) => (shipperUp || t <= stopAt ? 1 : 0)) },
  ];
  const alert = (name: string, labels: Record<string, string>) => {
    const r = rules.find((x: any) => x.alert === name);
    return { labels: { ...labels, ...r.labels }, annotations: Object.fromEntries(Object.entries(r.annotations as Record<string, string>).map(([k, v]) => [k, v.replace("{{ $labels.pod }}", labels.pod ?? "")])) };
  };

  it("passes promtool check rules", () => {
    const r = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": ruleFile("vault", rules) });
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it("fire when the shipper stops sending and fails, and when it cannot be scraped; not before", () => {
    const tests = [
      {
        name: "uploads start failing at 30 minutes",
        intervalSeconds: interval,
        series: series(true),
        expect: [
          { atSeconds: stopAt - 60, alert: "VaultAuditShippingStopped", firing: [] },
          { atSeconds: stopAt - 60, alert: "VaultAuditShippingErrors", firing: [] },
          { atSeconds: stopAt + 50 * 60, alert: "VaultAuditShippingStopped", firing: [alert("VaultAuditShippingStopped", { namespace: ns, pod: "vault-0" })] },
          { atSeconds: stopAt + 50 * 60, alert: "VaultAuditShippingErrors", firing: [alert("VaultAuditShippingErrors", { namespace: ns, pod: "vault-0" })] },
        ],
      },
      {
        name: "the shipper goes down at 30 minutes",
        intervalSeconds: interval,
        series: series(false),
        expect: [
          { atSeconds: stopAt - 60, alert: "VaultAuditShipperDown", firing: [] },
          { atSeconds: stopAt + 20 * 60, alert: "VaultAuditShipperDown", firing: [alert("VaultAuditShipperDown", shipperLabels("vault-0"))] },
        ],
      },
    ];
    const r = promtool(["test", "rules", "tests.yaml"], { "rules.yaml": ruleFile("vault", rules), "tests.yaml": unitTestFile(tests, interval) });
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });
});
