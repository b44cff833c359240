/**
 * The Vault Agents the injector adds to tenants' pods, from the pod specs docs/onboarding.md gives them
 * (`npm run pod-specs`) and the injector settings the cluster stack synthesizes, through a stand-in of vault-k8s's
 * mutation (rehearsal/vault-injector.ts): each agent reaches Vault at a name on Vault's certificate and verifies it
 * with Vault's CA (the ConfigMap trust-manager publishes), logs in with the token its role checks, and, for the
 * clients that cannot log in and renew by themselves (Phoenix Guardian's ADR client, the Configuration Management
 * Service's guide, VoiceHive's connectors that renew hourly against a 30-minute TTL), serves them on the pod's
 * loopback with its own token.
 */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { podSpecsMarkdown } from "../../scripts/pod-specs";
import { vaultDnsNames } from "../../constructs/vault-tls";
import { addEnvironment } from "../../stacks/environment";
import { admitServiceAccount, injectAgent, volumeAt, type InjectorSettings, type Pod } from "../../rehearsal/vault-injector";
import { helmValues } from "../constructs/cluster-fixtures";
import { configFor, defaultPolicies, synthJson } from "../helpers";

/**
 * The tenants whose documented client is served by an injected agent in API-proxy mode: Phoenix Guardian's ADR
 * client logs in once and never renews; the Configuration Management Service's guide sends a static VAULT_TOKEN to
 * VAULT_ADDR; VoiceHive's review renews hourly, after its role's 30-minute token has expired. All keep their code; the
 * agent logs in, renews and adds its token.
 */
const SERVED_BY_AGENT = ["phoenix-guardian", "config-service", "voicehive"];

