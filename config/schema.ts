/**
 * The environment configuration: the single source of truth for what a `config/<env>.yaml` may say.
 * `config/environment.schema.json` (for editors) is generated from this file by `npm run schema`; a test fails when it is stale.
 *
 * Every object is strict: an unknown key is an error, so a typo never passes silently.
 */
import { z } from "zod";
import {
  arn,
  awsAccountId,
  awsRegion,
  cidr,
  cpuQuantity,
  cronSchedule,
  dnsName,
  duration,
  durationSeconds,
  httpsUrl,
  k8sName,
  memoryQuantity,
  s3BucketName,
  semver,
  vaultName,
  vaultPath,
} from "./formats";

const resources = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

/** Where Vault's TLS certificate comes from. */
const tls = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("cert-manager"),
    /** The cert-manager issuer that signs Vault's certificate. */
    issuer: z.strictObject({ kind: z.enum(["Issuer", "ClusterIssuer"]), name: k8sName }),
    /** Name of the Secret cert-manager writes (tls.crt, tls.key, ca.crt). */
    secretName: k8sName.default("vault-tls"),
    minVersion: z.enum(["tls12", "tls13"]).default("tls12"),
    /** Extra DNS names on the certificate (an external hostname, for example). */
    hostnames: z.array(dnsName).default([]),
    /** Certificate lifetime and renewal window, Go durations as cert-manager takes them. */
    duration: duration.default("2160h"),
    renewBefore: duration.default("360h"),
  }),
  z.strictObject({
    source: z.literal("secret"),
    /** An existing Secret with tls.crt, tls.key and ca.crt, managed outside this app. */
    secretName: k8sName,
    minVersion: z.enum(["tls12", "tls13"]).default("tls12"),
    hostnames: z.array(dnsName).default([]),
  }),
]);

const cluster = z.strictObject({
  /** Kubernetes namespace of Vault, created by the cluster stack. */
  namespace: k8sName.default("vault"),
  /** Raft voters: an odd number from 3 to 7 keeps a quorum through (replicas - 1) / 2 failures. */
  replicas: z
    .number()
    .int()
    .refine((n) => n >= 3 && n <= 7 && n % 2 === 1, { message: "must be an odd number from 3 to 7" }),
  chart: z
    .strictObject({
      repository: httpsUrl.default("https://helm.releases.hashicorp.com"),
      version: semver.default("0.34.1"),
    })
    .prefault({}),
  image: z
    .strictObject({
      repository: z.string().min(1).default("hashicorp/vault"),
      tag: semver.default("2.0.4"),
    })
    .prefault({}),
  resources,
  storage: z.strictObject({
    storageClass: k8sName,
    dataSize: memoryQuantity.default("10Gi"),
    auditSize: memoryQuantity.default("10Gi"),
  }),
  tls,
  /** Namespaces whose pods may reach Vault's API on 8200 (the network policy's allow list). */
  allowedNamespaces: z.array(k8sName).min(1, { message: "must list at least one namespace allowed to reach Vault" }),
  /** The Vault web UI: off unless enabled, and then only on a ClusterIP service. */
  ui: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
  injector: z
    .strictObject({
      enabled: z.boolean().default(true),
      replicas: z.number().int().min(2, { message: "must be at least 2 so the injector webhook survives a node loss" }).default(2),
    })
    .prefault({}),
  /** The EKS cluster's OIDC identity provider, which IRSA roles trust. */
  oidcProvider: z.strictObject({
    arn: arn("iam"),
    /** Issuer host and path without scheme, e.g. oidc.eks.eu-west-2.amazonaws.com/id/ABC. */
    issuer: z.string().regex(/^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/, {
      message: "must be the OIDC issuer without https://, e.g. oidc.eks.eu-west-2.amazonaws.com/id/EXAMPLE",
    }),
  }),
  monitoring: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Alert when the p99 request latency is above this many milliseconds. */
      latencyP99Ms: z.number().int().positive().default(500),
      /** Namespace of the Prometheus that scrapes Vault; the network policy lets it reach 8200. */
      prometheusNamespace: k8sName.default("monitoring"),
    })
    .prefault({}),
});

