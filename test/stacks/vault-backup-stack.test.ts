import { Testing } from "cdktf";
import { VaultBackupStack } from "../../stacks/vault-backup-stack";
import { KEY_ADMIN_ACTIONS, KEY_READ_ONLY_ACTIONS } from "../../constructs/kms-key";
import {
  RESTORE_DRILL_SERVICE_ACCOUNT,
  SNAPSHOT_WRITER_SERVICE_ACCOUNT,
  VAULT_SERVER_SERVICE_ACCOUNT,
} from "../../constructs/service-accounts";
import {
  evaluatePolicy,
  policyDocumentStatements,
  substituteReferences,
  type PolicyRequest,
  type PolicyStatement,
} from "../../compliance/iam-policy-evaluator";
import type { EnvironmentConfig } from "../../config/schema";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";

function synth(config: EnvironmentConfig): { stack: VaultBackupStack; json: any } {
  const stack = new VaultBackupStack(Testing.app(), `vault-backup-${config.environment}`, { config });
  return { stack, json: synthJson(stack) };
}

/** The one resource of a type whose construct name contains `part`. */
function named(json: any, type: string, part: string): any {
  const hits = Object.entries(resourcesOf(json, type)).filter(([name]) => name.includes(part));
  if (hits.length !== 1) throw new Error(`expected one ${type} named *${part}*, found ${hits.map(([n]) => n).join(", ") || "none"}`);
  return hits[0][1];
}

/** `${aws_kms_key.<name>.arn}` of the key whose name contains `part`. */
function keyRef(json: any, part: string): string {
  const name = Object.keys(resourcesOf(json, "aws_kms_key")).find((n) => n.startsWith(part));
  return `\${aws_kms_key.${name}.arn}`;
}
function roleRef(json: any, part: string): string {
  const name = Object.keys(resourcesOf(json, "aws_iam_role")).find((n) => n.startsWith(part));
  return `\${aws_iam_role.${name}.arn}`;
}
function bucketRef(json: any, bucketName: string): string {
  const [name] = Object.entries(resourcesOf(json, "aws_s3_bucket")).find(([, b]) => (b as any).bucket === bucketName)!;
  return `\${aws_s3_bucket.${name}.id}`;
}
/** The resource of a type attached to a bucket (by the bucket reference). */
function forBucket(json: any, type: string, bucketName: string): any {
  const ref = bucketRef(json, bucketName);
  const hits = Object.values(resourcesOf(json, type)).filter((r: any) => r.bucket === ref);
  if (hits.length !== 1) throw new Error(`expected one ${type} for ${bucketName}, found ${hits.length}`);
  return hits[0];
}

const BACKUP_KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555";
const OTHER_KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/99999999-2222-3333-4444-555555555555";
const WRITER_ARN = "arn:aws:iam::111111111111:role/vault-dev-snapshot-writer";

/** The snapshot bucket's policy as AWS sees it after apply (the backup key reference replaced by an ARN). */
function bucketPolicy(json: any, config: EnvironmentConfig): PolicyStatement[] {
  const policy = forBucket(json, "aws_s3_bucket_policy", config.backup.bucket);
  return substituteReferences(policyDocumentStatements(json, policy.policy), { [keyRef(json, "backup-key")]: BACKUP_KEY_ARN });
}

