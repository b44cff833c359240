import { buildVaultHelmValues, type VaultHelmValuesProps } from "../../constructs/vault-helm-values";
import { VaultHelmRelease } from "../../constructs/vault-helm-release";
import { configFor, synthJson } from "../helpers";
import { FAKE_BACKUP, bareStack, helmValues, serverHcl } from "./cluster-fixtures";

function synthValues(env: "dev" | "prod", edit?: (raw: any) => void, extra: Partial<VaultHelmValuesProps> = {}): any {
  const config = configFor(env, edit);
  const stack = bareStack();
  new VaultHelmRelease(stack, "vault", {
    namespace: "vault",
    repository: "https://helm.releases.hashicorp.com",
    chartVersion: "0.34.1",
    values: buildVaultHelmValues({
      cluster: config.cluster,
      region: config.aws.region,
      unsealKeyArn: FAKE_BACKUP.unsealKeyArn,
      serverRoleArn: FAKE_BACKUP.vaultServerRoleArn,
      tlsSecretName: "vault-tls",
      ...extra,
    }),
  });
  return helmValues(synthJson(stack));
}

describe("buildVaultHelmValues", () => {
  const dev = synthValues("dev");
  const prod = synthValues("prod");

  it("runs HA with integrated Raft, node ids from pod names, and the configured replica count", () => {
    for (const [values, replicas] of [[dev, 3], [prod, 5]] as const) {
      expect(values.server.ha).toMatchObject({ enabled: true, replicas, raft: { enabled: true, setNodeId: true } });
      expect(values.server.standalone.enabled).toBe(false);
    }
  });

  it("updates with OnDelete and keeps a Raft quorum through voluntary disruptions", () => {
    for (const values of [dev, prod]) {
      expect(values.server.updateStrategyType).toBe("OnDelete");
      const { enabled, maxUnavailable } = values.server.ha.disruptionBudget;
      expect(enabled).toBe(true);
      expect(maxUnavailable).toBeGreaterThanOrEqual(1);
      expect(maxUnavailable).toBeLessThanOrEqual((values.server.ha.replicas - 1) / 2);
    }
  });

  it("keeps the chart's hostname anti-affinity and spreads pods across zones", () => {
    expect(dev.server.affinity).toBeUndefined();
    expect(dev.server.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: { "app.kubernetes.io/name": "vault", "app.kubernetes.io/instance": "vault", component: "server" } },
      },
    ]);
  });

  it("pins the image and sets requests, limits and storage from config", () => {
    expect(prod.server.image).toEqual({ repository: "hashicorp/vault", tag: "2.0.4" });
    expect(prod.server.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } });
    expect(prod.server.dataStorage).toEqual({ enabled: true, size: "50Gi", storageClass: "gp3" });
    expect(prod.server.auditStorage).toEqual({ enabled: true, size: "50Gi", storageClass: "gp3", mountPath: "/vault/audit" });
  });

  it("serves TLS end to end from the mounted secret, with no ingress in front", () => {
    expect(dev.global.tlsDisable).toBe(false);
    expect(dev.server.volumes).toEqual([{ name: "vault-tls", secret: { secretName: "vault-tls", defaultMode: 0o440 } }]);
    expect(dev.server.volumeMounts).toEqual([{ name: "vault-tls", mountPath: "/vault/userconfig/vault-tls", readOnly: true }]);
    expect(dev.server.extraEnvironmentVars).toEqual({ VAULT_CACERT: "/vault/userconfig/vault-tls/ca.crt" });
    expect(dev.server.ingress.enabled).toBe(false);
    expect(dev.server.ha.apiAddr).toBe("https://$(VAULT_K8S_POD_NAME).vault-internal:8200");
    expect(dev.server.ha.clusterAddr).toBe("https://$(HOSTNAME).vault-internal:8201");
  });

  it("renders the server config into server.ha.raft.config with one retry_join per replica", async () => {
    const hcl = await serverHcl(prod);
    expect(hcl.listener.tcp[0].tls_min_version).toBe("tls13");
    expect(hcl.storage.raft[0].retry_join).toHaveLength(5);
    expect(hcl.seal.awskms).toEqual([{ kms_key_id: FAKE_BACKUP.unsealKeyArn, region: "eu-west-2" }]);
  });

  it("gives the server service account the IRSA role and no long-lived token secret", () => {
    expect(dev.server.serviceAccount).toEqual({
      create: true,
      name: "vault",
      createSecret: false,
      annotations: { "eks.amazonaws.com/role-arn": FAKE_BACKUP.vaultServerRoleArn },
    });
  });

  it("allows 8200 only from the listed namespaces (and Vault's own) and 8201 only between Vault pods", () => {
    const [api, cluster] = dev.server.networkPolicy.ingress;
    expect(dev.server.networkPolicy.enabled).toBe(true);
    expect(dev.server.networkPolicy.ingress).toHaveLength(2);
    expect(api.ports).toEqual([{ port: 8200, protocol: "TCP" }]);
    expect(api.from).toEqual([
      {
        namespaceSelector: {
          matchExpressions: [
            {
              key: "kubernetes.io/metadata.name",
              operator: "In",
              values: [...configFor("dev").cluster.allowedNamespaces, configFor("dev").cluster.namespace, configFor("dev").cluster.deployRunner.namespace, configFor("dev").cluster.planRunner.namespace],
            },
          ],
        },
      },
    ]);
    expect(cluster.ports).toEqual([{ port: 8201, protocol: "TCP" }]);
    expect(cluster.from).toEqual([
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "vault", "app.kubernetes.io/instance": "vault", component: "server" } } },
    ]);
  });

  it.each(["deployRunner", "planRunner"])("admits the %s's namespace on 8200 (the config stack is applied or planned from there), and on nothing else", (which) => {
    const runner = synthValues("dev", (raw) => (raw.cluster[which].namespace = "ci-runners"));
    const [api, cluster] = runner.server.networkPolicy.ingress;
    expect(api.from[0].namespaceSelector.matchExpressions[0].values).toContain("ci-runners");
    expect(api.ports).toEqual([{ port: 8200, protocol: "TCP" }]);
    expect(JSON.stringify(cluster)).not.toContain("ci-runners");
  });

  it("adds the Prometheus namespace to 8200 only when it is given", () => {
    const values = synthValues("dev", undefined, { prometheusNamespace: "monitoring" });
    expect(values.server.networkPolicy.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).toContain("monitoring");
    expect(dev.server.networkPolicy.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).not.toContain("monitoring");
  });

  it("keeps the chart's non-root, no-escalation security contexts, hardened to the restricted level", () => {
    expect(dev.server.statefulSet.securityContext.pod).toMatchObject({ runAsNonRoot: true, runAsUser: 100, seccompProfile: { type: "RuntimeDefault" } });
    expect(dev.server.statefulSet.securityContext.container).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });

  it("keeps the UI off, or on a ClusterIP service when enabled", async () => {
    expect(dev.ui).toEqual({ enabled: false, serviceType: "ClusterIP" });
    const withUi = synthValues("dev", (raw) => (raw.cluster.ui = { enabled: true }));
    expect(withUi.ui).toEqual({ enabled: true, serviceType: "ClusterIP" });
    expect((await serverHcl(withUi)).ui).toBe(true);
    expect((await serverHcl(dev)).ui).toBe(false);
  });

  it("runs the injector with at least two replicas and a disruption budget, or not at all", () => {
    for (const values of [dev, prod]) expect(values.injector).toMatchObject({ enabled: true, replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    // Without the injector no application may ask for an injected agent (a config error otherwise).
    const withoutInjector = (raw: any) => {
      raw.cluster.injector = { enabled: false };
      for (const app of raw.applications) delete app.auth.vaultAgent;
    };
    expect(synthValues("dev", withoutInjector).injector).toEqual({ enabled: false });
  });

  it("leaves monitoring off unless telemetry values are given", () => {
    expect(dev.serverTelemetry).toEqual({ serviceMonitor: { enabled: false }, prometheusRules: { enabled: false, rules: [] } });
  });

  it("fails if the disruption budget would let a Raft quorum go", () => {
    expect(() => synthValues("dev", undefined, { maxUnavailable: 2 })).toThrow(/maxUnavailable must be from 1 to \(replicas - 1\) \/ 2 = 1 .*got 2/);
  });

  it("fails if the replica count is even (config validation)", () => {
    expect(() => configFor("dev", (raw) => (raw.cluster.replicas = 4))).toThrow(/cluster.replicas: must be an odd number from 3 to 7/);
  });

  it("fails if the injector is enabled with a single replica (config validation)", () => {
    expect(() => configFor("dev", (raw) => (raw.cluster.injector = { enabled: true, replicas: 1 }))).toThrow(/injector.replicas: must be at least 2/);
  });
});