const backup = z.strictObject({
  bucket: s3BucketName,
  /** Key prefix of the snapshots; the job writes `<prefix>/<env>/vault-<UTC timestamp>.snap`. */
  prefix: vaultPath.default("raft-snapshots"),
  /** Snapshot job schedule. */
  schedule: cronSchedule.default("0 * * * *"),
  retentionDays: z.number().int().min(1).max(3650).default(30),
  noncurrentVersionDays: z.number().int().min(1).max(3650).default(7),
  /**
   * `kms` (default): SSE-KMS with the backup key, enforced by the bucket policy.
   * `aes256`: SSE-S3, for parity with runbooks that use it; weaker, needs a reason, shown in the report.
   */
  encryption: z.enum(["kms", "aes256"]).default("kms"),
  encryptionReason: z.string().min(10, { message: "must explain the weaker choice in at least 10 characters" }).optional(),
  transition: z
    .strictObject({ days: z.number().int().min(1), storageClass: z.enum(["STANDARD_IA", "GLACIER_IR", "GLACIER"]) })
    .optional(),
  objectLock: z
    .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1).max(3650) })
    .optional(),
  replication: z.strictObject({ region: awsRegion, bucket: s3BucketName }).optional(),
  /**
   * Bucket for the snapshot bucket's S3 access logs (SSE-S3: log delivery cannot use KMS).
   * Defaults to `<bucket>-logs`; set it when that name is taken or longer than 63 characters.
   */
  logBucket: s3BucketName.optional(),
  /** Days the access logs are kept. */
  logRetentionDays: z.number().int().min(1).max(3650).default(365),
  /** Roles allowed to administer the KMS keys (never use them). */
  kmsAdminRoleArns: z.array(arn("iam")).min(1, { message: "must name at least one KMS key administrator role" }),
  images: z
    .strictObject({
      vault: z.string().min(1).default("hashicorp/vault:2.0.4"),
      awsCli: z.string().min(1).default("amazon/aws-cli:2.27.50"),
    })
    .prefault({}),
});

const mountTtls = z
  .strictObject({ defaultLeaseTtl: duration.default("1h"), maxLeaseTtl: duration.default("24h") })
  .prefault({});

const kvMount = z.strictObject({
  path: vaultPath,
  description: z.string().optional(),
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

const databaseConnection = z.strictObject({
  name: vaultName,
  /** Host, port and database; the URL is rendered with {{username}}/{{password}} templating. */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1),
  /** The root user Vault logs in as; its password is a sensitive stack variable, never in config. */
  username: z.string().min(1),
  sslMode: z.enum(["require", "verify-ca", "verify-full"]).default("verify-full"),
  verifyConnection: z.boolean().default(true),
  rootRotationStatements: z.array(z.string().min(1)).min(1),
});

const transitKey = z.strictObject({
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

const vault = z.strictObject({
  /** Vault API address the provider talks to (https only). */
  address: httpsUrl,
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
  auth: z.strictObject({
    kubernetes: z.strictObject({
      path: vaultPath.default("kubernetes"),
      /** Kubernetes API server Vault uses to review tokens. */
      host: httpsUrl.default("https://kubernetes.default.svc"),
      issuer: z.string().min(1).optional(),
      ttls: mountTtls,
    }),
    approle: z.strictObject({ path: vaultPath.default("approle"), ttls: mountTtls }).prefault({}),
    jwt: z.strictObject({
      path: vaultPath.default("jwt"),
      oidcDiscoveryUrl: httpsUrl.default("https://token.actions.githubusercontent.com"),
      boundIssuer: httpsUrl.default("https://token.actions.githubusercontent.com"),
      ttls: mountTtls,
    }),
  }),
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

const kubernetesAuth = z.strictObject({
  method: z.literal("kubernetes"),
  role: vaultName,
  serviceAccounts: z.array(k8sName).min(1),
  namespaces: z.array(k8sName).min(1),
  audience: z.string().min(1).default("vault"),
  tokenTtl: duration.default("1h"),
  tokenMaxTtl: duration.default("4h"),
});

const appRoleAuth = z.strictObject({
  method: z.literal("approle"),
  role: vaultName,
  tokenTtl: duration.default("1h"),
  tokenMaxTtl: duration.default("8h"),
  secretIdTtl: duration,
  secretIdNumUses: z.number().int().min(1, { message: "must be at least 1 (0 means unlimited uses)" }),
  tokenBoundCidrs: z.array(cidr).default([]),
  secretIdBoundCidrs: z.array(cidr).default([]),
});

const jwtAuth = z.strictObject({
  method: z.literal("jwt"),
  role: vaultName,
  boundAudiences: z.array(z.string().min(1)).min(1),
  /** Claims the token must carry, e.g. repository and ref for GitHub Actions. */
  boundClaims: z.record(z.string(), z.string().min(1)).refine((c) => Object.keys(c).length > 0, {
    message: "must bind at least one claim (repository, ref, ...)",
  }),
  userClaim: z.string().default("sub"),
  tokenTtl: duration.default("30m"),
  tokenMaxTtl: duration.default("1h"),
});

const identityAuth = z.discriminatedUnion("method", [kubernetesAuth, appRoleAuth, jwtAuth]);

/** A Vault identity: an application or a platform identity, its login and its policies. */
const identity = z.strictObject({
  name: k8sName,
  description: z.string().optional(),
  auth: identityAuth,
  policies: z.array(vaultName).min(1),
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
  kvMounts: z.array(vaultPath).default([]),
});

const suppression = z.strictObject({
  rule: z.string().regex(/^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{3}$/, { message: "must be a rule id such as VLT-TLS-001" }),
  /** Terraform address (type.name) or `*` within the named stack... kept explicit: a full resource address. */
  resource: z.string().min(1),
  reason: z.string().min(10, { message: "must give a reason of at least 10 characters" }),
});

const stateBackend = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local") }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: s3BucketName,
    region: awsRegion,
    /** Each stack's state lives at `<keyPrefix>/<stack>.tfstate`. */
    keyPrefix: vaultPath.default("vault-platform"),
    kmsKeyArn: arn("kms").optional(),
  }),
]);

export const environmentConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Environment name; stack ids end in it (`vault-config-<environment>`). Must match the file name. */
    environment: k8sName,
    aws: z.strictObject({ region: awsRegion, accountId: awsAccountId }),
    stateBackend,
    cluster,
    backup,
    vault,
    applications: z.array(identity),
    platform: z.array(identity),
    compliance: z
      .strictObject({ suppressions: z.array(suppression).default([]) })
      .prefault({}),
  })
  // Run the cross-field checks even when other fields are invalid, so one run reports every problem.
  .superRefine(checkReferences, { when: () => true });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type Identity = EnvironmentConfig["applications"][number];
