/**
 * Every path of every auth mount that answers without a token is rate-limited, as Vault resolves quotas
 * (rehearsal/vault-quotas.ts, from vault/quotas/quotas.go and each auth plugin's PathsSpecial.Unauthenticated),
 * for the mounts and quotas the config stack synthesizes from both default configs.
 */
import { Testing } from "cdktf";
import { caNamespaces } from "../../config/ca-namespaces";
import { durationSeconds } from "../../config/format-rules";
import { VaultConfigStack } from "../../stacks/vault-config-stack";
import { configFor, defaultPolicies, resourcesOf, synthJson } from "../helpers";
import { UNAUTHENTICATED_PATHS, applicableQuota, type Quota } from "../../rehearsal/vault-quotas";

describe.each(["dev", "prod"] as const)("login quotas of vault-config-%s", (env) => {
  const config = configFor(env);
  let json: any;
  beforeAll(async () => {
    const stack = new VaultConfigStack(Testing.app(), `vault-config-${env}`, {
      config,
      cluster: {
        vaultAddress: `https://vault-active.${config.cluster.namespace}.svc:8200`,
        namespace: config.cluster.namespace,
        tlsSecretName: "vault-tls",
        caConfigMap: { name: config.cluster.caPublication.configMapName, key: "ca.crt", namespaces: caNamespaces(config) },
      },
      policies: await defaultPolicies(),
    });
    json = synthJson(stack);
  });

  /** Auth mounts: their path and type, by their Terraform reference. */
  function mounts(): { ref: string; path: string; type: string }[] {
    return ["vault_auth_backend", "vault_jwt_auth_backend"].flatMap((type) =>
      Object.entries(resourcesOf(json, type)).map(([key, r]: [string, any]) => ({ ref: `\${${type}.${key}.path}`, path: r.path, type: r.type })),
    );
  }

  /** Quotas with each mount reference resolved to the mount's path. */
  function quotas(): (Quota & { rate: number; interval: number; block_interval: number })[] {
    return Object.values(resourcesOf(json, "vault_quota_rate_limit")).map((q: any) => {
      let path: string = q.path;
      for (const m of mounts()) path = path.split(m.ref).join(m.path);
      return { ...q, path };
    });
  }

  it("rate-limits every unauthenticated path of every auth mount with the configured rate", () => {
    const { rate, interval, blockInterval } = config.vault.loginRateLimit;
    const limits: Record<string, unknown> = {};
    for (const m of mounts()) {
      const paths = UNAUTHENTICATED_PATHS[m.type];
      if (!paths) throw new Error(`no model of the unauthenticated paths of auth method type ${m.type}`);
      for (const p of paths) {
        const quota = applicableQuota(quotas(), `auth/${m.path}/`, `auth/${m.path}/${p}`);
        limits[`auth/${m.path}/${p}`] = quota && { rate: quota.rate, interval: quota.interval, block: quota.block_interval };
      }
    }
    expect(mounts().map((m) => m.type)).toEqual(expect.arrayContaining(["approle", "kubernetes", "jwt"]));
    const expected = { rate, interval: durationSeconds(interval), block: durationSeconds(blockInterval) };
    expect(limits).toEqual(Object.fromEntries(Object.keys(limits).map((path) => [path, expected])));
  });

  it("leaves the mounts' other paths (roles, config) outside the login quotas", () => {
    for (const m of mounts()) expect(applicableQuota(quotas(), `auth/${m.path}/`, `auth/${m.path}/role/some-role`)).toBeUndefined();
  });
});
