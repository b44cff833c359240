/**
 * A stand-in for the Vault Agent injector's mutation of a pod (hashicorp/vault-k8s 1.7, the injector of vault-helm
 * 0.34.1): from the pod's annotations, containers and volumes, the agent sidecar it adds (its environment, its volume
 * mounts) and the agent configuration it passes in VAULT_CONFIG. Modelled on vault-k8s:
 * - agent-inject/agent/annotations.go `Init`: defaults for annotations the pod does not set: `service` (the
 *   injector's AGENT_INJECT_VAULT_ADDR; vault-helm templates/injector-deployment.yaml sets
 *   https://<release>.<namespace>.svc:<port>), `auth-type` kubernetes, `auth-path` (AGENT_INJECT_VAULT_AUTH_PATH,
 *   the chart's injector.authPath), cache listener port 8200 and use-auto-auth-token "true".
 * - agent-inject/agent/agent.go `New`: `ca-cert` becomes Vault.CACert, `agent-copy-volume-mounts` CopyVolumeMounts,
 *   `agent-cache-enable`; `serviceaccount()`: the volume named by `agent-service-account-token-volume-name` (its
 *   mount path and the projected token's path), else the container mount whose path contains "serviceaccount";
 *   `copyVolumeMounts()`: the named container's mounts except service account token mounts.
 * - agent-inject/handler.go: Vault.CACertBytes from the injector's AGENT_INJECT_VAULT_CACERT_BYTES.
 * - agent-inject/agent/annotations.go `authConfig()`: token_path from the service account volume, then every
 *   `auth-config-<param>` annotation, then `role`.
 * - agent-inject/agent/config.go `newConfig`: vault {address, ca_cert}, auto_auth {method {type, mount_path,
 *   config}, a file sink}, and with the cache enabled (sidecar, not init) a tcp listener on 127.0.0.1:<port> with TLS
 *   off (`makeCacheListener`) and cache {use_auto_auth_token}.
 * - agent-inject/agent/container_env.go: VAULT_CONFIG (the config, base64 JSON), VAULT_CACERT_BYTES when set.
 * - agent-inject/agent/container_sidecar.go: mounts the service account volume, then the copied mounts.
 * The agent (Vault 2.0's command/agent/config/config.go ValidateConfig) still honours cache.use_auto_auth_token,
 * carrying "force" over to its api_proxy; the injector writes the cache stanza.
 */

const A = "vault.hashicorp.com/";

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

export interface Container {
  readonly name: string;
  readonly env?: readonly { name: string; value: string }[];
  readonly volumeMounts?: readonly VolumeMount[];
}

export interface Volume {
  readonly name: string;
  readonly configMap?: { name: string; items?: { key: string; path: string }[] };
  readonly projected?: { sources: { serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string } }[] };
}

export interface Pod {
  readonly metadata: { annotations?: Record<string, string> };
  readonly spec: { serviceAccountName?: string; containers: Container[]; volumes?: Volume[] };
}

/** The injector's own settings (its Deployment's environment). */
export interface InjectorSettings {
  /** AGENT_INJECT_VAULT_ADDR. */
  readonly vaultAddr: string;
  /** AGENT_INJECT_VAULT_AUTH_PATH. */
  readonly authPath: string;
  /** AGENT_INJECT_VAULT_CACERT_BYTES, if set. */
  readonly caCertBytes?: string;
}

export interface AgentConfig {
  vault: { address: string; ca_cert?: string };
  auto_auth: { method: { type: string; mount_path: string; config: Record<string, string> }; sinks: { type: string; config: { path: string } }[] };
  listener?: { type: string; address: string; tls_disable: boolean }[];
  cache?: { use_auto_auth_token: string };
}

export interface InjectedAgent {
  readonly config: AgentConfig;
  readonly env: Record<string, string>;
  readonly volumeMounts: VolumeMount[];
}

/** The projected token's path inside its volume (getTokenPathFromProjectedVolume). */
function projectedTokenPath(volume: Volume | undefined): string {
  const source = volume?.projected?.sources.find((s) => s.serviceAccountToken);
  if (!source?.serviceAccountToken) throw new Error(`volume ${volume?.name}: not a projected service account token`);
  return source.serviceAccountToken.path;
}

