/** The `vault` section: secrets engines, auth mounts, audit devices, autopilot. */
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { PENDING_CA } from "./examples";
import { dnsName, duration, freeText, httpsUrl, vaultName, vaultPath } from "../formats";
import { durationSeconds } from "../format-rules";
import { BUILT_IN_VARIABLES } from "../policy-variables";
import { awsEngine } from "./aws-engine";
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";

const mountTtls = z
  .strictObject({ defaultLeaseTtl: duration.default("1h"), maxLeaseTtl: duration.default("24h") })
  .prefault({});

/**
 * The stable id of a stateful entry: its Terraform address is built from it, never from a renameable value, so
 * a rename that keeps the id is an update in place (docs/data-safety.md). Defaults to the entry's path or name
 * when it was created; once set, it never changes.
 */
export const stableId = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
  message: "must be a stable id: lower-case letters, digits and '-', starting with a letter (at most 63)",
});

const kvMount = z.strictObject({
  /** @default - the path (set it to the old path before renaming the mount) */
  id: stableId.optional(),
  path: vaultPath,
  description: freeText.optional(),
  maxVersions: z.number().int().min(1).max(100).default(10),
  casRequired: z.boolean().default(true),
  deleteVersionAfter: duration.optional(),
  /** Lease TTLs of the mount (every mount sets both). */
  ttls: mountTtls,
});

const databaseRole = z.strictObject({
  name: vaultName,
  connection: vaultName,
  defaultTtl: duration.default("1h"),
  maxTtl: duration.default("24h"),
  creationStatements: z.array(z.string().min(1)).min(1),
  revocationStatements: z.array(z.string().min(1)).min(1),
});

/** PEM certificates only, at least one a CA (basicConstraints CA:TRUE); a private key is refused outright. */
const pemCaCertificates = z.string().superRefine((text, ctx) => {
  if (/PRIVATE KEY-----/.test(text)) {
    ctx.addIssue({ code: "custom", message: "must hold CA certificates only, never a private key" });
    return;
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    ctx.addIssue({ code: "custom", message: "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)" });
    return;
  }
  try {
    if (!blocks.map((b) => new X509Certificate(b)).some((c) => c.ca)) ctx.addIssue({ code: "custom", message: "must include a CA certificate (basicConstraints CA:TRUE)" });
  } catch (e) {
    ctx.addIssue({ code: "custom", message: `must be valid PEM certificates (${(e as Error).message})` });
  }
});

const databaseConnection = z.strictObject({
  /** @default - the name */
  id: stableId.optional(),
  name: vaultName,
  /** Host, port and database; the URL is rendered with {{username}}/{{password}} templating. */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1),
  /** The root user Vault logs in as; its password is a sensitive stack variable, never in config. */
  username: z.string().min(1),
  sslMode: z.enum(["require", "verify-ca", "verify-full"]).default("verify-full"),
  /**
   * PEM CA certificate(s) that sign the database server's certificate (public, never a key): Vault verifies the
   * server with it (`tls_ca`). Required with verify-ca and verify-full. `pending` while it is not known: the
   * connection and its roles are left out of the stack (synth and the report say so) until it is set.
   * @default - none (only with sslMode require)
   */
  tlsCa: z.union([z.literal(PENDING_CA), pemCaCertificates]).optional(),
  verifyConnection: z.boolean().default(true),
  rootRotationStatements: z.array(z.string().min(1)).min(1),
});

const transitKey = z.strictObject({
  /** @default - the name */
  id: stableId.optional(),
  name: vaultName,
  type: z.enum(["aes256-gcm96", "chacha20-poly1305", "ed25519", "ecdsa-p256", "rsa-4096"]).default("aes256-gcm96"),
  autoRotatePeriod: duration.default("720h"),
});

const pkiRole = z.strictObject({
  name: vaultName,
  allowedDomains: z.array(dnsName).min(1),
  allowSubdomains: z.boolean().default(true),
  keyType: z.enum(["rsa", "ec"]).default("ec"),
  keyBits: z.number().int().default(256),
  maxTtl: duration.default("72h"),
  ttl: duration.default("24h"),
});

