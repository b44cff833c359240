import { parse as parseHcl } from "@cdktf/hcl2json";
import { terraformUnescape } from "../../config/terraform-literal";
import { Testing, Token } from "cdktf";
import { parse as parseYaml } from "yaml";
import { durationSeconds, quantityBytes } from "../../config/format-rules";
import type { EnvironmentConfig } from "../../config/schema";
import { VaultClusterStack } from "../../stacks/vault-cluster-stack";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";
import { FAKE_BACKUP } from "../constructs/cluster-fixtures";

const serviceAccount = (json: any, name: string) =>
  (Object.values(resourcesOf(json, "kubernetes_service_account_v1")) as any[]).find((a) => a.metadata.name === name);

function synth(config: EnvironmentConfig) {
  const stack = new VaultClusterStack(Testing.app(), `vault-cluster-${config.environment}`, { config, backup: FAKE_BACKUP });
  const json = synthJson(stack);
  const release = onlyResource(json, "helm_release");
  const values = parseYaml(terraformUnescape(release.values[0]));
  return { stack, json, release, values };
}

describe.each(["dev", "prod"] as const)("VaultClusterStack (%s)", (env) => {
  const config = configFor(env);
  const { stack, json, release, values } = synth(config);
  let hcl: any;
  beforeAll(async () => {
    hcl = await parseHcl("server.hcl", values.server.ha.raft.config);
  });

  it("creates the namespace, the certificate, the release, the snapshot CronJob and its service account (and the dashboard's ConfigMap when monitored)", () => {
    expect(Object.keys(json.resource).sort()).toEqual([
      "helm_release",
      ...(config.cluster.monitoring.enabled ? ["kubernetes_config_map_v1"] : []),
      "kubernetes_cron_job_v1",
      "kubernetes_manifest",
      "kubernetes_namespace_v1",
      "kubernetes_service_account_v1",
    ]);
    const namespaces = Object.values(resourcesOf(json, "kubernetes_namespace_v1")) as any[];
    expect(namespaces.map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]).sort()).toEqual(
      [[config.cluster.namespace, "restricted"], [config.cluster.planRunner.namespace, "restricted"]].sort(),
    );
  });

  it("installs hashicorp/vault from the configured repository at the pinned version, after the certificate", () => {
    expect(release).toMatchObject({ name: "vault", chart: "vault", repository: "https://helm.releases.hashicorp.com", version: "0.34.1" });
    expect(release.namespace).toBe("${kubernetes_namespace_v1.namespace.metadata[0].name}");
    expect(release.depends_on).toEqual(["kubernetes_manifest.tls_certificate_4E7D215C"]);
    expect(values.server.image.tag).toBe(config.cluster.image.tag);
  });

  it("runs an HA Raft cluster of the configured size that keeps a quorum through disruptions", () => {
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: config.cluster.replicas, raft: { enabled: true, setNodeId: true } });
    expect(values.server.updateStrategyType).toBe("OnDelete");
    expect(values.server.ha.disruptionBudget.maxUnavailable).toBeLessThanOrEqual((config.cluster.replicas - 1) / 2);
    expect(values.server.topologySpreadConstraints[0].topologyKey).toBe("topology.kubernetes.io/zone");
    expect(values.server.affinity).toBeUndefined();
    expect(values.server.dataStorage).toMatchObject({ enabled: true, storageClass: config.cluster.storage.storageClass });
    expect(values.server.auditStorage).toMatchObject({ enabled: true, storageClass: config.cluster.storage.storageClass });
    expect(values.server.resources).toEqual(config.cluster.resources);
  });

  it("renders a server config with TLS, raft retry_join per replica, KMS seal, kubernetes registration and telemetry", () => {
    const [tcp] = hcl.listener.tcp;
    expect(tcp.tls_cert_file).toBe("/vault/userconfig/vault-tls/tls.crt");
    expect(tcp.tls_key_file).toBe("/vault/userconfig/vault-tls/tls.key");
    expect(tcp.tls_client_ca_file).toBe("/vault/userconfig/vault-tls/ca.crt");
    expect(tcp.tls_min_version).toBe(config.cluster.tls.minVersion);
    expect(hcl.api_addr).toBe("https://HOSTNAME.vault-internal:8200");
    expect(hcl.cluster_addr).toBe("https://HOSTNAME.vault-internal:8201");
    const [raft] = hcl.storage.raft;
    expect(raft.performance_multiplier).toBe(1);
    expect(raft.retry_join).toHaveLength(config.cluster.replicas);
    for (const join of raft.retry_join) {
      expect(join.leader_api_addr).toMatch(/^https:\/\/vault-\d\.vault-internal:8200$/);
      expect(join.leader_ca_cert_file).toBe("/vault/userconfig/vault-tls/ca.crt");
      expect(join.leader_tls_servername).toMatch(/^vault-\d\.vault-internal$/);
    }
    expect(hcl.seal.awskms).toEqual([{ kms_key_id: FAKE_BACKUP.unsealKeyArn, region: config.aws.region }]);
    expect(hcl.service_registration.kubernetes).toEqual([{}]);
    expect(hcl.telemetry[0]).toMatchObject({ disable_hostname: true });
    expect(hcl.telemetry[0].prometheus_retention_time).toMatch(/^\d+[smh]$/);
    expect(hcl.disable_mlock).toBe(true);
    expect(hcl.ui).toBe(false);
  });

  it("serves TLS itself from the certificate secret and runs the server with its IRSA role", () => {
    expect(values.global.tlsDisable).toBe(false);
    expect(values.server.volumes[0].secret.secretName).toBe(stack.handles.tlsSecretName);
    expect(values.server.serviceAccount).toMatchObject({
      name: "vault",
      createSecret: false,
      annotations: { "eks.amazonaws.com/role-arn": FAKE_BACKUP.vaultServerRoleArn },
    });
  });

  it("restricts 8200 to the configured namespaces and 8201 to Vault pods", () => {
    const [api, cluster] = values.server.networkPolicy.ingress;
    const allowed = api.from[0].namespaceSelector.matchExpressions[0].values;
    const expected = new Set([
      ...config.cluster.allowedNamespaces,
      config.cluster.namespace,
      config.cluster.deployRunner.namespace,
      config.cluster.planRunner.namespace,
      ...(config.cluster.monitoring.enabled ? [config.cluster.monitoring.prometheusNamespace] : []),
    ]);
    expect([...allowed].sort()).toEqual([...expected].sort());
    expect(api.ports).toEqual([{ port: 8200, protocol: "TCP" }]);
    expect(cluster.from[0].podSelector.matchLabels.component).toBe("server");
    expect(cluster.ports).toEqual([{ port: 8201, protocol: "TCP" }]);
  });

  it("creates the restore drill's service account, bound to the restore role and to the drill's Vault role", () => {
    const account = serviceAccount(json, "vault-restore-drill");
    expect(account.metadata.namespace).toMatch(/kubernetes_namespace_v1|^vault$/);
    expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(FAKE_BACKUP.restoreRoleArn);
    expect(account.automount_service_account_token).toBe(false);
    // The Vault role the drill logs in with binds exactly this account in Vault's namespace.
    const drill = config.platform.find((i) => i.auth.method === "kubernetes" && i.auth.serviceAccounts.includes("vault-restore-drill"));
    // Its namespace is derived (Vault's own, cluster.namespace), like the snapshot job's.
    expect(drill?.auth).toMatchObject({ role: "restore-drill" });
    expect(drill?.auth.method === "kubernetes" && drill.auth.namespaces).toBeFalsy();
  });

  it("schedules Raft snapshots to s3://<bucket>/<prefix>/<env>/ with the backup key", () => {
    const cron = onlyResource(json, "kubernetes_cron_job_v1");
    expect(cron.spec.schedule).toBe(config.backup.schedule);
    const upload = cron.spec.job_template.spec.template.spec.container[0];
    const vars = Object.fromEntries(upload.env.map((e: any) => [e.name, e.value]));
    expect(vars).toMatchObject({ BUCKET: FAKE_BACKUP.bucketName, KEY_PREFIX: `raft-snapshots/${config.environment}` });
    expect(vars.SSE_KMS_KEY_ID).toBe(FAKE_BACKUP.backupKeyArn);
    expect(upload.image).toBe(config.backup.images.awsCli);
    expect(cron.spec.job_template.spec.template.spec.init_container[0].image).toBe(config.backup.images.vault);
    expect(serviceAccount(json, "vault-raft-snapshot").metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(
      FAKE_BACKUP.snapshotWriterRoleArn,
    );
  });

  it("enables the ServiceMonitor and the alert rules exactly when monitoring is configured", () => {
    const on = config.cluster.monitoring.enabled;
    // Monitoring in every environment: dev evaluates the same rules before prod does.
    expect(on).toBe(true);
    expect(values.serverTelemetry.serviceMonitor.enabled).toBe(on);
    expect(values.serverTelemetry.prometheusRules.enabled).toBe(on);
    // Eight operational alerts, six security ones, and the renewal alert when cert-manager issues the certificate.
    const certManager = config.cluster.tls.source === "cert-manager";
    expect(values.serverTelemetry.prometheusRules.rules).toHaveLength(on ? 14 + (certManager ? 1 : 0) : 0);
    expect(hcl.listener.tcp[0].telemetry[0].unauthenticated_metrics_access).toBe(on);
    const latency = values.serverTelemetry.prometheusRules.rules.filter((r: any) => r.alert === "VaultRequestLatencyHigh");
    expect(latency.map((r: any) => r.expr)).toEqual(
      on ? [`vault_core_handle_request{namespace="vault", quantile="0.99"} > ${config.cluster.monitoring.latencyP99Ms}`] : [],
    );
  });

  it("monitors by default (a config without a monitoring section), and not when switched off", () => {
    const byDefault = synth(configFor(env, (raw) => delete raw.cluster.monitoring));
    expect(byDefault.values.serverTelemetry.serviceMonitor.enabled).toBe(true);
    expect(byDefault.values.serverTelemetry.prometheusRules.rules.length).toBeGreaterThan(0);
    const off = synth(configFor(env, (raw) => (raw.cluster.monitoring = { enabled: false })));
    expect(off.values.serverTelemetry.serviceMonitor.enabled).toBe(false);
    expect(off.values.serverTelemetry.prometheusRules.rules).toEqual([]);
    expect(off.values.server.ha.raft.config).toContain("unauthenticated_metrics_access = false");
  });

  it("publishes Vault's CA into every application namespace and the configured extras, through trust-manager", () => {
    const bundles = Object.values(resourcesOf(json, "kubernetes_manifest")).filter((m: any) => m.manifest.kind === "Bundle");
    expect(bundles).toHaveLength(1);
    const { manifest } = bundles[0] as any;
    const { caPublication } = config.cluster;
    // The applications' namespaces, the extras, and the deploy runner's (the config stack's provider reads it there).
    const expected = new Set<string>([...caPublication.extraNamespaces, config.cluster.deployRunner.namespace, config.cluster.planRunner.namespace]);
    for (const app of config.applications) if (app.auth.method === "kubernetes") (app.auth.namespaces ?? []).forEach((n) => expected.add(n));
    expect(manifest.metadata.name).toBe(caPublication.configMapName);
    expect(manifest.spec.sources).toEqual([{ secret: { name: caPublication.source.secret, key: caPublication.source.key } }]);
    expect(manifest.spec.target.configMap.key).toBe("ca.crt");
    const [selector] = manifest.spec.target.namespaceSelector.matchExpressions;
    expect(selector).toMatchObject({ key: "kubernetes.io/metadata.name", operator: "In" });
    expect([...selector.values].sort()).toEqual([...expected].sort());
    expect(stack.handles.caConfigMap).toEqual({ name: caPublication.configMapName, key: "ca.crt", namespaces: selector.values });
  });

  it("publishes the CA into a newly onboarded application's namespace without other changes", () => {
    const onboarded = configFor(env, (raw) => {
      raw.cluster.allowedNamespaces.push("billing");
      raw.applications.push({
        name: "billing",
        auth: { method: "kubernetes", role: "billing-app", serviceAccounts: ["billing"], namespaces: ["billing"] },
        policies: [raw.applications[0].policies[0]],
      });
    });
    const bundle = Object.values(resourcesOf(synth(onboarded).json, "kubernetes_manifest")).find((m: any) => m.manifest.kind === "Bundle") as any;
    expect(bundle.manifest.spec.target.namespaceSelector.matchExpressions[0].values).toContain("billing");
  });

  it("runs the reloader sidecar in a shared process namespace, on Vault's own pinned image, rotating the file audit logs", () => {
    expect(values.server.shareProcessNamespace).toBe(true);
    expect(values.server.extraContainers).toHaveLength(1);
    const [reloader] = values.server.extraContainers;
    expect(reloader.name).toBe("vault-reloader");
    expect(reloader.image).toBe(`${config.cluster.image.repository}:${config.cluster.image.tag}`);
    const vars = Object.fromEntries(reloader.env.map((e: any) => [e.name, e.value]));
    const files = config.vault.audit.flatMap((d) => (d.type === "file" && d.filePath !== "stdout" ? [d.filePath] : []));
    expect(files.length).toBeGreaterThan(0);
    expect(vars.AUDIT_FILES.split(" ")).toEqual(files);
    expect(vars.CERT_DIR).toBe(values.server.volumeMounts[0].mountPath);
    expect(Number(vars.KEEP)).toBe(config.cluster.storage.auditRotation.keep);
    expect(Number(vars.INTERVAL)).toBe(config.cluster.reloader.intervalSeconds);
    // The whole rotation budget fits in 80% of the audit volume.
    const volume = quantityBytes(config.cluster.storage.auditSize);
    expect((Number(vars.KEEP) + 1) * Number(vars.MAX_BYTES)).toBeLessThanOrEqual(0.8 * volume);
    // Mounts the volumes the chart defines: the TLS secret volume and the audit claim template.
    expect(reloader.volumeMounts.map((m: any) => m.name)).toEqual([values.server.volumes[0].name, "audit"]);
    expect(reloader.volumeMounts[1].mountPath).toBe(values.server.auditStorage.mountPath);
    expect(reloader.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(reloader.resources.limits).toEqual(config.cluster.reloader.resources.limits);
  });

  it("hands the config stack the active node's in-cluster address, a name on Vault's certificate", () => {
    expect(stack.handles.vaultAddress).toBe(`https://vault-active.${config.cluster.namespace}.svc:8200`);
    const certificate = (Object.values(resourcesOf(json, "kubernetes_manifest")) as any[]).find((m) => m.manifest.kind === "Certificate").manifest;
    expect(certificate.kind).toBe("Certificate");
    // The names refer to the namespace resource, which is named cluster.namespace.
    const ns = resourcesOf(json, "kubernetes_namespace_v1").namespace;
    expect(ns.metadata.name).toBe(config.cluster.namespace);
    const names = certificate.spec.dnsNames.map((n: string) => n.replace(/\$\{kubernetes_namespace_v1\.[^}]+\.metadata\[0\]\.name\}/g, ns.metadata.name));
    expect(names).toContain(new URL(stack.handles.vaultAddress).hostname);
  });

  it("hands the config stack the namespace and TLS secret", () => {
    expect(stack.handles.tlsSecretName).toBe("vault-tls");
    // A reference to the namespace resource (resolved in the release above), so dependants wait for it.
    expect(Token.isUnresolved(stack.handles.namespace)).toBe(true);
  });

  it("puts no secret, token, password or private key in the synthesized JSON", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/\bhvs\.[A-Za-z0-9_-]{20,}/); // Vault service tokens
    expect(text).not.toMatch(/\bAKIA[0-9A-Z]{16}\b/); // AWS access key ids
    expect(text).not.toMatch(/access_key|secret_key|aws_secret_access_key|session_token/i);
    expect(text).not.toMatch(/password\s*[=:]/i);
    expect(text).not.toMatch(/devRootToken|VAULT_TOKEN=\S*[a-z0-9]{8}/);
    expect(values.server.extraSecretEnvironmentVars).toBeUndefined();
  });
});