describe("VaultBackupStack", () => {
  const dev = configFor("dev");
  const prod = configFor("prod");
  const { stack: devStack, json: devJson } = synth(dev);
  const { json: prodJson } = synth(prod);

  describe.each([
    ["dev", dev, devJson],
    ["prod", prod, prodJson],
  ])("%s synthesizes", (_env, config, json) => {
    it("the keys, the buckets, the bucket policy and the roles", () => {
      const replicated = config.backup.replication !== undefined;
      expect(Object.keys(resourcesOf(json, "aws_kms_key")).sort()).toEqual(
        expect.arrayContaining(["unseal-key", "backup-key"]),
      );
      const archive = config.backup.auditArchive;
      expect(Object.keys(resourcesOf(json, "aws_kms_key"))).toHaveLength(2 + (replicated ? 1 : 0) + (archive ? 1 : 0));
      const buckets = Object.values(resourcesOf(json, "aws_s3_bucket")).map((b: any) => b.bucket);
      expect(buckets.sort()).toEqual(
        [
          config.backup.bucket,
          `${config.backup.bucket}-logs`,
          ...(replicated ? [config.backup.replication!.bucket, `${config.backup.replication!.bucket}-logs`] : []),
          // The off-host audit trail (test/stacks/audit-archive.test.ts).
          ...(archive ? [archive.bucket, archive.logBucket ?? `${archive.bucket}-logs`] : []),
        ].sort(),
      );
      expect(Object.keys(resourcesOf(json, "aws_s3_bucket_policy"))).toHaveLength(buckets.length);
      const roles = Object.values(resourcesOf(json, "aws_iam_role")).map((r: any) => r.name);
      const env = config.environment;
      expect(roles.sort()).toEqual(
        [`vault-${env}-server`, `vault-${env}-snapshot-writer`, `vault-${env}-restore-drill`, ...(replicated ? [`vault-${env}-snapshot-replication`] : [])].sort(),
      );
    });

    it("KMS keys that are symmetric, rotated, 30-day deletion window, aliased", () => {
      for (const key of Object.values(resourcesOf(json, "aws_kms_key")) as any[]) {
        expect(key).toMatchObject({
          key_usage: "ENCRYPT_DECRYPT",
          customer_master_key_spec: "SYMMETRIC_DEFAULT",
          enable_key_rotation: true,
          deletion_window_in_days: 30,
        });
        expect(key.policy).toMatch(/^\$\{data\.aws_iam_policy_document\..+\.json\}$/);
      }
      const aliases = Object.values(resourcesOf(json, "aws_kms_alias")).map((a: any) => a.name);
      const env = config.environment;
      expect(aliases).toEqual(expect.arrayContaining([`alias/vault-${env}-unseal`, `alias/vault-${env}-backup`]));
    });

    it("no Allow to principal * and no Deny on * without a condition, in any policy", () => {
      const toAnyone = Object.keys(json.data.aws_iam_policy_document).flatMap((name) =>
        policyDocumentStatements(json, `\${data.aws_iam_policy_document.${name}.json}`)
          .filter((s) => s.Principal === "*" || Object.values(s.Principal ?? {}).flat().includes("*"))
          .map((s) => ({ doc: name, sid: s.Sid, effect: s.Effect, conditioned: s.Condition !== undefined })),
      );
      expect(toAnyone.length).toBeGreaterThan(0);
      expect(toAnyone).toEqual(toAnyone.map((s) => ({ ...s, effect: "Deny", conditioned: true })));
    });

    it("outputs for every handle, with descriptions", () => {
      for (const name of ["unseal_key_arn", "backup_key_arn", "bucket_name", "snapshot_prefix", "vault_server_role_arn", "snapshot_writer_role_arn", "restore_role_arn", "log_bucket_name"]) {
        expect(json.output[name]).toEqual({ value: expect.any(String), description: expect.stringMatching(/\w{3,}/) });
      }
      expect(json.output.bucket_name.value).toBe(config.backup.bucket);
      expect(json.output.snapshot_prefix.value).toBe(config.backup.prefix);
      expect(json.output.unseal_key_arn.value).toBe(keyRef(json, "unseal-key"));
    });
  });

  describe("KMS key policies", () => {
    const keyPolicy = (json: any, part: string) => {
      const name = Object.keys(resourcesOf(json, "aws_kms_key")).find((n) => n.startsWith(part))!;
      return policyDocumentStatements(json, resourcesOf(json, "aws_kms_key")[name].policy);
    };
    const can = (statements: PolicyStatement[], arn: string, action: string, context: Record<string, string> = {}) =>
      evaluatePolicy(statements, { action, resource: "*", principal: { type: "AWS", id: arn }, context }).decision === "allow";
    const admin = dev.backup.kmsAdminRoleArns[0];
    const root = "arn:aws:iam::111111111111:root";
    const s3 = { "kms:ViaService": "s3.eu-west-2.amazonaws.com" };

    it("let administrators manage but never use the keys", () => {
      for (const part of ["unseal-key", "backup-key"]) {
        const p = keyPolicy(devJson, part);
        for (const a of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:DescribeKey"]) expect(can(p, admin, a)).toBe(true);
        for (const a of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"]) expect(can(p, admin, a)).toBe(false);
      }
    });

    it.each(["dev", "prod"] as const)("in %s, let the workflow roles read every key (what a refresh calls) but never administer or use it", (env) => {
      const config = env === "dev" ? dev : prod;
      const json = env === "dev" ? devJson : prodJson;
      const roles = config.aws.workflowRoles!;
      const keys = Object.keys(resourcesOf(json, "aws_kms_key"));
      expect(keys.length).toBeGreaterThan(0);
      for (const name of keys) {
        const p = policyDocumentStatements(json, resourcesOf(json, "aws_kms_key")[name].policy);
        for (const role of [roles.planRoleArn, roles.applyRoleArn]) {
          // The AWS provider's aws_kms_key read: DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListResourceTags.
          for (const a of KEY_READ_ONLY_ACTIONS) expect(can(p, role, a)).toBe(true);
          const never = [...KEY_ADMIN_ACTIONS.filter((a) => !KEY_READ_ONLY_ACTIONS.includes(a)), "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"];
          for (const a of never) for (const ctx of [{}, s3]) expect(can(p, role, a, ctx)).toBe(false);
        }
      }
    });

    it("give the account root only key policy recovery", () => {
      const p = keyPolicy(devJson, "backup-key");
      expect(can(p, root, "kms:PutKeyPolicy")).toBe(true);
      for (const a of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:ScheduleKeyDeletion"]) expect(can(p, root, a)).toBe(false);
    });

    it("let the Vault server role encrypt, decrypt and describe with the unseal key only", () => {
      const server = roleRef(devJson, "vault-server-role");
      const unseal = keyPolicy(devJson, "unseal-key");
      for (const a of ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]) expect(can(unseal, server, a)).toBe(true);
      expect(can(unseal, server, "kms:GenerateDataKey")).toBe(false);
      expect(can(unseal, roleRef(devJson, "snapshot-writer-role"), "kms:Decrypt")).toBe(false);
      expect(can(keyPolicy(devJson, "backup-key"), server, "kms:Decrypt", s3)).toBe(false);
    });

    it("let the writer generate data keys and the restore role decrypt, only through S3", () => {
      const p = keyPolicy(devJson, "backup-key");
      const writer = roleRef(devJson, "snapshot-writer-role");
      const restore = roleRef(devJson, "restore-role");
      expect(can(p, writer, "kms:GenerateDataKey", s3)).toBe(true);
      expect(can(p, writer, "kms:GenerateDataKey")).toBe(false);
      expect(can(p, writer, "kms:Decrypt", s3)).toBe(false);
      expect(can(p, restore, "kms:Decrypt", s3)).toBe(true);
      expect(can(p, restore, "kms:Decrypt")).toBe(false);
      expect(can(p, restore, "kms:GenerateDataKey", s3)).toBe(false);
    });

    it("in prod, let the replication role decrypt the source and encrypt with the replica key in its region", () => {
      const replication = roleRef(prodJson, "snapshots_replication-role");
      expect(can(keyPolicy(prodJson, "backup-key"), replication, "kms:Decrypt", { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe(true);
      const replica = keyPolicy(prodJson, "replica-key");
      expect(can(replica, replication, "kms:Encrypt", { "kms:ViaService": "s3.eu-west-1.amazonaws.com" })).toBe(true);
      expect(can(replica, replication, "kms:Decrypt", { "kms:ViaService": "s3.eu-west-1.amazonaws.com" })).toBe(false);
      expect(named(prodJson, "aws_kms_key", "replica-key").provider).toBe("aws.replica");
      expect(named(prodJson, "aws_kms_alias", "replica-key").name).toBe("alias/vault-prod-backup-replica");
      expect(prodJson.provider.aws).toContainEqual(expect.objectContaining({ alias: "replica", region: "eu-west-1", allowed_account_ids: ["222222222222"] }));
    });

    it("in prod, let the restore role read the replicas back (a region lost), decrypting only through S3 in the replica's region", () => {
      const { region, bucket } = prod.backup.replication!;
      const restore = roleRef(prodJson, "restore-role");
      const replica = keyPolicy(prodJson, "replica-key");
      const viaReplicaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
      expect(can(replica, restore, "kms:Decrypt", viaReplicaS3)).toBe(true);
      expect(can(replica, restore, "kms:Decrypt")).toBe(false);
      expect(can(replica, restore, "kms:GenerateDataKey", viaReplicaS3)).toBe(false);
      const p = Object.entries(resourcesOf(prodJson, "aws_iam_role_policy")).find(([n]) => n.startsWith("restore-role"))![1] as any;
      const statements = substituteReferences(policyDocumentStatements(prodJson, p.policy), { [keyRef(prodJson, "replica-key")]: OTHER_KEY_ARN, [keyRef(prodJson, "backup-key")]: BACKUP_KEY_ARN });
      const allows = (action: string, resource: string, context: Record<string, string> = {}) => evaluatePolicy(statements, { action, resource, context }).decision === "allow";
      expect(allows("s3:GetObject", `arn:aws:s3:::${bucket}/${prod.backup.prefix}/prod/x.snap`)).toBe(true);
      expect(allows("s3:PutObject", `arn:aws:s3:::${bucket}/${prod.backup.prefix}/prod/x.snap`)).toBe(false);
      expect(allows("kms:Decrypt", OTHER_KEY_ARN, viaReplicaS3)).toBe(true);
    });
  });

  describe("snapshot bucket", () => {
    const b = dev.backup.bucket;

    it("is versioned, SSE-KMS with the backup key ARN and a bucket key, private and owner-enforced", () => {
      expect(forBucket(devJson, "aws_s3_bucket_versioning", b).versioning_configuration).toEqual({ status: "Enabled" });
      expect(forBucket(devJson, "aws_s3_bucket_server_side_encryption_configuration", b).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyRef(devJson, "backup-key") }, bucket_key_enabled: true },
      ]);
      expect(forBucket(devJson, "aws_s3_bucket_public_access_block", b)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(forBucket(devJson, "aws_s3_bucket_ownership_controls", b).rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    it("logs access to a separate SSE-S3, private log bucket with its own lifecycle", () => {
      const logs = `${b}-logs`;
      const logging = forBucket(devJson, "aws_s3_bucket_logging", b);
      expect(logging.target_bucket).toBe(bucketRef(devJson, logs));
      expect(logging.target_prefix).toBe(`s3-access/${b}/`);
      expect(forBucket(devJson, "aws_s3_bucket_server_side_encryption_configuration", logs).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
      expect(forBucket(devJson, "aws_s3_bucket_public_access_block", logs)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(forBucket(devJson, "aws_s3_bucket_lifecycle_configuration", logs).rule).toContainEqual(
        expect.objectContaining({ id: "expire-access-logs", status: "Enabled", expiration: [{ days: 365 }] }),
      );
      // Log delivery may write, for this source bucket and account only.
      const logPolicy = policyDocumentStatements(devJson, forBucket(devJson, "aws_s3_bucket_policy", logs).policy);
      const deliver = (sourceArn: string, account: string): PolicyRequest => ({
        action: "s3:PutObject",
        resource: `arn:aws:s3:::${logs}/s3-access/${b}/2026-01-01-00-00-00-ABC`,
        principal: { type: "Service", id: "logging.s3.amazonaws.com" },
        context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": account, "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" },
      });
      expect(evaluatePolicy(logPolicy, deliver(`arn:aws:s3:::${b}`, "111111111111")).decision).toBe("allow");
      expect(evaluatePolicy(logPolicy, deliver("arn:aws:s3:::someone-elses-bucket", "111111111111")).decision).toBe("implicit-deny");
      expect(evaluatePolicy(logPolicy, deliver(`arn:aws:s3:::${b}`, "999999999999")).decision).toBe("implicit-deny");
    });

    it("aborts incomplete uploads after a day, expires snapshots and noncurrent versions", () => {
      const rules = forBucket(devJson, "aws_s3_bucket_lifecycle_configuration", b).rule;
      expect(rules).toEqual([
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] },
        {
          id: "expire-snapshots",
          status: "Enabled",
          filter: [{ prefix: "raft-snapshots/" }],
          expiration: [{ days: 30 }],
          noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        },
      ]);
    });

    it("in prod, transitions to a colder class, has Object Lock and replicates to a KMS-encrypted replica", () => {
      const pb = prod.backup.bucket;
      const replica = prod.backup.replication!.bucket;
      expect(forBucket(prodJson, "aws_s3_bucket_lifecycle_configuration", pb).rule[1].transition).toEqual([{ days: 7, storage_class: "GLACIER_IR" }]);
      const bucket = Object.values(resourcesOf(prodJson, "aws_s3_bucket")).find((x: any) => x.bucket === pb) as any;
      expect(bucket.object_lock_enabled).toBe(true);
      expect(forBucket(prodJson, "aws_s3_bucket_object_lock_configuration", pb).rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 7 } });
      const replication = onlyResource(prodJson, "aws_s3_bucket_replication_configuration");
      expect(replication.bucket).toBe(bucketRef(prodJson, pb));
      expect(replication.role).toBe(roleRef(prodJson, "snapshots_replication-role"));
      expect(replication.rule).toEqual([
        {
          id: "replicate-snapshots",
          status: "Enabled",
          filter: { prefix: "raft-snapshots/" },
          delete_marker_replication: { status: "Disabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: {
            bucket: `arn:aws:s3:::${replica}`,
            storage_class: "STANDARD",
            encryption_configuration: { replica_kms_key_id: keyRef(prodJson, "replica-key") },
          },
        },
      ]);
      expect(replication.depends_on).toHaveLength(2);
      expect(forBucket(prodJson, "aws_s3_bucket_versioning", replica)).toMatchObject({ provider: "aws.replica", versioning_configuration: { status: "Enabled" } });
      expect(forBucket(prodJson, "aws_s3_bucket_server_side_encryption_configuration", replica).rule[0].apply_server_side_encryption_by_default).toEqual({
        sse_algorithm: "aws:kms",
        kms_master_key_id: keyRef(prodJson, "replica-key"),
      });
      expect(forBucket(prodJson, "aws_s3_bucket_public_access_block", replica).restrict_public_buckets).toBe(true);
    });

    it("has no Object Lock or replication in dev", () => {
      // Only the audit archive is locked in dev (test/stacks/audit-archive.test.ts).
      const locked = Object.values(resourcesOf(devJson, "aws_s3_bucket_object_lock_configuration")).map((l: any) => l.bucket);
      expect(locked).toEqual(dev.backup.auditArchive ? [bucketRef(devJson, dev.backup.auditArchive.bucket)] : []);
      expect(resourcesOf(devJson, "aws_s3_bucket_replication_configuration")).toEqual({});
      expect(devJson.provider.aws).toHaveLength(1);
    });
  });

  describe("bucket policy", () => {
    const policy = bucketPolicy(devJson, dev);
    const writerPut = (context: Record<string, string>): PolicyRequest => ({
      action: "s3:PutObject",
      resource: `arn:aws:s3:::${dev.backup.bucket}/raft-snapshots/dev/vault-20260101T000000Z.snap`,
      principal: { type: "AWS", id: WRITER_ARN },
      context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", ...context },
    });
    const kmsHeaders = { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": BACKUP_KEY_ARN };

    it("has the four statements, all conditioned Denies", () => {
      expect(policy.map((s) => [s.Sid, s.Effect])).toEqual([
        ["DenyInsecureTransport", "Deny"],
        ["DenyOutdatedTls", "Deny"],
        ["DenyUnencryptedObjectUploads", "Deny"],
        ["DenyWrongKmsKey", "Deny"],
      ]);
    });

    it("denies an upload without an encryption header", () => {
      expect(evaluatePolicy(policy, writerPut({})).deniedBy).toEqual(["DenyUnencryptedObjectUploads", "DenyWrongKmsKey"]);
    });

    it("denies an upload with AES256 when KMS is required", () => {
      expect(evaluatePolicy(policy, writerPut({ "s3:x-amz-server-side-encryption": "AES256" })).deniedBy).toContain("DenyUnencryptedObjectUploads");
    });

    it("denies an upload with another KMS key, or with aws:kms but no key id", () => {
      expect(evaluatePolicy(policy, writerPut({ ...kmsHeaders, "s3:x-amz-server-side-encryption-aws-kms-key-id": OTHER_KEY_ARN })).deniedBy).toEqual(["DenyWrongKmsKey"]);
      expect(evaluatePolicy(policy, writerPut({ "s3:x-amz-server-side-encryption": "aws:kms" })).deniedBy).toEqual(["DenyWrongKmsKey"]);
    });

    it("denies any request over plain HTTP", () => {
      expect(evaluatePolicy(policy, writerPut({ ...kmsHeaders, "aws:SecureTransport": "false" })).deniedBy).toEqual(["DenyInsecureTransport"]);
      const list: PolicyRequest = { action: "s3:ListBucket", resource: `arn:aws:s3:::${dev.backup.bucket}`, context: { "aws:SecureTransport": "false", "s3:TlsVersion": "1.2" } };
      expect(evaluatePolicy(policy, list).decision).toBe("explicit-deny");
    });

    it("denies any request with TLS 1.1", () => {
      expect(evaluatePolicy(policy, writerPut({ ...kmsHeaders, "s3:TlsVersion": "1.1" })).deniedBy).toEqual(["DenyOutdatedTls"]);
    });

    it("does not deny the snapshot writer with the right headers", () => {
      expect(evaluatePolicy(policy, writerPut(kmsHeaders))).toEqual({ decision: "implicit-deny", deniedBy: [], allowedBy: [] });
      expect(evaluatePolicy(policy, writerPut({ ...kmsHeaders, "s3:TlsVersion": "1.2" })).deniedBy).toEqual([]);
    });

    it("does not deny reads over TLS 1.2+ (restore)", () => {
      const get: PolicyRequest = {
        action: "s3:GetObject",
        resource: `arn:aws:s3:::${dev.backup.bucket}/raft-snapshots/dev/x.snap`,
        context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.2" },
      };
      expect(evaluatePolicy(policy, get).deniedBy).toEqual([]);
    });

    it("with encryption aes256, requires AES256 and defaults to SSE-S3", () => {
      const aes = configFor("dev", (raw) => {
        raw.backup.encryption = "aes256";
        raw.backup.encryptionReason = "parity with the CheckTick runbook's SSE-S3 bucket";
      });
      const { json } = synth(aes);
      const p = policyDocumentStatements(json, forBucket(json, "aws_s3_bucket_policy", aes.backup.bucket).policy);
      expect(p.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "DenyUnencryptedObjectUploads"]);
      expect(evaluatePolicy(p, writerPut({ "s3:x-amz-server-side-encryption": "AES256" })).deniedBy).toEqual([]);
      expect(evaluatePolicy(p, writerPut(kmsHeaders)).deniedBy).toEqual(["DenyUnencryptedObjectUploads"]);
      expect(evaluatePolicy(p, writerPut({})).deniedBy).toEqual(["DenyUnencryptedObjectUploads"]);
      expect(forBucket(json, "aws_s3_bucket_server_side_encryption_configuration", aes.backup.bucket).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
    });
  });

  describe("IRSA roles", () => {
    const issuer = dev.cluster.oidcProvider.issuer;
    const role = (part: string) => named(devJson, "aws_iam_role", part);
    const rolePolicy = (part: string): PolicyStatement[] => {
      const p = Object.entries(resourcesOf(devJson, "aws_iam_role_policy")).find(([n]) => n.startsWith(part))![1] as any;
      expect(p.role).toMatch(new RegExp(`^\\$\\{aws_iam_role\\.${part}`));
      return substituteReferences(policyDocumentStatements(devJson, p.policy), {
        [keyRef(devJson, "backup-key")]: BACKUP_KEY_ARN,
        [keyRef(devJson, "unseal-key")]: OTHER_KEY_ARN,
      });
    };
    const allowed = (statements: PolicyStatement[], action: string, resource: string, context: Record<string, string> = {}) =>
      evaluatePolicy(statements, { action, resource, context }).decision === "allow";

    it.each([
      ["vault-server-role", VAULT_SERVER_SERVICE_ACCOUNT],
      ["snapshot-writer-role", SNAPSHOT_WRITER_SERVICE_ACCOUNT],
      ["restore-role", RESTORE_DRILL_SERVICE_ACCOUNT],
    ])("%s trusts only its service account through the cluster's OIDC provider", (part, account) => {
      const trust = policyDocumentStatements(devJson, role(part).assume_role_policy);
      const assume = (sub: string, aud: string, provider = dev.cluster.oidcProvider.arn) =>
        evaluatePolicy(trust, {
          action: "sts:AssumeRoleWithWebIdentity",
          resource: "role",
          principal: { type: "Federated", id: provider },
          context: { [`${issuer}:sub`]: sub, [`${issuer}:aud`]: aud },
        }).decision;
      expect(assume(`system:serviceaccount:vault:${account}`, "sts.amazonaws.com")).toBe("allow");
      expect(assume(`system:serviceaccount:vault:default`, "sts.amazonaws.com")).toBe("implicit-deny");
      expect(assume(`system:serviceaccount:other:${account}`, "sts.amazonaws.com")).toBe("implicit-deny");
      expect(assume(`system:serviceaccount:vault:${account}`, "vault")).toBe("implicit-deny");
      expect(assume(`system:serviceaccount:vault:${account}`, "sts.amazonaws.com", "arn:aws:iam::111111111111:oidc-provider/other")).toBe("implicit-deny");
      expect(trust).toHaveLength(1);
      expect(trust[0].Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    });

    it("the Vault server may use the unseal key and nothing else", () => {
      const p = rolePolicy("vault-server-role");
      for (const a of ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]) expect(allowed(p, a, OTHER_KEY_ARN)).toBe(true);
      expect(allowed(p, "kms:Decrypt", BACKUP_KEY_ARN)).toBe(false);
      expect(allowed(p, "s3:GetObject", `arn:aws:s3:::${dev.backup.bucket}/raft-snapshots/x`)).toBe(false);
    });

    it("the snapshot writer may put under the prefix only, list the prefix only, generate data keys through S3", () => {
      const p = rolePolicy("snapshot-writer-role");
      const bucket = `arn:aws:s3:::${dev.backup.bucket}`;
      expect(allowed(p, "s3:PutObject", `${bucket}/raft-snapshots/dev/vault-20260101T000000Z.snap`)).toBe(true);
      expect(allowed(p, "s3:PutObject", `${bucket}/elsewhere/x.snap`)).toBe(false);
      expect(allowed(p, "s3:PutObject", `${bucket}/raft-snapshots-other/x.snap`)).toBe(false);
      expect(allowed(p, "s3:GetObject", `${bucket}/raft-snapshots/dev/x.snap`)).toBe(false);
      expect(allowed(p, "s3:DeleteObject", `${bucket}/raft-snapshots/dev/x.snap`)).toBe(false);
      expect(allowed(p, "s3:ListBucket", bucket, { "s3:prefix": "raft-snapshots/dev/" })).toBe(true);
      expect(allowed(p, "s3:ListBucket", bucket, { "s3:prefix": "" })).toBe(false);
      expect(allowed(p, "s3:ListBucket", bucket)).toBe(false);
      expect(allowed(p, "kms:GenerateDataKey", BACKUP_KEY_ARN, { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe(true);
      expect(allowed(p, "kms:Decrypt", BACKUP_KEY_ARN, { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe(false);
    });

    it("the restore role may get and list snapshots and decrypt through S3, but not write", () => {
      const p = rolePolicy("restore-role");
      const bucket = `arn:aws:s3:::${dev.backup.bucket}`;
      expect(allowed(p, "s3:GetObject", `${bucket}/raft-snapshots/dev/x.snap`)).toBe(true);
      expect(allowed(p, "s3:GetObject", `${bucket}/s3-access/x`)).toBe(false);
      expect(allowed(p, "s3:PutObject", `${bucket}/raft-snapshots/dev/x.snap`)).toBe(false);
      expect(allowed(p, "s3:ListBucket", bucket, { "s3:prefix": "raft-snapshots/" })).toBe(true);
      expect(allowed(p, "kms:Decrypt", BACKUP_KEY_ARN, { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe(true);
      expect(allowed(p, "kms:Decrypt", BACKUP_KEY_ARN)).toBe(false);
    });

    it("no role policy grants a * action or a * resource", () => {
      for (const p of Object.values(resourcesOf(devJson, "aws_iam_role_policy")) as any[]) {
        for (const s of policyDocumentStatements(devJson, p.policy)) {
          expect([s.Action].flat().filter((a) => a === "*" || String(a).endsWith(":*"))).toEqual([]);
          expect([s.Resource].flat()).not.toContain("*");
        }
      }
    });

    it("exposes the handles the cluster stack needs", () => {
      expect(devStack.handles).toEqual({
        unsealKeyArn: expect.stringMatching(/^\$\{TfToken\[/),
        backupKeyArn: expect.stringMatching(/^\$\{TfToken\[/),
        bucketName: dev.backup.bucket,
        snapshotPrefix: "raft-snapshots",
        vaultServerRoleArn: expect.stringMatching(/^\$\{TfToken\[/),
        snapshotWriterRoleArn: expect.stringMatching(/^\$\{TfToken\[/),
        restoreRoleArn: expect.stringMatching(/^\$\{TfToken\[/),
        auditArchive: {
          bucketName: dev.backup.auditArchive!.bucket,
          prefix: `${dev.backup.auditArchive!.prefix}/dev`,
          keyArn: expect.stringMatching(/^\$\{TfToken\[/),
          region: dev.aws.region,
        },
      });
    });
  });

  it("uses backup.logBucket and logRetentionDays when set", () => {
    const config = configFor("dev", (raw) => {
      raw.backup.logBucket = "vault-platform-dev-access-logs";
      raw.backup.logRetentionDays = 90;
    });
    const { json } = synth(config);
    expect(forBucket(json, "aws_s3_bucket_lifecycle_configuration", "vault-platform-dev-access-logs").rule[1].expiration).toEqual([{ days: 90 }]);
  });

  it("fails if the derived log bucket name breaks the S3 naming rules", () => {
    const config = configFor("dev", (raw) => {
      raw.backup.bucket = "a".repeat(62);
    });
    expect(() => synth(config)).toThrow(/logBucketName must follow the S3 bucket naming rules .*set backup.logBucket to a shorter name/);
  });
});
