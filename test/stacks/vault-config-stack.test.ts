import { Testing } from "cdktf";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PORT_FORWARD_ADDRESS, VaultConfigStack } from "../../stacks/vault-config-stack";
import { caNamespaces } from "../../config/ca-namespaces";
import { durationSeconds } from "../../config/format-rules";
import type { EnvironmentConfig } from "../../config/schema";
import { SNAPSHOT_WRITER_SERVICE_ACCOUNT } from "../../constructs/service-accounts";
import { addEnvironment } from "../../stacks/environment";
import { configFor, defaultPolicies, provideDatabaseCa, resourcesOf, synthJson } from "../helpers";
import { runTerraform, terraform } from "../terraform";

const ADDRESS = (config: EnvironmentConfig) => `https://vault-active.${config.cluster.namespace}.svc:8200`;

/** Every secrets-engine mount path the config declares. */
function enginePaths(config: EnvironmentConfig): string[] {
  const v = config.vault;
  return [
    ...v.kv.map((m) => m.path),
    ...(v.database ? [v.database.path] : []),
    ...(v.transit ? [v.transit.path] : []),
    ...(v.pki ? [v.pki.rootPath, v.pki.intermediatePath] : []),
  ].sort();
}

async function synthFor(config: EnvironmentConfig): Promise<any> {
  const stack = new VaultConfigStack(Testing.app(), `vault-config-${config.environment}`, {
    config,
    cluster: {
      vaultAddress: ADDRESS(config),
      namespace: config.cluster.namespace,
      tlsSecretName: "vault-tls",
      caConfigMap: { name: config.cluster.caPublication.configMapName, key: "ca.crt", namespaces: caNamespaces(config) },
    },
    policies: await defaultPolicies(),
  });
  return synthJson(stack);
}

const values = (json: any, type: string): any[] => Object.values(resourcesOf(json, type));
const byKey = (json: any, type: string, key: string): Record<string, any> => Object.fromEntries(values(json, type).map((r) => [r[key], r]));

