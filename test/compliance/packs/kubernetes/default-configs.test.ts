import { Testing } from "cdktf";
import { evaluateStack } from "../../../../compliance/evaluate";
import { kubernetesPack } from "../../../../compliance/packs/kubernetes";
import { StackView } from "../../../../synthesized/stack-view";
import { addEnvironment } from "../../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

describe.each(["dev", "prod"] as const)("Kubernetes rules on the default %s config", (env) => {
  let views: StackView[];

  beforeAll(async () => {
    const stacks = addEnvironment(Testing.app(), configFor(env), await defaultPolicies());
    views = [stacks.backup, stacks.cluster, stacks.vaultConfig].map((s) => new StackView(s.node.id, synthJson(s)));
  });

  it("has no violation in any stack", () => {
    const violations = views
      .flatMap((v) => evaluateStack(v, [kubernetesPack], []))
      .filter((f) => f.outcome.status === "non-compliant")
      .map((f) => `${f.rule.id} ${f.stack} ${f.address}: ${f.outcome.status === "non-compliant" ? f.outcome.found : ""}`);
    expect(violations).toEqual([]);
  });

  it("proves every rule compliant on the cluster stack, the snapshot CronJob included", () => {
    const cluster = views.find((v) => v.id === `vault-cluster-${env}`)!;
    const findings = evaluateStack(cluster, [kubernetesPack], []);
    const compliantRules = new Set(findings.filter((f) => f.outcome.status === "compliant").map((f) => f.rule.id));
    expect([...compliantRules].sort()).toEqual(kubernetesPack.rules.map((r) => r.id).sort());
    const cronJob = findings.filter((f) => f.address.startsWith("kubernetes_cron_job_v1."));
    expect(cronJob.map((f) => f.rule.id).sort()).toEqual(kubernetesPack.rules.map((r) => r.id).sort());
    expect(cronJob.every((f) => f.outcome.status === "compliant")).toBe(true);
  });

  it("proves the Vault release's sidecars (the reloader) meet every workload rule", () => {
    const cluster = views.find((v) => v.id === `vault-cluster-${env}`)!;
    const release = evaluateStack(cluster, [kubernetesPack], []).filter(
      (f) => f.address.startsWith("helm_release.") && f.rule.id !== "K8S-NS-001",
    );
    expect(release.map((f) => f.rule.id).sort()).toEqual(kubernetesPack.rules.map((r) => r.id).filter((id) => id !== "K8S-NS-001").sort());
    for (const f of release) expect(f.outcome.status).toBe("compliant");
    expect(release.filter((f) => f.rule.id !== "K8S-SA-001").map((f) => (f.outcome as { evidence: string }).evidence)).toEqual(
      Array(release.length - 1).fill(expect.stringContaining('server.extraContainers "vault-reloader"')),
    );
  });

  it("resolves every namespace to the Vault namespace, never default", () => {
    const cluster = views.find((v) => v.id === `vault-cluster-${env}`)!;
    const namespaced = evaluateStack(cluster, [kubernetesPack], []).filter((f) => f.rule.id === "K8S-NS-001");
    expect([...new Set(namespaced.map((f) => f.address.split(".")[0]))].sort()).toEqual(
      [
        "helm_release",
        "kubernetes_cron_job_v1",
        "kubernetes_manifest",
        "kubernetes_service_account_v1",
        // The audit shipper's vector.yaml (backup.auditArchive) and the Grafana dashboard (monitoring).
        ...(configFor(env).backup.auditArchive || configFor(env).cluster.monitoring.enabled ? ["kubernetes_config_map_v1"] : []),
      ].sort(),
    );
    // The snapshot job's and the restore drill's service accounts.
    expect(namespaced.filter((f) => f.address.startsWith("kubernetes_service_account_v1."))).toHaveLength(2);
    // The dashboard's ConfigMap goes where Grafana's sidecar looks (literal, from the config); the rest to Vault's.
    const monitoring = configFor(env).cluster.monitoring;
    const dashboard = (f: (typeof namespaced)[number]) => f.address.startsWith("kubernetes_config_map_v1.dashboard_");
    expect(namespaced.filter(dashboard)).toHaveLength(monitoring.enabled ? 1 : 0);
    const dashboardEvidence = `metadata.namespace = "${monitoring.dashboard.namespace ?? monitoring.prometheusNamespace}"`;
    const vaultEvidence = expect.stringContaining(`("${configFor(env).cluster.namespace}")`);
    expect(namespaced.map((f) => f.outcome)).toEqual(namespaced.map((f) => ({ status: "compliant", evidence: dashboard(f) ? dashboardEvidence : vaultEvidence })));
  });
});
