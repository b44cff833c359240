/**
 * Checks of a valid config against what the stacks and constructs derive from it (names with suffixes, IAM role
 * names, images, the CI login), run by `loadEnvironments` before anything is
 * built, so each is reported as `config/<env>.yaml: <field>: ...` together with every other problem. The
 * constructs keep their own checks as a last guard; these use the same derivations, so they never disagree.
 */
import { isS3BucketName } from "../config/format-rules";
import { count, type ConfigIssue } from "../config/load";
import type { EnvironmentConfig } from "../config/schema";
import { accessLogBucketName } from "../constructs/access-log-bucket";
import { isPinnedImage, snapshotObjectKey } from "../constructs/raft-snapshot-job";
import { stateObjectKey } from "./backend";
import { stackIds } from "./environment";
import { iamRoleNames } from "./vault-backup-stack";
import { CI_POLICY } from "./vault-config-stack";

const IAM_ROLE_NAME_MAX = 64;
/** S3's longest object key, in bytes of UTF-8 (Amazon S3 user guide, "Naming Amazon S3 objects"). */
export const S3_KEY_MAX_BYTES = 1024;

export function preflight(config: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { backup } = config;

  // Bucket names: the derived access-log buckets must be valid too, and no two buckets may share a name.
  const buckets: { path: (string | number)[]; name: string; value: string }[] = [{ path: ["backup", "bucket"], name: backup.bucket, value: backup.bucket }];
  if (backup.logBucket) {
    buckets.push({ path: ["backup", "logBucket"], name: backup.logBucket, value: backup.logBucket });
  } else {
    const derived = accessLogBucketName(backup.bucket);
    if (!isS3BucketName(derived)) {
      issues.push({
        path: ["backup", "bucket"],
        message: `makes the access-log bucket name ${derived} (${derived.length} characters; S3 allows 63): shorten it or set backup.logBucket`,
        input: backup.bucket,
      });
    }
    buckets.push({ path: ["backup", "bucket"], name: derived, value: backup.bucket });
  }
  if (backup.replication) {
    const replica = backup.replication.bucket;
    const derived = accessLogBucketName(replica);
    if (!isS3BucketName(derived)) {
      issues.push({
        path: ["backup", "replication", "bucket"],
        message: `makes the replica's access-log bucket name ${derived} (${derived.length} characters; S3 allows 63): shorten it`,
        input: replica,
      });
    }
    buckets.push({ path: ["backup", "replication", "bucket"], name: replica, value: replica });
    buckets.push({ path: ["backup", "replication", "bucket"], name: derived, value: replica });
  }
  const archive = backup.auditArchive;
  if (archive) {
    buckets.push({ path: ["backup", "auditArchive", "bucket"], name: archive.bucket, value: archive.bucket });
    const logs = archive.logBucket ?? accessLogBucketName(archive.bucket);
    const field = archive.logBucket ? ["backup", "auditArchive", "logBucket"] : ["backup", "auditArchive", "bucket"];
    if (!isS3BucketName(logs)) {
      issues.push({ path: field, message: `makes the access-log bucket name ${logs} (${logs.length} characters; S3 allows 63): shorten it or set backup.auditArchive.logBucket`, input: archive.bucket });
    }
    buckets.push({ path: field, name: logs, value: archive.logBucket ?? archive.bucket });
  }
  const owners = new Map<string, string>();
  for (const b of buckets) {
    const field = b.path.join(".");
    const owner = owners.get(b.name);
    if (owner !== undefined && owner !== field) {
      issues.push({ path: b.path, message: `gives a bucket the name ${b.name}, which ${owner} already uses (bucket names must differ)`, input: b.value });
    }
    if (owner === undefined) owners.set(b.name, field);
  }

  // Object keys S3 would refuse at the first write: the snapshot job's and Terraform's state.
  const snapshotKey = snapshotObjectKey(`${backup.prefix}/${config.environment}`, new Date(0));
  if (Buffer.byteLength(snapshotKey) > S3_KEY_MAX_BYTES) {
    issues.push({
      path: ["backup", "prefix"],
      message: `makes the snapshot object key ${count(Buffer.byteLength(snapshotKey))} bytes long (${snapshotKey.slice(0, 40)}...; S3 allows ${count(S3_KEY_MAX_BYTES)}): shorten it`,
    });
  }
  if (config.stateBackend.type === "s3") {
    const ids = Object.values(stackIds(config.environment));
    const key = ids.map((id) => stateObjectKey(config.stateBackend.type === "s3" ? config.stateBackend.keyPrefix : "", id)).reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
    if (Buffer.byteLength(key) > S3_KEY_MAX_BYTES) {
      issues.push({
        path: ["stateBackend", "keyPrefix"],
        message: `makes the state object key .../${key.split("/").pop()} ${count(Buffer.byteLength(key))} bytes long (S3 allows ${count(S3_KEY_MAX_BYTES)}): shorten it`,
      });
    }
  }

  // IAM role names carry the environment name.
  const roles = iamRoleNames(config.environment);
  const used = backup.replication ? Object.values(roles) : Object.values(roles).filter((r) => r !== roles.snapshotReplication);
  const longest = used.reduce((a, b) => (b.length > a.length ? b : a), "");
  if (longest.length > IAM_ROLE_NAME_MAX) {
    const allowed = config.environment.length - (longest.length - IAM_ROLE_NAME_MAX);
    issues.push({
      path: ["environment"],
      message: `makes the IAM role name ${longest} ${longest.length} characters long (IAM allows ${IAM_ROLE_NAME_MAX}): use at most ${allowed} characters`,
      input: config.environment,
    });
  }

  for (const [key, image] of Object.entries(backup.images)) {
    if (!isPinnedImage(image)) {
      issues.push({ path: ["backup", "images", key], message: "must be pinned to a version tag or a sha256 digest (not latest, not untagged)", input: image });
    }
  }

  if (!config.platform.some((i) => i.auth.method === "jwt" && i.policies.includes(CI_POLICY))) {
    issues.push({
      path: ["platform"],
      message: `must include a jwt identity with the ${CI_POLICY} policy (CI logs in through it once the root token is revoked)`,
    });
  }
  return issues;
}