export type ClusterConfig = EnvironmentConfig["cluster"];
export type BackupConfig = EnvironmentConfig["backup"];
export type VaultConfig = EnvironmentConfig["vault"];

/**
 * Cross-field rules: names unique, references resolve, TTLs ordered. They also run on a document with other
 * errors; a check whose inputs are themselves malformed is skipped (those inputs are already reported).
 */
function checkReferences(cfg: unknown, ctx: z.RefinementCtx): void {
  const c = cfg as EnvironmentConfig;
  const safely = (check: () => void) => {
    try {
      check();
    } catch {
      // malformed input to this check: reported by its own field's schema
    }
  };
  const issue = (path: (string | number)[], message: string, input?: unknown) =>
    ctx.addIssue({ code: "custom", path, message, input });

  const identities: [string, Identity[]][] = [
    ["applications", c.applications],
    ["platform", c.platform],
  ];
  const seenNames = new Map<string, string>();
  const seenRoles = new Map<string, string>();
  for (const [section, list] of identities) {
    if (!Array.isArray(list)) continue;
    list.forEach((id, i) => safely(() => {
      const where = `${section}[${i}]`;
      if (seenNames.has(id.name)) issue([section, i, "name"], `must be unique (also used by ${seenNames.get(id.name)})`, id.name);
      seenNames.set(id.name, where);
      const roleKey = `${id.auth.method}/${id.auth.role}`;
      if (seenRoles.has(roleKey)) {
        issue([section, i, "auth", "role"], `must be unique per auth method (also used by ${seenRoles.get(roleKey)})`, id.auth.role);
      }
      seenRoles.set(roleKey, where);
      if (durationSeconds(id.auth.tokenTtl) > durationSeconds(id.auth.tokenMaxTtl)) {
        issue([section, i, "auth", "tokenTtl"], `must not exceed tokenMaxTtl (${id.auth.tokenMaxTtl})`, id.auth.tokenTtl);
      }
      if (id.auth.method === "kubernetes") {
        id.auth.serviceAccounts.forEach((sa, j) => {
          if (sa === "default") issue([section, i, "auth", "serviceAccounts", j], "must name a dedicated service account, not default", sa);
        });
        id.auth.namespaces.forEach((ns, j) => {
          if (ns === "default") issue([section, i, "auth", "namespaces", j], "must not bind the default namespace", ns);
        });
      }
      const transitKeys = new Set(c.vault.transit?.keys.map((k) => k.name) ?? []);
      id.transitKeys.forEach((k, j) => {
        if (!transitKeys.has(k)) {
          issue([section, i, "transitKeys", j], `must name a transit key in vault.transit.keys (have: ${[...transitKeys].join(", ") || "none"})`, k);
        }
      });
      const dbRoles = new Set(c.vault.database?.roles.map((r) => r.name) ?? []);
      id.databaseRoles.forEach((r, j) => {
        if (!dbRoles.has(r)) {
          issue([section, i, "databaseRoles", j], `must name a database role in vault.database.roles (have: ${[...dbRoles].join(", ") || "none"})`, r);
        }
      });
      const kvMounts = new Set(c.vault.kv.map((m) => m.path));
      id.kvMounts.forEach((m, j) => {
        if (!kvMounts.has(m)) issue([section, i, "kvMounts", j], `must name a KV mount in vault.kv (have: ${[...kvMounts].join(", ")})`, m);
      });
    }));
  }

  const unique = (path: (string | number)[], names: string[]) => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) issue([...path, i], "must be unique", n);
      seen.add(n);
    });
  };
  safely(() => unique(["vault", "kv"], c.vault.kv.map((m) => m.path)));
  safely(() => unique(["vault", "audit"], c.vault.audit.map((a) => a.path)));
  safely(() => c.vault.transit && unique(["vault", "transit", "keys"], c.vault.transit.keys.map((k) => k.name)));

  safely(() => {
    if (!c.vault.audit.some((a) => a.type === "file" && a.filePath.startsWith("/vault/audit/"))) {
      issue(["vault", "audit"], "must include a file device under /vault/audit/ (the chart's persistent audit volume)");
    }
  });

  const db = c.vault?.database;
  if (db) safely(() => {
    const connections = new Set(db.connections.map((x) => x.name));
    unique(["vault", "database", "roles"], db.roles.map((r) => r.name));
    db.roles.forEach((r, i) => {
      if (!connections.has(r.connection)) {
        issue(["vault", "database", "roles", i, "connection"], `must name a connection in vault.database.connections (have: ${[...connections].join(", ")})`, r.connection);
      }
      if (durationSeconds(r.defaultTtl) > durationSeconds(r.maxTtl)) {
        issue(["vault", "database", "roles", i, "defaultTtl"], `must not exceed maxTtl (${r.maxTtl})`, r.defaultTtl);
      }
    });
  });
  safely(() => c.vault.pki?.roles.forEach((r, i) => {
    if (r.keyType === "rsa" && r.keyBits < 2048) issue(["vault", "pki", "roles", i, "keyBits"], "must be at least 2048 for rsa", r.keyBits);
    if (r.keyType === "ec" && ![256, 384, 521].includes(r.keyBits)) issue(["vault", "pki", "roles", i, "keyBits"], "must be 256, 384 or 521 for ec", r.keyBits);
  }));

  safely(() => checkBackup(c, issue));
  checkVaultSafety(c, issue);
}

