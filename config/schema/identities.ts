/** The `applications` and `platform` sections: Vault identities, their login, policies and paths. */
import { z } from "zod";
import { cidr, duration, freeText, k8sName, vaultName, vaultPath } from "../formats";
import { RESERVED_POLICY_NAMES } from "../vault-reserved";

/** A CIDR a login is bound to; /0 binds nothing (refused by checkVaultSafety; the pattern tells editors). */
const boundCidr = cidr.meta({ pattern: "^(\\d{1,3}\\.){3}\\d{1,3}/([1-9]|[12]\\d|3[0-2])$" });

const kubernetesAuth = z.strictObject({
  method: z.literal("kubernetes"),
  role: vaultName,
  // `not default` repeats the cross-field check (index.ts) where JSON Schema can say it, for editors.
  serviceAccounts: z.array(k8sName.meta({ not: { const: "default" } })).min(1),
  /**
   * Namespaces of the service accounts.
   * @default - Vault's own namespace (`cluster.namespace`), for `platform` identities only: derived, so the
   * binding follows a namespace change; applications must name theirs
   */
  namespaces: z.array(k8sName.meta({ not: { const: "default" } })).min(1).optional(),
  /**
   * Which token the pod presents: `projected` (a projected service account token with `audience`, mounted by its
   * pod spec) or `service-account` (the pod's standard token; the role then checks the cluster's default audience,
   * `vault.auth.kubernetes.serviceAccountTokenAudience`, and `audience` must be omitted). docs/onboarding.md shows
   * each application's pod spec (`npm run pod-specs`).
   */
  tokenSource: z.enum(["projected", "service-account"]).default("projected"),
  /**
   * Audience of the projected token the role requires.
   * @default "vault" (projected); the cluster's default audience (service-account)
   */
  audience: z.string().min(1).optional(),
  tokenTtl: duration.default("1h"),
  tokenMaxTtl: duration.default("4h"),
  /**
   * `api-proxy`: the Vault Agent injector adds an agent to the pod that logs in with the role, renews, and serves the
   * application's unchanged client on the pod's loopback (VAULT_ADDR http://127.0.0.1:8200), adding its own token to
   * every request (use_auto_auth_token = force), for clients that cannot log in or renew by themselves. Needs
   * cluster.injector.enabled. `npm run pod-specs` writes the pod spec.
   * @default - none: the application logs in to Vault itself
   */
  vaultAgent: z.enum(["api-proxy"]).optional(),
});

const appRoleAuth = z.strictObject({
  method: z.literal("approle"),
  role: vaultName,
  tokenTtl: duration.default("1h"),
  tokenMaxTtl: duration.default("8h"),
  secretIdTtl: duration,
  /** Logins per secret ID; 0 (unlimited within secretIdTtl) only with secretIdBoundCidrs. */
  secretIdNumUses: z.number().int().min(0, { message: "must be 0 (unlimited, with secretIdBoundCidrs) or more" }),
  tokenBoundCidrs: z.array(boundCidr).default([]),
  secretIdBoundCidrs: z.array(boundCidr).default([]),
  /**
   * A scheduled workflow (`npm run workflows` writes it) issues a new secret ID, response-wrapped, and delivers the
   * wrapping token to the application's GitHub environment. Runbook: docs/secret-id-rotation.md.
   * @default - no rotation: a platform admin issues secret IDs
   */
  secretIdRotation: z
    .strictObject({
      /** GitHub Actions cron (UTC); it must fire, and at least 7 days before a secret ID expires. */
      schedule: z.string().min(1),
      /** The platform identity (jwt) that may issue this role's secret IDs, only response-wrapped. */
      rotator: k8sName,
      /** Lifetime of the wrapping token. */
      wrapTtl: duration.default("24h"),
      deliverTo: z.strictObject({
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be owner/name" }),
        environment: z.string().min(1),
        secret: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: "must be an UPPER_SNAKE_CASE secret name" }).default("VAULT_SECRET_ID_WRAPPED"),
      }),
    })
    .optional(),
});

