import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BackupBucket, type BackupBucketProps } from "../../constructs/backup-bucket";
import { evaluatePolicy, policyDocumentStatements } from "../../compliance/iam-policy-evaluator";
import { onlyResource, resourcesOf, synthJson } from "../helpers";

const KEY = "arn:aws:kms:eu-west-2:111111111111:key/k";
const base: BackupBucketProps = {
  bucketName: "snapshots-test",
  accountId: "111111111111",
  partition: "aws",
  region: "eu-west-2",
  encryption: { type: "kms", kmsKeyArn: KEY },
  snapshotPrefix: "raft",
};

function build(props: Partial<BackupBucketProps> = {}, replicated = false): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-2" });
  const replicaProvider = replicated ? new AwsProvider(stack, "aws-replica", { region: "eu-west-1", alias: "replica" }) : undefined;
  new BackupBucket(stack, "snapshots", {
    ...base,
    ...(replicaProvider && {
      replication: {
        bucketName: "snapshots-test-replica",
        region: "eu-west-1",
        provider: replicaProvider,
        roleName: "test-replication",
        encryption: { type: "kms", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/r" },
      },
    }),
    ...props,
  });
  return synthJson(stack);
}

/**
 * The resource of a type whose construct name starts with `snapshots_<part>_`; a bucket (stateful) has a pinned
 * address instead: `<bucket>_bucket` is `aws_s3_bucket.<bucket>`, `bucket` the snapshot bucket.
 */
function part(json: any, type: string, name: string): any {
  if (type === "aws_s3_bucket") {
    const pinned = name === "bucket" ? "snapshots" : name.replace(/_bucket$/, "");
    const bucket = resourcesOf(json, type)[pinned];
    if (!bucket) throw new Error(`no aws_s3_bucket.${pinned}`);
    return bucket;
  }
  const hit = Object.entries(resourcesOf(json, type)).find(([n]) => n.startsWith(`snapshots_${name}_`));
  if (!hit) throw new Error(`no ${type} snapshots_${name}_*`);
  return hit[1];
}