describe.each(["dev", "prod"] as const)("VaultConfigStack (%s)", (env) => {
  let json: any;
  // As applied once the database CA is provided (prod ships it pending: test/config/example-material.test.ts).
  const config = configFor(env, provideDatabaseCa);
  beforeAll(async () => {
    json = await synthFor(config);
  });

  it("talks to the active node's in-cluster address and verifies it with the CA the deploy runner mounts", () => {
    const provider = json.provider.vault[0];
    // Set in the block: the provider falls back to VAULT_ADDR / VAULT_CACERT only when these are empty.
    expect(provider).toMatchObject({ address: "${var.vault_address}", ca_cert_file: "${var.vault_ca_cert_file}" });
    expect(json.variable.vault_address.default).toBe(ADDRESS(config));
    expect(json.variable.vault_ca_cert_file.default).toBe(config.cluster.deployRunner.caCertFile);
    expect(provider.skip_tls_verify).toBeUndefined();
  });

  it("talks to Vault with no token in the JSON, logging in as terraform-ci unless bootstrapping", () => {
    const provider = json.provider.vault[0];
    expect(provider).toMatchObject({ skip_child_token: false, max_lease_ttl_seconds: 1200 });
    expect(provider.token).toBeUndefined();
    expect(provider.dynamic.auth_login_jwt).toEqual([
      { for_each: '${var.vault_login == "jwt" ? ["terraform-ci"] : []}', content: { mount: "jwt", role: "${auth_login_jwt.value}" } },
    ]);
    expect(json.variable.vault_login).toMatchObject({ default: "jwt", type: "string" });
    expect(JSON.stringify(provider)).not.toMatch(/"jwt":/);
  });

  it("takes the database root password from a sensitive, ephemeral variable without default, through password_wo", () => {
    expect(json.variable.database_root_password_phoenix_guardian_db).toEqual(
      expect.objectContaining({ type: "string", sensitive: true, ephemeral: true, nullable: false }),
    );
    expect(json.variable.database_root_password_phoenix_guardian_db.default).toBeUndefined();
    const conn = values(json, "vault_database_secret_backend_connection")[0];
    expect(conn.postgresql.password_wo).toBe("${var.database_root_password_phoenix_guardian_db}");
    // Phoenix Guardian's ADR: postgres.phoenix-guardian.svc:5432, database phoenix_guardian.
    expect(conn.postgresql.connection_url).toMatch(/@postgres\.phoenix-guardian\.svc:5432\/phoenix_guardian\?sslmode=verify-full$/);
    expect(conn.postgresql.password_wo_version).toBe("${var.database_root_password_version}");
    expect(json.terraform.required_version).toBe(">= 1.11.0");
  });

  it("holds no secret: no token, password, secret id or private key value anywhere", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/hv[sbr]\.[A-Za-z0-9]{20,}|s\.[A-Za-z0-9]{24}/);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).not.toMatch(/"(password|token|secret_id|client_secret|private_key|token_reviewer_jwt|kubernetes_ca_cert)":/);
    // The OIDC client secret only as a reference to a sensitive variable with no default.
    for (const backend of values(json, "vault_jwt_auth_backend")) {
      if (backend.oidc_client_secret === undefined) continue;
      expect(backend.oidc_client_secret).toBe("${var.oidc_client_secret}");
      // Given at bootstrap only (no literal default): plans leave it null and the mount ignores it after creation.
      expect(json.variable.oidc_client_secret).toMatchObject({ sensitive: true, nullable: true, default: null });
      expect(backend.lifecycle.ignore_changes).toEqual(["oidc_client_secret"]);
    }
    expect(text).not.toMatch(/"exported"/);
  });

  it("mounts every engine with default and max lease TTLs", () => {
    const mounts = byKey(json, "vault_mount", "path");
    expect(Object.keys(mounts).sort()).toEqual(enginePaths(config));
    for (const m of Object.values(mounts)) {
      expect(m.default_lease_ttl_seconds).toBeGreaterThan(0);
      expect(m.max_lease_ttl_seconds).toBeGreaterThanOrEqual(m.default_lease_ttl_seconds);
    }
    const mountPath = (ref: string) => resourcesOf(json, "vault_mount")[/^\$\{vault_mount\.(.+)\.path\}$/.exec(ref)![1]].path;
    const kv = Object.fromEntries(values(json, "vault_kv_secret_backend_v2").map((k) => [mountPath(k.mount), [k.max_versions, k.cas_required]]));
    expect(kv).toEqual(Object.fromEntries(config.vault.kv.map((k) => [k.path, [k.maxVersions, k.casRequired]])));
  });

  it("creates the database roles, transit keys and PKI chain", () => {
    const roles = byKey(json, "vault_database_secret_backend_role", "name");
    expect(roles["app-role"]).toMatchObject({ default_ttl: 3600, max_ttl: 86400 });
    expect(roles["readonly-role"]).toBeDefined();
    expect(byKey(json, "vault_transit_secret_backend_key", "name")["patient-data"]).toMatchObject({
      type: "aes256-gcm96",
      deletion_allowed: false,
      exportable: false,
      allow_plaintext_backup: false,
      auto_rotate_period: 2592000,
    });
    expect(byKey(json, "vault_transit_secret_backend_key", "name")["phoenix-guardian-jwt"]).toMatchObject({
      type: "ed25519",
      deletion_allowed: false,
      exportable: false,
      allow_plaintext_backup: false,
    });
    expect(values(json, "vault_pki_secret_backend_root_cert")[0].type).toBe("internal");
    expect(values(json, "vault_pki_secret_backend_intermediate_set_signed")).toHaveLength(1);
    expect(Object.keys(byKey(json, "vault_pki_secret_backend_role", "name")).sort()).toEqual(["cert-manager", "phoenix-guardian"]);
    expect(values(json, "vault_pki_secret_backend_config_urls").map((u) => u.issuing_certificates[0]).sort()).toEqual([
      `${ADDRESS(config)}/v1/pki/ca`,
      `${ADDRESS(config)}/v1/pki_int/ca`,
    ]);
  });

  it("mounts kubernetes, approle, jwt and (when configured) oidc auth, tuned and hidden", () => {
    const auth = [...values(json, "vault_auth_backend"), ...values(json, "vault_jwt_auth_backend")];
    expect(auth.map((a) => a.type).sort()).toEqual(["approle", "jwt", "kubernetes", ...(config.vault.auth.oidc ? ["oidc"] : [])].sort());
    for (const a of auth) expect(a.tune[0]).toMatchObject({ listing_visibility: "hidden", default_lease_ttl: "3600s", max_lease_ttl: "86400s" });
    expect(values(json, "vault_kubernetes_auth_backend_config")[0]).toMatchObject({ kubernetes_host: "https://kubernetes.default.svc" });
  });

  it("creates one policy per file and binds each identity's role to its policies by reference", () => {
    const policies = byKey(json, "vault_policy", "name");
    expect(Object.keys(policies).sort()).toEqual([...new Set([...config.applications, ...config.platform].flatMap((i) => i.policies))].sort());
    const roles = {
      ...byKey(json, "vault_kubernetes_auth_backend_role", "role_name"),
      ...byKey(json, "vault_approle_auth_backend_role", "role_name"),
      ...byKey(json, "vault_jwt_auth_backend_role", "role_name"),
    };
    const address = (policy: string) => {
      const [key] = Object.entries(resourcesOf(json, "vault_policy")).find(([, p]: any) => p.name === policy)!;
      return `\${vault_policy.${key}.name}`;
    };
    for (const id of [...config.applications, ...config.platform]) {
      expect([id.auth.role, roles[id.auth.role]?.token_policies]).toEqual([id.auth.role, id.policies.map(address)]);
    }
    expect(Object.keys(roles)).toHaveLength(config.applications.length + config.platform.length);
  });

  it("onboards the four applications and the platform identities with their bindings", () => {
    const k8s = byKey(json, "vault_kubernetes_auth_backend_role", "role_name");
    expect(k8s["phoenix-guardian-app"]).toMatchObject({ bound_service_account_names: ["phoenix-guardian"], bound_service_account_namespaces: ["phoenix-guardian"], token_ttl: 3600 });
    // Each role checks the audience config resolved: the projected token's, or the cluster's default for the pod's standard token.
    for (const app of config.applications) {
      if (app.auth.method !== "kubernetes") continue;
      const expected = app.auth.tokenSource === "service-account" ? config.vault.auth.kubernetes.serviceAccountTokenAudience : (app.auth.audience ?? "vault");
      expect([app.name, k8s[app.auth.role].audience]).toEqual([app.name, expected]);
    }
    expect(k8s["phoenix-guardian-app"].audience).toBe("https://kubernetes.default.svc");
    expect(k8s["config-service"]).toMatchObject({ bound_service_account_names: ["config-service"], bound_service_account_namespaces: ["config-service"] });
    expect(k8s["voicehive-connectors"]).toMatchObject({ bound_service_account_names: ["voicehive-connectors"], bound_service_account_namespaces: ["voicehive"] });
    expect(k8s["raft-snapshot"]).toMatchObject({ bound_service_account_names: ["vault-raft-snapshot"], bound_service_account_namespaces: ["vault"] });
    expect(k8s["cert-manager-issuer"]).toMatchObject({ bound_service_account_names: ["cert-manager-vault-issuer"], bound_service_account_namespaces: ["cert-manager"] });
    for (const r of Object.values(k8s)) expect(JSON.stringify([r.bound_service_account_names, r.bound_service_account_namespaces])).not.toMatch(/\*/);
    expect(byKey(json, "vault_approle_auth_backend_role", "role_name")["checktick-app"]).toMatchObject({
      bind_secret_id: true,
      secret_id_ttl: 90 * 86400,
      secret_id_num_uses: 0, // one CIDR-bound secret ID shared by its workers (CheckTick's guide)
      token_ttl: 3600,
      token_max_ttl: 8 * 3600,
      token_bound_cidrs: ["10.0.0.0/16"],
      secret_id_bound_cidrs: ["10.0.0.0/16"],
    });
    expect(byKey(json, "vault_jwt_auth_backend_role", "role_name")["terraform-ci"]).toMatchObject({
      role_type: "jwt",
      bound_audiences: ["https://github.com/example-org"],
      bound_claims: { repository: "example-org/vault-platform", ref: "refs/heads/main" },
    });
  });

  it("enables two audit devices, on the audit volume and to stdout, hashing accessors and not logging raw", () => {
    const audits = byKey(json, "vault_audit", "path");
    expect(audits.file.options).toMatchObject({ file_path: "/vault/audit/audit.log", hmac_accessor: "true", log_raw: "false" });
    expect(audits.stdout.options).toMatchObject({ file_path: "stdout", hmac_accessor: "true", log_raw: "false" });
  });

  it("rate-limits the login paths of every auth mount it creates, with the configured rate and block", () => {
    const quotas = values(json, "vault_quota_rate_limit");
    const { rate, interval, blockInterval } = config.vault.loginRateLimit;
    // Each quota's path references its auth mount (so it is created after it); test/stacks/login-quotas.test.ts
    // checks every unauthenticated path of every mount is covered.
    const mountRefs = ["vault_auth_backend", "vault_jwt_auth_backend"].flatMap((type) =>
      Object.keys(resourcesOf(json, type)).map((k) => `auth/\${${type}.${k}.path}/login`),
    );
    expect(mountRefs).toHaveLength(config.vault.auth.oidc ? 4 : 3);
    expect(quotas.map((q: any) => q.path).filter((p: string) => p.endsWith("/login")).sort()).toEqual(mountRefs.sort());
    for (const q of quotas) {
      expect(q).toMatchObject({ rate, interval: durationSeconds(interval), block_interval: durationSeconds(blockInterval) });
      expect(q.name).toMatch(/^login-/);
    }
    expect(quotas.map((q: any) => q.name).filter((n: string) => !n.includes("-oidc-")).sort()).toEqual(
      [config.vault.auth.kubernetes.path, config.vault.auth.approle.path, config.vault.auth.jwt.path, ...(config.vault.auth.oidc ? [config.vault.auth.oidc.path] : [])]
        .map((m) => `login-${m.replace(/\//g, "-")}`)
        .sort(),
    );
  });

  it("configures autopilot with min_quorum equal to the voter count", () => {
    expect(values(json, "vault_raft_autopilot")[0]).toMatchObject({
      cleanup_dead_servers: true,
      min_quorum: config.cluster.replicas,
      dead_server_last_contact_threshold: "10m",
      server_stabilization_time: "10s",
    });
  });
});

