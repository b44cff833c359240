/**
 * The Terraform resource types that hold data a destroy (or a replace) would lose. Protection is by type, so a
 * resource of one of these types is protected wherever it is created, by whichever construct: it synthesizes with
 * `lifecycle.prevent_destroy = true` (stacks/stateful-protection.ts), compliance rule DAT-LIFE-001 fails synth when
 * one lacks it, synth compares them with the environment's committed stateful lock (compliance/stateful-lock.ts),
 * and the plan gate (scripts/plan-summary.ts) refuses a plan that deletes or replaces one.
 *
 * `replacedBy` lists the attributes whose change makes the provider replace the resource, taken from the providers'
 * Go source at the versions the project pins (config/providers/force-new.json, written by
 * scripts/provider-force-new.ts: `ForceNew: true` schema entries, nested blocks as `block.attribute`, and
 * CustomizeDiff `ForceNewIf`/`ForceNewIfChange`), plus the few EXTRA attributes below, each with its reason. An
 * attribute unset in the lock and set now (other than to false, 0, "" or []) counts as a change: that is how adding
 * Object Lock or multi_region replaces a resource. A `vault_mount`'s or auth mount's `path` is not among them: the
 * provider remounts in place (`updateMount`, `util.Remount`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lexists, readTextFile } from "./files";
import { parseStrictJson } from "./strict-json";
import forceNewJson from "./providers/force-new.json";

/** One stateful type's ForceNew attributes as scripts/provider-force-new.ts read them from the provider source. */
export interface ProviderForceNew {
  readonly provider: string;
  readonly version: string;
  readonly commit: string;
  readonly files: readonly string[];
  readonly forceNew: readonly string[];
}

export const PROVIDER_FORCE_NEW = forceNewJson as unknown as Readonly<Record<string, ProviderForceNew>>;

/**
 * Attributes compared beyond the providers' ForceNew ones, each with why. A type listed here with no entry in
 * force-new.json had its pinned source out of reach when the file was generated.
 */
export const EXTRA_REPLACED_BY: Readonly<Record<string, { readonly attributes: readonly string[]; readonly reason: string }>> = {
  vault_database_secret_backend_connection: {
    attributes: ["name"],
    reason: "a new name writes a new connection object at database/config/<name>; the old one, with Vault's only copy of the rotated root password, is abandoned",
  },
  aws_s3_bucket: {
    attributes: ["bucket", "bucket_prefix", "object_lock_enabled"],
    reason:
      "hashicorp/terraform-provider-aws v6.25.0 could not be brought here (the repository is over the mirror's size limit, and the stored " +
      "internal/service/s3/bucket.go is a v4 version): from its schema, bucket and bucket_prefix are ForceNew, object_lock_enabled since v4",
  },
};

/** The attributes of `type` whose change replaces it: the provider's ForceNew ones and the extras. */
function replacing(type: string): string[] {
  return [...new Set([...(PROVIDER_FORCE_NEW[type]?.forceNew ?? []), ...(EXTRA_REPLACED_BY[type]?.attributes ?? [])])].sort();
}