const claimValue = z.string().min(1).regex(/^[^,]+$/, { message: "must be one value without commas (give a list for several)" });

const jwtAuth = z.strictObject({
  method: z.literal("jwt"),
  role: vaultName,
  boundAudiences: z.array(z.string().min(1)).min(1),
  /**
   * Claims the token must carry, e.g. repository and ref for GitHub Actions: one value, or a list of which any one
   * matches (terraform-provider-vault sends a list as comma-separated values, so no value may hold a comma).
   */
  boundClaims: z
    .record(z.string().min(1, { message: "must name a claim (not empty)" }), z.union([claimValue, z.array(claimValue).min(1)]))
    .refine((c) => Object.keys(c).length > 0, { message: "must bind at least one claim (repository, ref, ...)" }),
  /**
   * `string`: values match exactly; `glob`: `*` in a value matches any run of characters (Vault's
   * bound_claims_type), e.g. `refs/pull/*` + `/merge` for pull-request workflow runs.
   * @default "string"
   */
  boundClaimsType: z.enum(["string", "glob"]).default("string"),
  /** The claim that names the user (Vault's user_claim, the entity alias); Vault's JWT auth method requires one. */
  userClaim: z.string().min(1, { message: "must name a claim of the token (Vault's user_claim names the entity alias; it cannot be empty)" }).default("sub"),
  tokenTtl: duration.default("30m"),
  tokenMaxTtl: duration.default("1h"),
});

/** A person's login through the OIDC auth method (`vault.auth.oidc`): members of these groups get the policies. */
const oidcAuth = z.strictObject({
  method: z.literal("oidc"),
  role: vaultName,
  /** Values of the groups claim; a member of any of them may log in with this role. */
  groups: z.array(z.string().regex(/^[^,]+$/, { message: "must be one group name (no commas)" })).min(1),
  tokenTtl: duration.default("1h"),
  tokenMaxTtl: duration.default("8h"),
});

const identityAuth = z.discriminatedUnion("method", [kubernetesAuth, appRoleAuth, jwtAuth, oidcAuth]);

/** A Vault identity: an application or a platform identity, its login and its policies. */
export const identity = z.strictObject({
  name: k8sName,
  description: freeText.optional(),
  auth: identityAuth,
  policies: z
    .array(
      vaultName.refine((p) => !RESERVED_POLICY_NAMES.has(p), {
        message: `must not be a policy Vault reserves (${[...RESERVED_POLICY_NAMES.keys()].join(", ")}): default is on every token unless tokenNoDefaultPolicy, the others cannot be assigned`,
      }),
    )
    .min(1),
  /**
   * Leave Vault's built-in `default` policy off this identity's tokens (`token_no_default_policy` on its auth
   * role). The default policy lets a token look itself up, renew and revoke itself, use its cubbyhole and response
   * wrapping; a token without it cannot renew itself.
   */
  tokenNoDefaultPolicy: z.boolean().default(false),
  /** Path prefixes this identity owns; no other application may reach them. */
  ownedPaths: z.array(z.string().min(1)).default([]),
  /** `sys/` paths this identity is declared to need (checked by the least-privilege analysis). */
  systemPaths: z.array(z.string().regex(/^sys\//, { message: "must start with sys/" })).default([]),
  /**
   * Paths outside `sys/` this identity is declared to manage or use although it does not own them: auth method
   * configuration under `auth/` and `identity/`, and engine configuration that overlaps another application's
   * `ownedPaths` (e.g. `transit/keys/` for CI). The least-privilege check allows exactly these; it never allows
   * minting another identity's credentials or creating tokens with sudo.
   */
  managesPaths: z.array(z.string().regex(/^[^/*+][^*+]*$/, { message: "must be a path prefix without a leading /, * or +" })).default([]),
  transitKeys: z.array(vaultName).default([]),
  databaseRoles: z.array(vaultName).default([]),
  /** Roles of `vault.aws` whose credentials this identity reads (`<aws path>/creds/<role>`); each has one owner. */
  awsRoles: z.array(vaultName).default([]),
  kvMounts: z.array(vaultPath).default([]),
});