describe("BackupBucket", () => {
  it("creates the snapshot and log buckets with stable construct ids", () => {
    const json = build();
    // Buckets hold data: their addresses are pinned names, not derived from the construct path.
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket")).sort()).toEqual(["logs", "snapshots"]);
    expect(part(json, "aws_s3_bucket", "bucket")).toEqual({ bucket: "snapshots-test" });
    expect(part(json, "aws_s3_bucket", "logs_bucket")).toEqual({ bucket: "snapshots-test-logs" });
  });

  it("versions the log bucket too, SSE-S3, with lifecycle expiring logs and their old versions", () => {
    const json = build({ logRetentionDays: 400 });
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket_versioning")).sort()).toEqual([
      expect.stringMatching(/^snapshots_logs_versioning_/),
      expect.stringMatching(/^snapshots_versioning_/),
    ]);
    expect(part(json, "aws_s3_bucket_server_side_encryption_configuration", "logs_encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(part(json, "aws_s3_bucket_lifecycle_configuration", "logs_lifecycle").rule[1]).toEqual({
      id: "expire-access-logs",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: 400 }],
      noncurrent_version_expiration: [{ noncurrent_days: 7 }],
    });
  });

  it("gives the replica its own access-log bucket in the replica region", () => {
    const json = build({}, true);
    const logging = Object.values(resourcesOf(json, "aws_s3_bucket_logging")) as any[];
    expect(logging).toHaveLength(2);
    const replicaLogging = part(json, "aws_s3_bucket_logging", "replica-access-logging");
    expect(replicaLogging.provider).toMatch(/^aws\./);
    expect(replicaLogging.target_prefix).toMatch(/^s3-access\//);
    expect(part(json, "aws_s3_bucket", "replica-logs_bucket").provider).toBe(replicaLogging.provider);
  });

  it("adds Object Lock only when asked, on a bucket created with it", () => {
    expect(resourcesOf(build(), "aws_s3_bucket_object_lock_configuration")).toEqual({});
    const json = build({ objectLock: { mode: "COMPLIANCE", days: 14 } });
    expect(part(json, "aws_s3_bucket", "bucket").object_lock_enabled).toBe(true);
    expect(onlyResource(json, "aws_s3_bucket_object_lock_configuration").rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 14 } });
  });

  it("replicates under the prefix with a role limited to both buckets and keys", () => {
    const json = build({}, true);
    const role = onlyResource(json, "aws_iam_role");
    expect(role.name).toBe("test-replication");
    const trust = policyDocumentStatements(json, role.assume_role_policy);
    expect(
      evaluatePolicy(trust, { action: "sts:AssumeRole", resource: "r", principal: { type: "Service", id: "s3.amazonaws.com" }, context: { "aws:SourceAccount": "111111111111" } }).decision,
    ).toBe("allow");
    expect(
      evaluatePolicy(trust, { action: "sts:AssumeRole", resource: "r", principal: { type: "Service", id: "s3.amazonaws.com" }, context: { "aws:SourceAccount": "999999999999" } }).decision,
    ).toBe("implicit-deny");
    const perms = policyDocumentStatements(json, onlyResource(json, "aws_iam_role_policy").policy);
    const allowed = (action: string, resource: string, context: Record<string, string> = {}) => evaluatePolicy(perms, { action, resource, context }).decision;
    expect(allowed("s3:GetObjectVersionForReplication", "arn:aws:s3:::snapshots-test/raft/x")).toBe("allow");
    expect(allowed("s3:ReplicateObject", "arn:aws:s3:::snapshots-test-replica/raft/x")).toBe("allow");
    expect(allowed("s3:ReplicateObject", "arn:aws:s3:::snapshots-test/raft/x")).toBe("implicit-deny");
    expect(allowed("s3:ReplicateDelete", "arn:aws:s3:::snapshots-test-replica/raft/x")).toBe("implicit-deny");
    expect(allowed("kms:Decrypt", KEY, { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe("allow");
    expect(allowed("kms:Encrypt", "arn:aws:kms:eu-west-1:111111111111:key/r", { "kms:ViaService": "s3.eu-west-1.amazonaws.com" })).toBe("allow");
    expect(allowed("kms:Encrypt", "arn:aws:kms:eu-west-1:111111111111:key/r", { "kms:ViaService": "s3.eu-west-2.amazonaws.com" })).toBe("implicit-deny");
    const onReplica: [string, string][] = [
      ["aws_s3_bucket", "replica_bucket"],
      ["aws_s3_bucket_versioning", "replica_versioning"],
      ["aws_s3_bucket_policy", "replica_policy"],
      ["aws_s3_bucket_public_access_block", "replica_public-access"],
      ["aws_s3_bucket_lifecycle_configuration", "replica_lifecycle"],
      ["aws_s3_bucket_server_side_encryption_configuration", "replica_encryption"],
    ];
    for (const [type, name] of onReplica) expect(part(json, type, name).provider).toBe("aws.replica");
    expect(part(json, "aws_s3_bucket", "replica_bucket").bucket).toBe("snapshots-test-replica");
  });

  it("fails if a bucket name breaks the S3 naming rules or names repeat", () => {
    expect(() => build({ bucketName: "Snapshots_Test" })).toThrow(/bucketName must follow the S3 bucket naming rules .*got Snapshots_Test/);
    expect(() => build({ logBucketName: "snapshots-test" })).toThrow(/bucket names must differ/);
    expect(() => build({ bucketName: "x".repeat(60) })).toThrow(/logBucketName must follow .*set backup.logBucket to a shorter name/);
  });

  it("fails if prefix, days, transition or replication region are invalid, listing every problem", () => {
    expect(() =>
      build({ snapshotPrefix: "raft/", retentionDays: 0, transition: { days: 40, storageClass: "GLACIER" } }),
    ).toThrow(/snapshotPrefix must be non-empty without a leading or trailing \/.*retentionDays must be a whole number of days >= 1 \(got 0\).*transition.days must be less than retentionDays/);
    expect(() => build({ retentionDays: 90, transition: { days: 10, storageClass: "STANDARD_IA" } })).toThrow(/at least 30 for STANDARD_IA/);
    const stack = new TerraformStack(Testing.app(), "test");
    const p = new AwsProvider(stack, "aws", { region: "eu-west-2" });
    expect(
      () =>
        new BackupBucket(stack, "snapshots", {
          ...base,
          replication: { bucketName: "r-bucket", region: "eu-west-2", provider: p, roleName: "r", encryption: { type: "aes256" } },
        }),
    ).toThrow(/replication.region must differ from the bucket's region eu-west-2/);
  });
});
