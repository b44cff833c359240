/**
 * The environment configuration: the single source of truth for what a `config/<env>.yaml` may say.
 * `config/environment.schema.json` (for editors) is generated from these files by `npm run schema`; a test fails when it is stale.
 *
 * Every object is strict: an unknown key is an error, so a typo never passes silently.
 */
import { z } from "zod";
import { arn, awsAccountId, awsRegion, k8sName, s3BucketName, s3KeyPrefix } from "../formats";
import { durationSeconds } from "../format-rules";
import { checkAppRoles } from "./approle";
import { checkAwsEngine } from "./aws-engine";
import { backup, checkBackup, checkWorkflowRoles } from "./backup";
import { cluster } from "./cluster";
import { compliance } from "./compliance";
import { identity } from "./identities";
import { checkExampleMaterial } from "./examples";
import { checkConstructIds } from "./ids";
import { checkMounts } from "./mounts";
import { checkVaultSafety, vault } from "./vault";

/** An IAM role ARN (a key policy principal must be a role, not a user or a wildcard). */
const roleArn = z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
  message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/vault-platform-plan",
});

const stateBackend = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local") }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: s3BucketName,
    region: awsRegion,
    /** Each stack's state lives at `<keyPrefix>/<stack>.tfstate`. */
    keyPrefix: s3KeyPrefix.default("vault-platform"),
    kmsKeyArn: arn("kms").optional(),
  }),
]);

export const environmentConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Environment name; stack ids end in it (`vault-config-<environment>`). Must match the file name. */
    environment: k8sName,
    /**
     * A sandbox may keep the example material the default configs ship (the example database CA); anywhere else it
     * is a config error, so it never reaches an apply.
     * @default false
     */
    sandbox: z.boolean().default(false),
    aws: z.strictObject({
      region: awsRegion,
      accountId: awsAccountId,
      /**
       * The roles the workflows assume (repository variables AWS_PLAN_ROLE_ARN and AWS_APPLY_ROLE_ARN). The KMS key
       * policies let both read the keys (what a refresh calls), never administer or use them.
       * @default - none (no workflow deploys this environment)
       */
      workflowRoles: z.strictObject({ planRoleArn: roleArn, applyRoleArn: roleArn }).optional(),
    }),
    stateBackend,
    cluster,
    backup,
    vault,
    applications: z.array(identity),
    platform: z.array(identity),
    compliance,
  })
  // Run the cross-field checks even when other fields are invalid, so one run reports every problem.
  .superRefine(checkReferences, { when: () => true });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type Identity = EnvironmentConfig["applications"][number];
export type ClusterConfig = EnvironmentConfig["cluster"];
export type BackupConfig = EnvironmentConfig["backup"];
export type VaultConfig = EnvironmentConfig["vault"];

export type Suppression = EnvironmentConfig["compliance"]["suppressions"][number];
export type Destruction = EnvironmentConfig["compliance"]["destructions"][number];

/**
 * Cross-field rules: names unique, references resolve, TTLs ordered. They also run on a document with other
 * errors; a check whose inputs are themselves malformed is skipped (those inputs are already reported).
 */
function checkReferences(cfg: unknown, ctx: z.RefinementCtx): void {
  // Not a mapping at all: the object schema has said so, and there is nothing to cross-check.
  if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) return;
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

  // Pull requests plan on planRunner; a scale set or namespace shared with deployRunner would run them where applies run.
  safely(() => {
    const { deployRunner: apply, planRunner: plan } = c.cluster;
    for (const field of ["runsOn", "namespace"] as const) {
      if (plan[field] === apply[field]) issue(["cluster", "planRunner", field], `must differ from cluster.deployRunner.${field} (${apply[field]}): pull requests must not run where vault-config is applied`, plan[field]);
    }
  });

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
        if (id.auth.vaultAgent && !c.cluster.injector.enabled) {
          issue([section, i, "auth", "vaultAgent"], "needs cluster.injector.enabled: true (the injector adds the agent to the pod)", id.auth.vaultAgent);
        }
        id.auth.serviceAccounts.forEach((sa, j) => {
          if (sa === "default") issue([section, i, "auth", "serviceAccounts", j], "must name a dedicated service account, not default", sa);
        });
        if (id.auth.namespaces === undefined && section === "applications") {
          issue([section, i, "auth", "namespaces"], "is required for applications (only platform identities default to cluster.namespace)");
        }
        id.auth.namespaces?.forEach((ns, j) => {
          if (ns === "default") issue([section, i, "auth", "namespaces", j], "must not bind the default namespace", ns);
          if (section === "platform" && ns === c.cluster.namespace) {
            issue([section, i, "auth", "namespaces", j], "must be omitted for Vault's own namespace: it is derived from cluster.namespace, so it follows a change", ns);
          }
          // The network policy admits pods to Vault's port only from cluster.allowedNamespaces: elsewhere the role
          // exists but its pods can never reach Vault to log in.
          const allowed = Array.isArray(c.cluster?.allowedNamespaces) ? c.cluster.allowedNamespaces : undefined;
          if (allowed && ns !== c.cluster.namespace && !allowed.includes(ns)) {
            issue(
              [section, i, "auth", "namespaces", j],
              `must also be listed in cluster.allowedNamespaces (${allowed.join(", ")}): the network policy admits only those namespaces' pods to Vault, so this role could never log in`,
              ns,
            );
          }
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
  // Stable ids become Terraform addresses: two entries with one id would be one resource.
  const uniqueIds = <T extends { id?: string }>(path: (string | number)[], entries: T[], fallback: (e: T) => string) => {
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const id = e.id ?? fallback(e);
      if (seen.has(id)) issue([...path, i, "id"], `must be unique: entry ${seen.get(id)} has the same stable id (its path or name when no id is set)`, id);
      else seen.set(id, i);
    });
  };
  safely(() => uniqueIds(["vault", "kv"], c.vault.kv, (m) => m.path));
  safely(() => c.vault.database && uniqueIds(["vault", "database", "connections"], c.vault.database.connections, (x) => x.name));
  safely(() => c.vault.transit && uniqueIds(["vault", "transit", "keys"], c.vault.transit.keys, (k) => k.name));
  safely(() => unique(["vault", "audit"], c.vault.audit.map((a) => a.path)));
  safely(() => c.vault.pki && unique(["vault", "pki", "roles"], c.vault.pki.roles.map((r) => r.name)));
  safely(() => checkMounts(c, issue));
  safely(() => checkConstructIds(c, issue));
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
  safely(() => checkAppRoles(c, issue));
  safely(() => checkAwsEngine(c, issue));
  safely(() => checkWorkflowRoles(c, issue));
  checkVaultSafety(c, issue);
  safely(() => checkExampleMaterial(c, issue));
}
