/**
 * The off-host audit trail's bucket in vault-backup-<env> (`backup.auditArchive`): S3 Object Lock in compliance mode
 * with the configured retention (nobody, root included, can delete or shorten it), SSE-KMS with its own key, a
 * policy that refuses plain HTTP, old TLS and uploads without that key, access logging, and a Vault server role
 * (the shipper runs in the Vault pod) that can add audit objects and do nothing else with them.
 */
import { Testing } from "cdktf";
import { VaultBackupStack } from "../../stacks/vault-backup-stack";
import { evaluatePolicy, policyDocumentStatements, substituteReferences, type PolicyStatement } from "../../compliance/iam-policy-evaluator";
import type { EnvironmentConfig } from "../../config/schema";
import { configFor, resourcesOf, synthJson } from "../helpers";

const AUDIT_KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/aaaaaaaa-2222-3333-4444-555555555555";
const OTHER_KEY_ARN = "arn:aws:kms:eu-west-2:111111111111:key/99999999-2222-3333-4444-555555555555";

describe.each(["dev", "prod"] as const)("the audit archive of vault-backup-%s", (env) => {
  const config: EnvironmentConfig = configFor(env);
  const archive = config.backup.auditArchive!;
  const json = synthJson(new VaultBackupStack(Testing.app(), `vault-backup-${env}`, { config }));
  const bucketEntry = Object.entries(resourcesOf(json, "aws_s3_bucket")).find(([, b]: any) => b.bucket === archive.bucket);
  const ref = bucketEntry ? `\${aws_s3_bucket.${bucketEntry[0]}.id}` : "(missing)";
  const forBucket = (type: string) => Object.values(resourcesOf(json, type)).find((r: any) => r.bucket === ref) as any;
  const keyName = Object.keys(resourcesOf(json, "aws_kms_key")).find((n) => n.startsWith("audit-key"));
  const refs = { [`\${aws_kms_key.${keyName}.arn}`]: AUDIT_KEY_ARN };
  const objects = `arn:aws:s3:::${archive.bucket}/${archive.prefix}/${env}/2026/12/07/x.log.gz`;

  it("is configured in both default configs", () => {
    expect(archive).toMatchObject({ bucket: expect.any(String), retentionDays: expect.any(Number) });
  });

  it("locks every object in compliance mode for the configured retention", () => {
    expect(bucketEntry?.[1]).toMatchObject({ bucket: archive.bucket, object_lock_enabled: true });
    expect(forBucket("aws_s3_bucket_object_lock_configuration")?.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: archive.retentionDays } });
    expect(forBucket("aws_s3_bucket_versioning")?.versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with its own KMS key, rotated", () => {
    const rule = forBucket("aws_s3_bucket_server_side_encryption_configuration")?.rule[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${keyName}.arn}` });
    expect(resourcesOf(json, "aws_kms_key")[keyName!]).toMatchObject({ enable_key_rotation: true });
  });

  it("refuses plain HTTP, old TLS and uploads without its key", () => {
    const policy = substituteReferences(policyDocumentStatements(json, forBucket("aws_s3_bucket_policy")!.policy), refs);
    const put = (context: Record<string, string>) => evaluatePolicy(policy, { action: "s3:PutObject", resource: objects, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", ...context } });
    const kms = { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": AUDIT_KEY_ARN };
    expect(put(kms).deniedBy).toEqual([]);
    expect(put({}).decision).toBe("explicit-deny");
    expect(put({ ...kms, "s3:x-amz-server-side-encryption-aws-kms-key-id": OTHER_KEY_ARN }).deniedBy).toEqual(["DenyWrongKmsKey"]);
    expect(put({ ...kms, "aws:SecureTransport": "false" }).deniedBy).toContain("DenyInsecureTransport");
    expect(put({ ...kms, "s3:TlsVersion": "1.1" }).deniedBy).toContain("DenyOutdatedTls");
  });

  it("logs access to its own log bucket", () => {
    expect(forBucket("aws_s3_bucket_logging")).toMatchObject({ target_prefix: expect.any(String) });
  });

  it("the Vault server's role (the shipper runs in the Vault pod) may add audit objects under the prefix and nothing more", () => {
    const p = Object.entries(resourcesOf(json, "aws_iam_role_policy")).find(([n]) => n.startsWith("vault-server-role"))![1] as any;
    const unseal = `\${aws_kms_key.${Object.keys(resourcesOf(json, "aws_kms_key")).find((n) => n.startsWith("unseal-key"))}.arn}`;
    const statements: PolicyStatement[] = substituteReferences(policyDocumentStatements(json, p.policy), { ...refs, [unseal]: OTHER_KEY_ARN });
    const allowed = (action: string, resource: string, context: Record<string, string> = {}) => evaluatePolicy(statements, { action, resource, context }).decision === "allow";
    expect(allowed("s3:PutObject", objects)).toBe(true);
    expect(allowed("s3:PutObject", `arn:aws:s3:::${archive.bucket}/elsewhere/x`)).toBe(false);
    for (const a of ["s3:GetObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:BypassGovernanceRetention", "s3:PutBucketObjectLockConfiguration"]) {
      expect([a, allowed(a, objects)]).toEqual([a, false]);
    }
    expect(allowed("kms:GenerateDataKey", AUDIT_KEY_ARN, { "kms:ViaService": `s3.${config.aws.region}.amazonaws.com` })).toBe(true);
    expect(allowed("kms:Decrypt", AUDIT_KEY_ARN, { "kms:ViaService": `s3.${config.aws.region}.amazonaws.com` })).toBe(false);
  });

  it("hands the bucket, prefix, key and region to the cluster stack", () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["audit_archive_bucket", "audit_archive_key_arn"]));
  });
});