describe("VaultClusterStack monitoring (prod, where it is on)", () => {
  const config = configFor("prod");
  const { stack, json, values } = synth(config);

  it("is configured on in prod", () => {
    expect(config.cluster.monitoring.enabled).toBe(true);
    expect(config.cluster.tls.source).toBe("cert-manager");
  });

  it("scrapes every server pod through the headless service, verifying a name the certificate carries", () => {
    const monitor = values.serverTelemetry.serviceMonitor;
    expect(monitor.matchLabels).toEqual({ "vault-internal": "true" });
    expect(monitor.tlsConfig.ca.secret).toEqual({ name: stack.handles.tlsSecretName, key: "ca.crt" });
    const certificate = Object.values(resourcesOf(json, "kubernetes_manifest")).find((m: any) => m.manifest.kind === "Certificate") as any;
    // The certificate names the namespace by reference; resolve it to compare.
    const names = certificate.manifest.spec.dnsNames.map((n: string) => n.replace(/\$\{kubernetes_namespace_v1\.[^}]+\}/, config.cluster.namespace));
    expect(names).toContain(monitor.tlsConfig.serverName);
    expect(monitor.tlsConfig.serverName).toBe(`vault-internal.${config.cluster.namespace}.svc`);
  });

  it("alerts before the certificate expires, on failed logins, token creation and a filling audit volume, from config", () => {
    const rules = Object.fromEntries(values.serverTelemetry.prometheusRules.rules.map((r: any) => [r.alert, r.expr]));
    const { monitoring, tls, namespace } = config.cluster;
    const renewBefore = tls.source === "cert-manager" ? durationSeconds(tls.renewBefore) : 0;
    // What these fire on is run through promtool in vault-alerts-promtool.test.ts; here: the config reaches them.
    expect(rules.VaultCertificateRenewalOverdue).toContain(`exported_namespace="${namespace}", name="vault"`);
    expect(rules.VaultCertificateRenewalOverdue).toMatch(new RegExp(` - time\\(\\) < ${renewBefore / 2}$`));
    expect(rules.VaultLoginFailuresHigh).toMatch(new RegExp(`\\* 60 > ${monitoring.authFailuresPerMinute}$`));
    expect(rules.VaultTokenCreationHigh).toMatch(new RegExp(`\\* 60 > ${monitoring.tokenCreationPerMinute}$`));
    expect(rules.VaultAuditVolumeFillingUp).toContain(`persistentvolumeclaim=~"audit-vault-[0-9]+"`);
    expect(rules.VaultReloaderRestarting).toContain(`container="vault-reloader"`);
  });

});