const pki = z.strictObject({
  rootPath: vaultPath.default("pki"),
  intermediatePath: vaultPath.default("pki_int"),
  rootCommonName: z.string().min(1),
  intermediateCommonName: z.string().min(1),
  rootTtl: duration.default("87600h"),
  intermediateTtl: duration.default("43800h"),
  roles: z.array(pkiRole).min(1),
});


const auditDevice = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("file"),
    path: vaultPath,
    /** `/vault/audit/...` (the chart's audit volume) or `stdout` for log shipping. */
    filePath: z.string().regex(/^(stdout|\/vault\/audit\/[A-Za-z0-9._/-]+)$/, {
      message: "must be stdout or a file under /vault/audit/ (the chart's audit volume)",
    }),
  }),
  z.strictObject({
    type: z.literal("socket"),
    path: vaultPath,
    address: z.string().regex(/^[A-Za-z0-9.-]+:\d+$/, { message: "must be host:port" }),
    socketType: z.enum(["tcp", "udp"]).default("tcp"),
  }),
]);

/** Policy variables: lower_snake_case names (not a built-in one derived from the mounts) to lists of path segments. */
const policyVariables = z
  .record(
    z.string(),
    z.array(z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, { message: "must be path segments of letters, digits, '.', '_' and '-'" })).min(1),
  )
  .superRefine((rec, ctx) => {
    for (const name of Object.keys(rec)) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "must be a lower_snake_case name" });
      else if ((BUILT_IN_VARIABLES as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: `must not be a built-in policy variable (${BUILT_IN_VARIABLES.join(", ")})` });
      }
    }
  })
  .default({});

export const vault = z.strictObject({
  /**
   * Lists that policies and identity paths use as `{{config.<name>}}` (see config/policy-variables.ts): a path
   * block is written once per value. E.g. the environments of a tenant's `{environment}/{service}/{key}` tree.
   */
  policyVariables,
  kv: z.array(kvMount).min(1),
  database: z
    .strictObject({
      path: vaultPath.default("database"),
      connections: z.array(databaseConnection).min(1),
      roles: z.array(databaseRole).min(1),
      ttls: mountTtls,
    })
    .optional(),
  transit: z
    .strictObject({ path: vaultPath.default("transit"), keys: z.array(transitKey).min(1), ttls: mountTtls })
    .optional(),
  pki: pki.optional(),
  /**
   * The AWS secrets engine (config/schema/aws-engine.ts): STS credentials of assumed roles, Vault's own identity
   * from IRSA, never a static key.
   * @default - no AWS secrets engine
   */
  aws: awsEngine.optional(),
  auth: z.strictObject({
    kubernetes: z.strictObject({
      path: vaultPath.default("kubernetes"),
      /** Kubernetes API server Vault uses to review tokens. */
      host: httpsUrl.default("https://kubernetes.default.svc"),
      issuer: z.string().min(1).optional(),
      /**
       * The audience of the pods' standard service account tokens (the API server's --api-audiences, on EKS
       * https://kubernetes.default.svc); roles with tokenSource service-account check it.
       */
      serviceAccountTokenAudience: z.string().min(1).default("https://kubernetes.default.svc"),
      ttls: mountTtls,
    }),
    approle: z.strictObject({ path: vaultPath.default("approle"), ttls: mountTtls }).prefault({}),
    jwt: z.strictObject({
      path: vaultPath.default("jwt"),
      oidcDiscoveryUrl: httpsUrl.default("https://token.actions.githubusercontent.com"),
      boundIssuer: httpsUrl.default("https://token.actions.githubusercontent.com"),
      ttls: mountTtls,
    }),
    /**
     * People's login: an OIDC auth method against the organisation's identity provider. Roles bind the provider's
     * groups to policies (identities with `auth.method: oidc`). The client secret is never in config: it is the
     * sensitive stack variable `oidc_client_secret`.
     * @default - no OIDC login
     */
    oidc: z
      .strictObject({
        path: vaultPath.default("oidc"),
        /** The identity provider's issuer URL (Vault reads `<url>/.well-known/openid-configuration`). */
        discoveryUrl: httpsUrl,
        /** The OAuth client registered for Vault at the identity provider. */
        clientId: z.string().min(1),
        /** Claim of the ID token that lists the user's groups. */
        groupsClaim: z.string().min(1).default("groups"),
        /** Claim that names the user (the entity alias). */
        userClaim: z.string().min(1).default("email"),
        scopes: z.array(z.string().min(1)).default(["openid", "profile", "email"]),
        /**
         * Callbacks the identity provider must allow: the CLI's local listener (`vault login -method=oidc`), also
         * through `kubectl port-forward`.
         */
        redirectUris: z.array(z.string().regex(/^https?:\/\/[^\s]+$/, { message: "must be an http(s) URL" })).default(["http://localhost:8250/oidc/callback"]),
        ttls: mountTtls,
      })
      .optional(),
  }),
  /**
   * Rate-limit quota on the login path of every auth mount (auth/<mount>/login). Vault counts per client IP and per
   * node; requests over the rate get 429 and, with blockInterval, the client is refused for that long.
   */
  loginRateLimit: z
    .strictObject({
      /** Requests allowed per interval. */
      rate: z.number().positive().default(30),
      interval: duration.default("1m"),
      blockInterval: duration.default("5m"),
    })
    .prefault({}),
  /**
   * The quarterly restore drill (docs/restore-drill.md): the KV v2 canary it reads after a restore. The config
   * stack writes it once, with the time of that first apply in `field`.
   */
  restoreDrill: z
    .strictObject({
      canary: z
        .strictObject({
          mount: vaultPath.default("secret"),
          path: vaultPath.default("restore-drill/canary"),
          field: z.string().regex(/^[a-z_]+$/, { message: "must be a lower-case field name" }).default("written_at"),
        })
        .prefault({}),
    })
    .prefault({}),
  audit: z.array(auditDevice).min(2, {
    message: "must list at least two audit devices: Vault refuses every request when no audit device can write",
  }),
  autopilot: z
    .strictObject({
      deadServerLastContactThreshold: duration.default("10m"),
      serverStabilizationTime: duration.default("10s"),
      lastContactThreshold: duration.default("10s"),
      maxTrailingLogs: z.number().int().min(1).default(1000),
    })
    .prefault({}),
});