describe("VaultConfigStack checks", () => {
  it("fails if no platform identity carries the terraform-ci policy over jwt", async () => {
    const config = configFor("dev", (c) => {
      c.platform = c.platform.filter((i: any) => i.name !== "terraform-ci");
    });
    await expect(synthFor(config)).rejects.toThrow(/platform must include a jwt identity with the terraform-ci policy/);
  });

  it("leaves out a policy no identity of this environment attaches", async () => {
    const config = configFor("dev", (c) => {
      c.platform = c.platform.filter((i: any) => i.name !== "raft-snapshot");
    });
    const json = await synthFor(config);
    expect(Object.keys(byKey(json, "vault_policy", "name"))).not.toContain("raft-snapshot");
  });

  it("writes each policy with its {{config.*}} variables expanded from this environment's config", async () => {
    const config = configFor("dev", (c) => c.vault.kv.push({ path: "billing" }));
    const json = await synthFor(config);
    const texts = Object.values(resourcesOf(json, "vault_policy")).map((p: any) => p.policy as string);
    for (const t of texts) expect([...t.matchAll(/^path "([^"]*)"/gm)].map((m) => m[1]).filter((l) => l.includes("{{"))).toEqual([]);
    const ci = byKey(json, "vault_policy", "name")["terraform-ci"].policy as string;
    for (const m of config.vault.kv) expect(ci).toContain(`path "${m.path}/config" {`);
  });

  it("synthesizes without database, transit and PKI when they are not configured", async () => {
    const config = configFor("dev", (c) => {
      delete c.vault.database;
      delete c.vault.transit;
      delete c.vault.pki;
      for (const a of c.applications) {
        a.transitKeys = [];
        a.databaseRoles = [];
      }
    });
    const json = await synthFor(config);
    expect(Object.keys(byKey(json, "vault_mount", "path")).sort()).toEqual(config.vault.kv.map((m) => m.path).sort());
    expect(json.variable.database_root_password_phoenix_guardian_db).toBeUndefined();
  });
});

describe("config checks for the vault section (fails if ...)", () => {
  const cases: [string, (c: any) => void, RegExp][] = [
    [
      "a role reading the pod's standard token also names an audience",
      (c) => (c.applications[1].auth.audience = "vault"),
      /applications\[1\]\.auth\.audience: must be omitted with tokenSource service-account/,
    ],
    [
      "a verifying database connection has no CA",
      (c) => delete c.vault.database.connections[0].tlsCa,
      /vault\.database\.connections\[0\]\.tlsCa: is required with sslMode verify-full/,
    ],
    [
      "a database CA holds a private key",
      (c) => (c.vault.database.connections[0].tlsCa += "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"),
      /connections\[0\]\.tlsCa: must hold CA certificates only, never a private key/,
    ],
    ["a database CA is not PEM", (c) => (c.vault.database.connections[0].tlsCa = "not a certificate"), /connections\[0\]\.tlsCa: must be one or more PEM certificates/],
    [
      "a database CA is a corrupt PEM block",
      (c) => (c.vault.database.connections[0].tlsCa = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
      /connections\[0\]\.tlsCa: must be valid PEM certificates/,
    ],
    ["a service account is a wildcard", (c) => (c.applications[1].auth.serviceAccounts = ["*"]), /serviceAccounts\[0\]: must be a Kubernetes name/],
    ["a namespace is a wildcard", (c) => (c.applications[1].auth.namespaces = ["*"]), /namespaces\[0\]: must be a Kubernetes name/],
    ["a role binds the default service account", (c) => (c.applications[1].auth.serviceAccounts = ["default"]), /must name a dedicated service account, not default/],
    ["an identity names an unknown transit key", (c) => (c.applications[1].transitKeys = ["nope"]), /transitKeys\[0\]: must name a transit key/],
    ["an identity names an unknown database role", (c) => (c.applications[1].databaseRoles = ["nope"]), /databaseRoles\[0\]: must name a database role/],
    ["an identity names an unknown KV mount", (c) => (c.applications[0].kvMounts = ["nope"]), /kvMounts\[0\]: must name a KV mount/],
    ["a database role names an unknown connection", (c) => (c.vault.database.roles[0].connection = "nope"), /roles\[0\]\.connection: must name a connection/],
    [
      "a database role grants SUPERUSER",
      (c) => (c.vault.database.roles[0].creationStatements = [`CREATE ROLE "{{name}}" WITH LOGIN SUPERUSER PASSWORD '{{password}}';`]),
      /creationStatements\[0\]: must not grant SUPERUSER/,
    ],
    [
      "a database role grants ALL PRIVILEGES",
      (c) => c.vault.database.roles[1].creationStatements.push(`GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO "{{name}}";`),
      /roles\[1\]\.creationStatements\[2\]: must not grant ALL PRIVILEGES/,
    ],
    ["a database role outlives its mount", (c) => (c.vault.database.roles[0].maxTtl = "48h"), /roles\[0\]\.maxTtl: must not exceed vault\.database\.ttls\.maxLeaseTtl/],
    ["a transit key rotates more often than hourly", (c) => (c.vault.transit.keys[0].autoRotatePeriod = "30m"), /autoRotatePeriod: must be at least 1h/],
    ["the intermediate outlives the root", (c) => (c.vault.pki.intermediateTtl = "90000h"), /pki\.intermediateTtl: must not exceed rootTtl/],
    ["a PKI role's max_ttl exceeds the intermediate's", (c) => (c.vault.pki.roles[0].maxTtl = "50000h"), /roles\[0\]\.maxTtl: must not exceed vault\.pki\.intermediateTtl/],
    ["a PKI ec key has an odd size", (c) => (c.vault.pki.roles[0].keyBits = 2048), /keyBits: must be 256, 384 or 521 for ec/],
    ["a mount's default lease TTL exceeds its max", (c) => (c.vault.kv[0].ttls = { defaultLeaseTtl: "48h", maxLeaseTtl: "24h" }), /kv\[0\]\.ttls\.defaultLeaseTtl: must not exceed maxLeaseTtl/],
    ["a token TTL exceeds its max", (c) => (c.applications[0].auth.tokenTtl = "9h"), /auth\.tokenTtl: must not exceed tokenMaxTtl/],
    ["a token max TTL exceeds its auth mount's", (c) => (c.applications[0].auth.tokenMaxTtl = "48h"), /auth\.tokenMaxTtl: must not exceed vault\.auth\.approle\.ttls\.maxLeaseTtl/],
    [
      "an AppRole secret id has unlimited uses without a CIDR binding",
      (c) => Object.assign(c.applications[0].auth, { secretIdNumUses: 0, secretIdBoundCidrs: [] }),
      /applications\[0\]\.auth\.secretIdNumUses: may be 0 \(unlimited uses within secretIdTtl\) only when secretIdBoundCidrs binds/,
    ],
    ["an AppRole secret id has negative uses", (c) => (c.applications[0].auth.secretIdNumUses = -1), /secretIdNumUses: must be 0 \(unlimited, with secretIdBoundCidrs\) or more/],
    [
      "a secret-ID rotation schedule never fires",
      (c) => (c.applications[0].auth.secretIdRotation.schedule = "0 0 30 2 *"),
      /applications\[0\]\.auth\.secretIdRotation\.schedule: never fires/,
    ],
    [
      "a secret-ID rotation runs too rarely for the secret ID's life",
      (c) => (c.applications[0].auth.secretIdRotation.schedule = "0 6 1 1,4,7,10 *"),
      /secretIdRotation\.schedule: runs up to 92 days apart, but a secret ID lives 2160h/,
    ],
    ["a secret-ID rotation schedule is not cron", (c) => (c.applications[0].auth.secretIdRotation.schedule = "every 80 days"), /secretIdRotation\.schedule: must be a five-field cron schedule/],
    [
      "a secret-ID rotator is not a jwt platform identity",
      (c) => (c.applications[0].auth.secretIdRotation.rotator = "raft-snapshot"),
      /secretIdRotation\.rotator: must name a platform identity with auth method jwt/,
    ],
    [
      "a secret-ID rotator is not bound to the generated workflow",
      (c) => (c.platform.find((p: any) => p.name === "checktick-secret-id-rotator").auth.boundClaims.workflow_ref = "example-org/vault-platform/.github/workflows/deploy.yml@refs/heads/main"),
      /auth\.boundClaims\.workflow_ref: must be "example-org\/vault-platform\/\.github\/workflows\/rotate-checktick-secret-id\.yml@refs\/heads\/main"/,
    ],
    ["an AppRole CIDR binding is /0", (c) => (c.applications[0].auth.secretIdBoundCidrs = ["0.0.0.0/0"]), /secretIdBoundCidrs\[0\]: must not be a \/0 block/],
    ["a GitHub JWT role does not bind the repository", (c) => delete c.platform[2].auth.boundClaims.repository, /platform\[2\]\.auth\.boundClaims: must bind repository: without them any workflow/],
    ["terraform-ci binds no workflow_ref", (c) => delete c.platform.find((p: any) => p.name === "terraform-ci").auth.boundClaims.workflow_ref, /auth\.boundClaims: must bind workflow_ref: without them any workflow of the repository \(a pull request's own included\) can log in as terraform-ci/],
    ["terraform-ci binds no environment", (c) => delete c.platform.find((p: any) => p.name === "terraform-ci").auth.boundClaims.environment, /auth\.boundClaims: must bind environment: .* can log in as terraform-ci/],
    ["terraform-plan binds no event_name", (c) => delete c.platform.find((p: any) => p.name === "terraform-plan").auth.boundClaims.event_name, /auth\.boundClaims: must bind event_name: .* can log in as terraform-plan/],
    ["a glob role's environment is a glob", (c) => (c.platform.find((p: any) => p.name === "terraform-plan").auth.boundClaims.environment = "prod*"), /auth\.boundClaims\.environment: must be exact \(no \*\)/],
    ["a bound claim value holds a comma", (c) => (c.platform.find((p: any) => p.name === "terraform-ci").auth.boundClaims.ref = "refs/heads/main,refs/heads/x"), /boundClaims\.ref: .*must be one value without commas/],
    ["a JWT role binds no claim", (c) => (c.platform[2].auth.boundClaims = {}), /boundClaims: must bind at least one claim/],
    ["there is only one audit device", (c) => (c.vault.audit = c.vault.audit.slice(0, 1)), /vault\.audit: must list at least two audit devices/],
    ["no audit device writes to the audit volume", (c) => (c.vault.audit[0].filePath = "stdout"), /must include a file device under \/vault\/audit\//],
    ["an audit file is outside the audit volume", (c) => (c.vault.audit[0].filePath = "/tmp/audit.log"), /must be stdout or a file under \/vault\/audit\//],
  ];
  it.each(cases)("fails if %s", (_name, edit, message) => {
    expect(() => configFor("dev", edit)).toThrow(message);
  });
});

describe("what names Vault's namespace follows cluster.namespace", () => {
  it("binds the snapshot job's Kubernetes role to the configured namespace, not a copy of it", async () => {
    const config = configFor("dev", (raw) => (raw.cluster.namespace = "vault-system"));
    const snapshot = config.platform.find((i) => i.auth.method === "kubernetes" && i.auth.serviceAccounts.includes(SNAPSHOT_WRITER_SERVICE_ACCOUNT))!;
    const { vaultConfig } = addEnvironment(Testing.app(), config, await defaultPolicies());
    const roles = Object.values(resourcesOf(synthJson(vaultConfig), "vault_kubernetes_auth_backend_role")) as any[];
    expect(roles.find((r) => r.role_name === snapshot.auth.role).bound_service_account_namespaces).toEqual(["vault-system"]);
  }, 60_000);
});

describe("the provider address variable, evaluated by terraform", () => {
  let dir: string;
  const config = configFor("prod");
  beforeAll(async () => {
    const json = await synthFor(config);
    // The synthesized variable blocks as they are, with an output so plan evaluates them; no provider needed.
    dir = mkdtempSync(join(tmpdir(), "vault-address-"));
    const { vault_address, vault_ca_cert_file } = json.variable;
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ variable: { vault_address, vault_ca_cert_file }, output: { address: { value: "${var.vault_address}" } } }),
    );
    terraform(dir, "init", "-input=false", "-no-color");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plan = (...vars: string[]) => runTerraform(dir, "plan", "-input=false", "-no-color", ...vars.flatMap((v) => ["-var", v]));

  it("defaults to the in-cluster address and accepts the port-forward one (both on the certificate)", () => {
    expect(plan().status).toBe(0);
    expect(plan(`vault_address=${PORT_FORWARD_ADDRESS}`).status).toBe(0);
  });

  it("refuses any other address, naming the two it accepts", () => {
    const r = plan("vault_address=https://vault.platform.example.com:8200");
    expect(r.status).toBe(1);
    expect(r.stderr.replace(/\s*│\s*/g, " ")).toContain(`vault_address must be ${ADDRESS(config)} or ${PORT_FORWARD_ADDRESS}`);
  });
});