export interface StatefulType {
  /** What is lost when a resource of this type is destroyed. */
  readonly loses: string;
  /** Attributes (top level, or `block.attribute` for a nested block) whose change replaces the resource. */
  readonly replacedBy: readonly string[];
  /** How to make a change that would replace it without losing data. */
  readonly safely: string;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  vault_mount: {
    loses: "every secret, key or certificate stored in the secrets engine",
    replacedBy: replacing("vault_mount"),
    safely:
      "a path change is an in-place remount when the mount keeps its config `id`; a transit, database or PKI mount also " +
      "carries keys, connections or a CA whose `backend` cannot change in place: create the new mount beside the old one and migrate",
  },
  vault_aws_secret_backend: {
    loses: "the AWS secrets engine's roles and every lease of the credentials it issued (revoked with the mount)",
    // vault/resource_aws_secret_backend.go v5.6.0: a path change is a remount (getMountCustomizeDiffFunc).
    replacedBy: replacing("vault_aws_secret_backend"),
    safely: "keep the mount's config path or remount it in place; the roles are recreated from config",
  },
  vault_database_secrets_mount: {
    loses: "the database connections and the root credentials Vault rotated",
    replacedBy: replacing("vault_database_secrets_mount"),
    safely: "keep the mount's config `id`; a path change is an in-place remount",
  },
  vault_database_secret_backend_connection: {
    loses: "Vault's only copy of the rotated root password",
    replacedBy: replacing("vault_database_secret_backend_connection"),
    safely:
      "Vault cannot rename a connection: add the new connection (new `id` and `name`) beside the old one with its root " +
      "credentials, move the roles to it, then remove the old one with a `compliance.destructions` entry",
  },
  vault_pki_secret_backend_root_cert: {
    loses: "the root CA key: every certificate issued under it stops validating",
    replacedBy: replacing("vault_pki_secret_backend_root_cert"),
    safely:
      "a new root is a CA rotation: issue it on a new PKI mount, cross-sign or distribute it, re-issue certificates, then " +
      "remove the old root with a `compliance.destructions` entry",
  },
  vault_transit_secret_backend_key: {
    loses: "the key material: everything encrypted or signed with it becomes unreadable or unverifiable",
    replacedBy: replacing("vault_transit_secret_backend_key"),
    safely: "transit keys cannot be renamed or moved: create a new key (new `id`), rewrap the data to it, keep the old key",
  },
  vault_auth_backend: {
    loses: "every token issued through the mount, and for AppRole every role id and secret id",
    replacedBy: replacing("vault_auth_backend"),
    safely: "keep the mount's config `id`; a path change is an in-place remount",
  },
  vault_jwt_auth_backend: {
    loses: "every token issued through the mount",
    replacedBy: replacing("vault_jwt_auth_backend"),
    safely: "keep the mount's config `id`; a path change is an in-place remount",
  },
  vault_approle_auth_backend_role: {
    loses: "the role id and every secret id issued for the role",
    replacedBy: replacing("vault_approle_auth_backend_role"),
    safely: "AppRole roles cannot be renamed: add the new role beside the old one, move the application, then remove the old role",
  },
  aws_kms_key: {
    loses: "every ciphertext under the key (auto-unseal, snapshots) once the deletion window ends",
    replacedBy: replacing("aws_kms_key"),
    safely: "never replace a key in use: create the new key beside it, re-encrypt (or migrate the seal), keep the old key",
  },
  aws_s3_bucket: {
    loses: "every object in the bucket (snapshots, access logs)",
    replacedBy: replacing("aws_s3_bucket"),
    safely: "bucket names are immutable: create the new bucket, copy the objects, then remove the old bucket with a `compliance.destructions` entry",
  },
  kubernetes_namespace_v1: {
    loses: "everything in the namespace, including Vault's Raft volumes",
    replacedBy: replacing("kubernetes_namespace_v1"),
    safely:
      "a namespace cannot be renamed: take a Raft snapshot, deploy to the new namespace as a new environment, restore " +
      "(docs/runbooks.md), then remove the old one with a `compliance.destructions` entry",
  },
  kubernetes_namespace: {
    loses: "everything in the namespace, including Vault's Raft volumes",
    replacedBy: replacing("kubernetes_namespace"),
    safely: "a namespace cannot be renamed: snapshot, deploy to the new namespace, restore, then remove the old one",
  },
};

export function isStatefulType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(STATEFUL_TYPES, type);
}

/** `vault_mount.kv_secret` -> `vault_mount` (addresses inside modules are not used by this app). */
export function typeOfAddress(address: string): string {
  return address.slice(0, address.indexOf("."));
}

/**
 * The stateful lock of one environment, `config/<env>.stateful.json`: per stack, every stateful resource's
 * address and the values of its `replacedBy` attributes, as last synthesized and reviewed. Synth refuses a config
 * or code change that drops one of these addresses or changes one of these values (which a plan would carry out
 * as a destroy or a replace), unless `compliance.destructions` names the address; `npm run synth --
 * --update-stateful-lock` records the new state once the change is reviewed. It is what Terraform state would
 * say, kept in the repository so a change is refused before any plan, with no credentials.
 */
export type StatefulLock = Record<string, Record<string, Record<string, unknown>>>;

const LOCK_NOTE =
  "Stateful resources of this environment (address -> the attributes whose change replaces them). Written by " +
  "`npm run synth -- --update-stateful-lock`; synth refuses a change that would destroy or replace one. See docs/data-safety.md.";

export function lockPath(configDir: string, environment: string): string {
  return join(configDir, `${environment}.stateful.json`);
}

/** The largest lock file read (the committed ones are a few KB), and its deepest nesting. */
export const MAX_LOCK_BYTES = 5 * 1024 * 1024;
const MAX_LOCK_DEPTH = 32;

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const shapeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : `a ${typeof v}`);