function checkBackup(c: EnvironmentConfig, issue: (path: (string | number)[], message: string, input?: unknown) => void): void {
  if (c.backup.encryption === "aes256" && !c.backup.encryptionReason) {
    issue(["backup", "encryptionReason"], "must explain why SSE-S3 (aes256) is chosen over SSE-KMS");
  }
  if (c.backup.replication && c.backup.replication.region === c.aws.region) {
    issue(["backup", "replication", "region"], `must differ from aws.region (${c.aws.region})`, c.backup.replication.region);
  }
  if (c.backup.replication?.bucket === c.backup.bucket) {
    issue(["backup", "replication", "bucket"], "must differ from backup.bucket", c.backup.replication.bucket);
  }
  if (c.backup.transition && c.backup.transition.days >= c.backup.retentionDays) {
    issue(["backup", "transition", "days"], `must be less than backup.retentionDays (${c.backup.retentionDays})`, c.backup.transition.days);
  }
}

type IssueFn = (path: (string | number)[], message: string, input?: unknown) => void;

/** Privileges a dynamic database user must never receive: they would outlive or escape the lease. */
const UNSAFE_GRANTS = /\b(SUPERUSER|CREATEROLE|CREATEDB|REPLICATION|BYPASSRLS|ALL\s+PRIVILEGES|WITH\s+GRANT\s+OPTION|WITH\s+ADMIN\s+OPTION)\b/i;
const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * The vault section's unsafe settings: lease TTLs in order and within their mounts (Vault caps silently),
 * over-broad database grants, a GitHub OIDC login without a repository binding, /0 CIDR bindings.
 * Each check is isolated: a malformed input skips only that check (its own schema reports it).
 */
function checkVaultSafety(c: EnvironmentConfig, issue: IssueFn): void {
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
  for (const method of ["kubernetes", "approle", "jwt"] as const) safely(() => ttlOrder(["vault", "auth", method, "ttls"], v.auth[method].ttls));

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
          const mountMax = v.auth[auth.method].ttls.maxLeaseTtl;
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
          if (auth.method === "jwt" && v.auth.jwt.boundIssuer === GITHUB_ISSUER && !auth.boundClaims.repository) {
            issue([section, i, "auth", "boundClaims"], "must bind the repository claim: every repository on GitHub can mint an Actions token", auth.boundClaims);
          }
        }),
      ),
    );
  }
}