/** The service account token volume the agent logs in with (agent.go serviceaccount()). */
function serviceAccountVolume(pod: Pod): { name: string; mountPath: string; tokenPath: string } {
  const named = pod.metadata.annotations?.[`${A}agent-service-account-token-volume-name`];
  if (named) {
    for (const c of pod.spec.containers) {
      const m = c.volumeMounts?.find((v) => v.name === named);
      if (m) return { name: m.name, mountPath: m.mountPath, tokenPath: projectedTokenPath(pod.spec.volumes?.find((v) => v.name === named)) };
    }
    const volume = pod.spec.volumes?.find((v) => v.name === named);
    if (volume) return { name: volume.name, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", tokenPath: projectedTokenPath(volume) };
    throw new Error(`failed to find service account volume "${named}"`);
  }
  for (const c of pod.spec.containers) {
    const m = c.volumeMounts?.find((v) => v.mountPath.includes("serviceaccount"));
    if (m) return { name: m.name, mountPath: m.mountPath, tokenPath: "token" };
  }
  throw new Error("failed to find service account volume mount");
}

/**
 * The API server's ServiceAccount admission (before any webhook) mounts the standard token into every container of
 * a pod that does not opt out; the injector sees the pod after it.
 */
export function admitServiceAccount(pod: Pod): Pod {
  const mount = { name: "kube-api-access", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true };
  return { ...pod, spec: { ...pod.spec, containers: pod.spec.containers.map((c) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), mount] })) } };
}

/** The sidecar (not the init container) the injector adds to `pod`; throws where the injector refuses the pod. */
export function injectAgent(pod: Pod, injector: InjectorSettings): InjectedAgent {
  const ann = pod.metadata.annotations ?? {};
  if (ann[`${A}agent-inject`] !== "true") throw new Error("pod is not annotated for injection");
  const get = (key: string, fallback: string) => ann[`${A}${key}`] ?? fallback;
  const sa = serviceAccountVolume(pod);
  const authConfig: Record<string, string> = { token_path: `${sa.mountPath}/${sa.tokenPath}` };
  for (const [k, v] of Object.entries(ann)) if (k.startsWith(`${A}auth-config-`)) authConfig[k.slice(`${A}auth-config-`.length).replace(/-/g, "_")] = v;
  const role = ann[`${A}role`];
  if (!role && !authConfig.role) throw new Error("no Vault role for the kubernetes auth method");
  if (role) authConfig.role = role;
  const caCert = ann[`${A}ca-cert`];
  const config: AgentConfig = {
    vault: { address: get("service", injector.vaultAddr), ...(caCert ? { ca_cert: caCert } : {}) },
    auto_auth: {
      method: { type: get("auth-type", "kubernetes"), mount_path: get("auth-path", injector.authPath), config: authConfig },
      sinks: [{ type: "file", config: { path: "/home/vault/.vault-token" } }],
    },
  };
  if (get("agent-cache-enable", "false") === "true") {
    config.listener = [{ type: "tcp", address: `127.0.0.1:${get("agent-cache-listener-port", "8200")}`, tls_disable: true }];
    config.cache = { use_auto_auth_token: get("agent-cache-use-auto-auth-token", "true") };
  }
  const env: Record<string, string> = { VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString("base64") };
  if (injector.caCertBytes) env.VAULT_CACERT_BYTES = injector.caCertBytes;
  const copyFrom = ann[`${A}agent-copy-volume-mounts`];
  const copied = copyFrom
    ? [...pod.spec.containers].filter((c) => c.name === copyFrom).flatMap((c) => c.volumeMounts ?? []).filter((m) => !m.mountPath.toLowerCase().includes("serviceaccount"))
    : [];
  const volumeMounts = [{ name: sa.name, mountPath: sa.mountPath, readOnly: true }, { name: "vault-secrets", mountPath: get("secret-volume-path", "/vault/secrets") }, ...copied];
  // The API server refuses a container with two mounts at one path (ValidateVolumeMounts: "must be unique").
  const paths = volumeMounts.map((m) => m.mountPath);
  const twice = paths.find((p, i) => paths.indexOf(p) !== i);
  if (twice) throw new Error(`the agent container mounts ${twice} twice: the pod is refused`);
  return { config, env, volumeMounts };
}

/** The pod volume a path inside the agent's container comes from, and the file within it. */
export function volumeAt(pod: Pod, mounts: readonly VolumeMount[], path: string): { volume: Volume | undefined; file: string } | undefined {
  const mount = [...mounts].sort((a, b) => b.mountPath.length - a.mountPath.length).find((m) => path.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
  if (!mount) return undefined;
  return { volume: pod.spec.volumes?.find((v) => v.name === mount.name), file: path.slice(mount.mountPath.replace(/\/$/, "").length + 1) };
}