describe.each(["dev", "prod"] as const)("injected Vault Agents in %s", (env) => {
  const config = configFor(env);
  let injector: InjectorSettings;
  const pods = new Map<string, Pod>();

  beforeAll(async () => {
    const values = helmValues(synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).cluster));
    const extra = values.injector.extraEnvironmentVars ?? {};
    injector = {
      // vault-helm 0.34.1 templates/injector-deployment.yaml: https://<release fullname>.<namespace>.svc:<server.service.port>
      // (global.tlsDisable false), and injector.authPath (values.yaml default "auth/kubernetes").
      vaultAddr: `https://vault.${config.cluster.namespace}.svc:${values.server.service?.port ?? 8200}`,
      authPath: values.injector.authPath ?? "auth/kubernetes",
      caCertBytes: extra.AGENT_INJECT_VAULT_CACERT_BYTES,
    };
    const md = podSpecsMarkdown([config]);
    for (const app of config.applications) {
      if (app.auth.method !== "kubernetes") continue;
      const section = md.split("#### ").find((s) => s.startsWith(`${app.name} (`))!;
      const doc = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]);
      pods.set(app.name, { metadata: doc.metadata ?? {}, spec: doc.spec });
    }
  });

  it("the injector is on wherever a tenant's pod asks for an agent", () => {
    expect(config.cluster.injector.enabled).toBe(true);
  });

  const kubernetesApps = config.applications.filter((a) => a.auth.method === "kubernetes");
  const withAgent = kubernetesApps.filter((a) => a.auth.method === "kubernetes" && a.auth.vaultAgent).map((a) => a.name);
  const withoutAgent = kubernetesApps.map((a) => a.name).filter((n) => !withAgent.includes(n));

  it.each(SERVED_BY_AGENT)("%s's pod is annotated for injection", (name) => {
    expect(withAgent).toContain(name);
    expect(pods.get(name)?.metadata.annotations?.["vault.hashicorp.com/agent-inject"]).toBe("true");
  });

  it("every application without an agent verifies Vault itself with VAULT_CACERT from the vault-ca ConfigMap", () => {
    expect(withAgent.length + withoutAgent.length).toBe(kubernetesApps.length);
    const trusted = withoutAgent.map((name) => {
      const pod = pods.get(name)!;
      const app = pod.spec.containers[0];
      const cacert = app.env?.find((e) => e.name === "VAULT_CACERT")?.value;
      return [name, volumeAt(pod, app.volumeMounts ?? [], cacert ?? "")?.volume?.configMap?.name];
    });
    expect(trusted).toEqual(withoutAgent.map((name) => [name, config.cluster.caPublication.configMapName]));
  });

  it.each(withAgent)("%s: the injected agent verifies Vault with its CA, at a name on the certificate", (name) => {
    const pod = pods.get(name)!;
    const agent = injectAgent(admitServiceAccount(pod), injector);
    const host = new URL(agent.config.vault.address).hostname;
    expect(vaultDnsNames(config.cluster.namespace, config.cluster.tls.hostnames)).toContain(host);
    const trusted = agent.config.vault.ca_cert ? volumeAt(pod, agent.volumeMounts, agent.config.vault.ca_cert) : undefined;
    const fromInjector = injector.caCertBytes ? { bytes: injector.caCertBytes } : {};
    expect({ file: trusted?.file, configMap: trusted?.volume?.configMap?.name, bytes: agent.env.VAULT_CACERT_BYTES }).toEqual({
      file: "ca.crt",
      configMap: config.cluster.caPublication.configMapName,
      bytes: undefined,
      ...fromInjector,
    });
  });

  it.each(withAgent)("%s: the injected agent logs in at its role with the token the role checks", (name) => {
    const app = config.applications.find((a) => a.name === name)!;
    if (app.auth.method !== "kubernetes") throw new Error("not kubernetes");
    const pod = admitServiceAccount(pods.get(name)!);
    const agent = injectAgent(pod, injector);
    const method = agent.config.auto_auth.method;
    expect([method.type, method.mount_path, method.config.role]).toEqual(["kubernetes", `auth/${config.vault.auth.kubernetes.path}`, app.auth.role]);
    const token = volumeAt(pod, agent.volumeMounts, method.config.token_path);
    const projected = token?.volume?.projected?.sources[0].serviceAccountToken;
    // A projected token with the role's audience, or the pod's standard token (mounted by the API server).
    expect(app.auth.tokenSource === "projected" ? { audience: projected?.audience, path: projected?.path === token?.file } : method.config.token_path).toEqual(
      app.auth.tokenSource === "projected" ? { audience: app.auth.audience, path: true } : "/var/run/secrets/kubernetes.io/serviceaccount/token",
    );
  });

  it("an agent injected without the ca-cert annotation (and no injector CA) has no CA: why every pod spec carries one", () => {
    const pod: Pod = {
      metadata: { annotations: { "vault.hashicorp.com/agent-inject": "true", "vault.hashicorp.com/role": "r", "vault.hashicorp.com/auth-path": "auth/kubernetes" } },
      spec: { containers: [{ name: "app" }] },
    };
    const agent = injectAgent(admitServiceAccount(pod), { ...injector, caCertBytes: undefined });
    expect([agent.config.vault.ca_cert, agent.env.VAULT_CACERT_BYTES]).toEqual([undefined, undefined]);
  });

  it.each(SERVED_BY_AGENT)("%s: the agent serves the client on the pod's loopback with its own token; the client keeps VAULT_ADDR and sends none", (name) => {
    const pod = pods.get(name)!;
    const agent = injectAgent(admitServiceAccount(pod), injector);
    expect(agent.config.listener).toEqual([{ type: "tcp", address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), tls_disable: true }]);
    expect(agent.config.cache).toEqual({ use_auto_auth_token: "force" });
    const env = Object.fromEntries((pod.spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
    expect(env.VAULT_ADDR).toBe(`http://${agent.config.listener![0].address}`);
    expect(Object.keys(env).filter((k) => k === "VAULT_TOKEN")).toEqual([]);
  });
});