/** Privileges a dynamic database user must never receive: they would outlive or escape the lease. */
const UNSAFE_GRANTS = /\b(SUPERUSER|CREATEROLE|CREATEDB|REPLICATION|BYPASSRLS|ALL\s+PRIVILEGES|WITH\s+GRANT\s+OPTION|WITH\s+ADMIN\s+OPTION)\b/i;
const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * The vault section's unsafe settings: lease TTLs in order and within their mounts (Vault caps silently),
 * over-broad database grants, a GitHub OIDC login without a repository binding, /0 CIDR bindings.
 * Each check is isolated: a malformed input skips only that check (its own schema reports it).
 */
export function checkVaultSafety(c: EnvironmentConfig, issue: IssueFn): void {
  const safely = (check: () => void) => {
    try {
      check();
    } catch {
      // malformed input: reported by its own field's schema
    }
  };
  const v = c.vault;
  const ttlOrder = (path: (string | number)[], ttls: { defaultLeaseTtl: string; maxLeaseTtl: string }) => {
    if (durationSeconds(ttls.defaultLeaseTtl) > durationSeconds(ttls.maxLeaseTtl)) {
      issue([...path, "defaultLeaseTtl"], `must not exceed maxLeaseTtl (${ttls.maxLeaseTtl})`, ttls.defaultLeaseTtl);
    }
  };
  safely(() => v.kv.forEach((m, i) => ttlOrder(["vault", "kv", i, "ttls"], m.ttls)));
  safely(() => v.database && ttlOrder(["vault", "database", "ttls"], v.database.ttls));
  safely(() => v.transit && ttlOrder(["vault", "transit", "ttls"], v.transit.ttls));
  for (const method of ["kubernetes", "approle", "jwt", "oidc"] as const) {
    safely(() => v.auth[method] && ttlOrder(["vault", "auth", method, "ttls"], v.auth[method].ttls));
  }
  safely(() => {
    const mount = v.restoreDrill.canary.mount;
    if (!v.kv.some((m) => m.path === mount)) {
      issue(["vault", "restoreDrill", "canary", "mount"], `must name a KV mount in vault.kv (have: ${v.kv.map((m) => m.path).join(", ")})`, mount);
    }
  });

  safely(() =>
    v.database?.connections.forEach((conn, i) => {
      if (conn.sslMode !== "require" && conn.tlsCa === undefined) {
        issue(["vault", "database", "connections", i, "tlsCa"], `is required with sslMode ${conn.sslMode}: Vault cannot verify the server's certificate without its CA`);
      }
    }),
  );
  safely(() => {
    const db = v.database;
    db?.roles.forEach((r, i) => {
      r.creationStatements.forEach((stmt, j) => {
        const m = UNSAFE_GRANTS.exec(stmt);
        if (m) {
          issue(["vault", "database", "roles", i, "creationStatements", j], `must not grant ${m[1].toUpperCase().replace(/\s+/g, " ")}: dynamic users get only the table privileges they need`, stmt);
        }
      });
      if (durationSeconds(r.maxTtl) > durationSeconds(db.ttls.maxLeaseTtl)) {
        issue(["vault", "database", "roles", i, "maxTtl"], `must not exceed vault.database.ttls.maxLeaseTtl (${db.ttls.maxLeaseTtl}); Vault would cap it silently`, r.maxTtl);
      }
    });
  });
  safely(() =>
    v.transit?.keys.forEach((k, i) => {
      if (durationSeconds(k.autoRotatePeriod) < 3600) issue(["vault", "transit", "keys", i, "autoRotatePeriod"], "must be at least 1h (Vault's minimum)", k.autoRotatePeriod);
    }),
  );
  safely(() => {
    const pki = v.pki;
    if (!pki) return;
    if (durationSeconds(pki.intermediateTtl) > durationSeconds(pki.rootTtl)) {
      issue(["vault", "pki", "intermediateTtl"], `must not exceed rootTtl (${pki.rootTtl}): the root cannot sign past its own expiry`, pki.intermediateTtl);
    }
    pki.roles.forEach((r, i) => {
      if (durationSeconds(r.ttl) > durationSeconds(r.maxTtl)) issue(["vault", "pki", "roles", i, "ttl"], `must not exceed maxTtl (${r.maxTtl})`, r.ttl);
      if (durationSeconds(r.maxTtl) > durationSeconds(pki.intermediateTtl)) {
        issue(["vault", "pki", "roles", i, "maxTtl"], `must not exceed vault.pki.intermediateTtl (${pki.intermediateTtl})`, r.maxTtl);
      }
    });
  });

  for (const section of ["applications", "platform"] as const) {
    safely(() =>
      c[section].forEach((id, i) =>
        safely(() => {
          const auth = id.auth;
          const authMount = v.auth[auth.method];
          if (!authMount) {
            issue([section, i, "auth", "method"], `needs vault.auth.${auth.method} (the OIDC login's identity provider and client)`, auth.method);
            return;
          }
          const mountMax = authMount.ttls.maxLeaseTtl;
          if (durationSeconds(auth.tokenMaxTtl) > durationSeconds(mountMax)) {
            issue([section, i, "auth", "tokenMaxTtl"], `must not exceed vault.auth.${auth.method}.ttls.maxLeaseTtl (${mountMax}); Vault would cap it silently`, auth.tokenMaxTtl);
          }
          if (auth.method === "approle") {
            for (const key of ["tokenBoundCidrs", "secretIdBoundCidrs"] as const) {
              auth[key].forEach((block, j) => {
                if (block.endsWith("/0")) issue([section, i, "auth", key, j], "must not be a /0 block: it binds nothing", block);
              });
            }
          }
          if (auth.method === "jwt" && v.auth.jwt.boundIssuer === GITHUB_ISSUER) {
            // pull_request runs the workflow as the pull request wrote it: a role that does not pin the workflow file,
            // the event and the deployment environment can be used by any job anyone with push access writes.
            const missing = ["repository", "environment", "workflow_ref", "event_name"].filter((k) => !auth.boundClaims[k]);
            if (missing.length > 0) {
              issue([section, i, "auth", "boundClaims"], `must bind ${missing.join(", ")}: without them any workflow of the repository (a pull request's own included) can log in as ${auth.role}`, auth.boundClaims);
            }
            const loose = (["repository", "environment"] as const).filter((k) => auth.boundClaimsType === "glob" && [auth.boundClaims[k]].flat().some((x) => x?.includes("*")));
            for (const k of loose) issue([section, i, "auth", "boundClaims", k], "must be exact (no *): it names who may log in", auth.boundClaims[k]);
          }
        }),
      ),
    );
  }
}