describe("VaultClusterStack with an existing TLS secret", () => {
  const config = configFor("dev", (raw) => (raw.cluster.tls = { source: "secret", secretName: "vault-server-tls" }));
  const { json, release, values } = synth(config);

  it("mounts the named secret and requests no certificate", () => {
    expect(Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest.kind)).toEqual(["Bundle"]);
    expect(release.depends_on).toBeUndefined();
    expect(values.server.volumes[0].secret.secretName).toBe("vault-server-tls");
  });
});

describe("VaultClusterStack config checks", () => {
  it("fails if the config still names a provider address (it is derived from the namespace now)", () => {
    expect(() => configFor("prod", (raw) => (raw.vault.address = "https://vault.platform.example.com:8200"))).toThrow(/vault.address: unknown key/);
  });

  it("fails if the deploy runner is missing, its CA path is relative, or the plan runner shares its scale set or namespace", () => {
    for (const field of ["runsOn", "namespace"]) {
      expect(() => configFor("dev", (raw) => (raw.cluster.planRunner[field] = raw.cluster.deployRunner[field]))).toThrow(
        new RegExp(`cluster.planRunner.${field}: must differ from cluster.deployRunner.${field}`),
      );
    }
    expect(() => configFor("dev", (raw) => delete raw.cluster.deployRunner)).toThrow(/cluster.deployRunner/);
    expect(() => configFor("dev", (raw) => (raw.cluster.deployRunner.caCertFile = "ca.crt"))).toThrow(
      /cluster.deployRunner.caCertFile: must be an absolute file path/,
    );
  });

  it("fails if the replica count is even", () => {
    expect(() => configFor("prod", (raw) => (raw.cluster.replicas = 6))).toThrow(/cluster.replicas: must be an odd number from 3 to 7 \(got 6\)/);
  });

  it("fails if the replica count is outside 3 to 7", () => {
    expect(() => configFor("dev", (raw) => (raw.cluster.replicas = 1))).toThrow(/cluster.replicas: must be an odd number from 3 to 7/);
    expect(() => configFor("dev", (raw) => (raw.cluster.replicas = 9))).toThrow(/cluster.replicas: must be an odd number from 3 to 7/);
  });

  it("fails if no TLS source is configured", () => {
    expect(() => configFor("dev", (raw) => delete raw.cluster.tls)).toThrow(/cluster.tls: is required/);
  });

  it("fails if the rotated audit logs could fill the audit volume", () => {
    expect(() =>
      configFor("dev", (raw) => {
        raw.cluster.storage.auditSize = "5Gi";
        raw.cluster.storage.auditRotation = { maxFileSize: "1Gi", keep: 5 };
      }),
    ).toThrow(/cluster.storage.auditRotation.keep: keeps up to \(keep \+ 1\) x maxFileSize = 6 GiB of audit log, more than 80% of auditSize 5Gi/);
  });

  it("fails if no namespace is allowed to reach Vault", () => {
    expect(() => configFor("dev", (raw) => (raw.cluster.allowedNamespaces = []))).toThrow(/allowedNamespaces: must list at least one namespace/);
  });
});