/**
 * The committed lock of `environment`, read through the same guarded reader as the configs (config/files.ts: no
 * FIFO opened, no directory, dangling link or non-UTF-8 bytes taken as a lock), as strict JSON (no duplicate keys,
 * bounded depth) and in the shape `--update-stateful-lock` writes: stack -> address -> attributes. `lock` is
 * undefined when there is no file (a new environment: nothing deployed); every other departure is a problem naming
 * the file and the field, so a lock can never silently turn protection off.
 */
export function readStatefulLock(configDir: string, environment: string): { lock?: StatefulLock; problems: string[] } {
  const file = lockPath(configDir, environment);
  if (!lexists(file)) return { problems: [] };
  const read = readTextFile(file);
  if (read.problem !== undefined) return { problems: [`${file}: ${read.problem}`] };
  if (read.text.length > MAX_LOCK_BYTES) return { problems: [`${file}: is larger than ${MAX_LOCK_BYTES} bytes (a stateful lock is a few KB)`] };
  if (read.text.trim() === "") return { problems: [`${file}: is empty; expected the lock written by npm run synth -- --update-stateful-lock (or delete the file before any deploy)`] };
  const json = parseStrictJson(read.text, MAX_LOCK_DEPTH);
  if (json.problem !== undefined) return { problems: [`${file}: ${json.problem}`] };
  if (!isMapping(json.value)) return { problems: [`${file}: must be a mapping of stack -> address -> attributes (got ${shapeOf(json.value)})`] };
  const problems: string[] = [];
  const lock: StatefulLock = {};
  for (const [stack, resources] of Object.entries(json.value)) {
    if (stack === "//") continue;
    if (!isMapping(resources)) {
      problems.push(`${file}: ${stack}: must be a mapping of address -> attributes (got ${shapeOf(resources)})`);
      continue;
    }
    lock[stack] = {};
    for (const [address, attributes] of Object.entries(resources)) {
      if (!/^[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(address)) problems.push(`${file}: ${stack}: ${JSON.stringify(address.slice(0, 200))}: must be a resource address <type>.<name>`);
      else if (!isMapping(attributes)) problems.push(`${file}: ${stack}.${address}: must be a mapping of attribute -> value (got ${shapeOf(attributes)})`);
      else lock[stack]![address] = attributes;
    }
  }
  return problems.length > 0 ? { problems } : { lock, problems };
}

/**
 * Lock files of `configDir` whose environment no config defines: a renamed or removed environment, whose deployed
 * stateful resources would lose their protection unnoticed. Each is a problem until the file is removed in a
 * reviewed change.
 */
export function orphanLockProblems(configDir: string, environments: readonly string[], entries: readonly string[]): string[] {
  return entries
    .map((f) => /^(.+)\.stateful\.json$/.exec(f)?.[1])
    .filter((env): env is string => env !== undefined && !environments.includes(env))
    .map(
      (env) =>
        `${lockPath(configDir, env)}: locks environment ${env}, which no config in ${configDir} defines (renamed or removed?): ` +
        `its deployed stateful resources would lose their protection. A renamed environment is a new one (new stacks and state): ` +
        `keep ${env}'s config until its data is migrated and it is destroyed deliberately, then delete this lock file in a reviewed change`,
    );
}

/**
 * `lock` with the resources synthesized now that it does not hold yet: additions need no review step (a plan
 * creates them), so synth records them; changed and removed entries are left to the check and to
 * `--update-stateful-lock`. Returns the addresses added (by stack) and the merged lock.
 */
export function withAdditions(lock: StatefulLock | undefined, current: StatefulLock): { merged: StatefulLock; added: string[] } {
  const merged: StatefulLock = {};
  const added: string[] = [];
  for (const [stack, resources] of Object.entries(lock ?? {})) merged[stack] = { ...resources };
  for (const [stack, resources] of Object.entries(current)) {
    const into = (merged[stack] ??= {});
    for (const [address, attributes] of Object.entries(resources)) {
      if (address in into) continue;
      into[address] = attributes;
      added.push(`${stack} ${address}`);
    }
    merged[stack] = Object.fromEntries(Object.entries(into).sort(([a], [b]) => a.localeCompare(b)));
  }
  return { merged, added };
}

export function writeStatefulLock(configDir: string, environment: string, lock: StatefulLock): void {
  writeFileSync(lockPath(configDir, environment), `${JSON.stringify({ "//": LOCK_NOTE, ...lock }, null, 2)}\n`);
}
