/** Hand-written stack JSON for the AWS rule tests: a compliant snapshot bucket, its log bucket, a KMS key, IRSA roles. */
import { StackView } from "../../../../synthesized/stack-view";

const SNAP = "aws_s3_bucket.snap";
const LOGS = "aws_s3_bucket.logs";

const tlsDeny = (bucket: string) => ({
  sid: "DenyInsecureTransport",
  effect: "Deny",
  actions: ["s3:*"],
  principals: [{ type: "*", identifiers: ["*"] }],
  resources: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
});

/** A compliant stack; `edit` changes a fresh copy before the view is built. */
export function awsStack(edit?: (json: any) => void): StackView {
  const json: any = {
    resource: {
      aws_s3_bucket: { snap: { bucket: "snaps" }, logs: { bucket: "snaps-logs" } },
      aws_kms_key: {
        key: {
          customer_master_key_spec: "SYMMETRIC_DEFAULT",
          enable_key_rotation: true,
          deletion_window_in_days: 30,
          policy: "${data.aws_iam_policy_document.key-policy.json}",
        },
      },
      aws_s3_bucket_versioning: {
        snap: { bucket: `\${${SNAP}.id}`, versioning_configuration: { status: "Enabled" } },
        logs: { bucket: `\${${LOGS}.id}`, versioning_configuration: [{ status: "Enabled" }] },
      },
      aws_s3_bucket_server_side_encryption_configuration: {
        snap: {
          bucket: `\${${SNAP}.id}`,
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" } }],
        },
        logs: { bucket: `\${${LOGS}.id}`, rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] },
      },
      aws_s3_bucket_public_access_block: Object.fromEntries(
        [SNAP, LOGS].map((b) => [
          b.split(".")[1],
          { bucket: `\${${b}.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        ]),
      ),
      aws_s3_bucket_ownership_controls: Object.fromEntries(
        [SNAP, LOGS].map((b) => [b.split(".")[1], { bucket: `\${${b}.id}`, rule: { object_ownership: "BucketOwnerEnforced" } }]),
      ),
      aws_s3_bucket_logging: {
        snap: { bucket: `\${${SNAP}.id}`, target_bucket: `\${${LOGS}.id}`, target_prefix: "s3-access/" },
      },
      aws_s3_bucket_lifecycle_configuration: Object.fromEntries(
        [SNAP, LOGS].map((b) => [
          b.split(".")[1],
          {
            bucket: `\${${b}.id}`,
            rule: [
              { id: "abort", status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] },
              { id: "expire", status: "Enabled", filter: [{ prefix: "raft/" }], expiration: [{ days: 30 }] },
            ],
          },
        ]),
      ),
      aws_s3_bucket_policy: {
        snap: { bucket: `\${${SNAP}.id}`, policy: "${data.aws_iam_policy_document.snap-policy.json}" },
        logs: { bucket: `\${${LOGS}.id}`, policy: "${data.aws_iam_policy_document.logs-policy.json}" },
      },
      aws_iam_role: {
        writer: { assume_role_policy: "${data.aws_iam_policy_document.writer-trust.json}" },
        replication: { assume_role_policy: "${data.aws_iam_policy_document.service-trust.json}" },
      },
      aws_iam_role_policy: {
        writer: { role: "${aws_iam_role.writer.id}", policy: "${data.aws_iam_policy_document.writer-permissions.json}" },
      },
    },
    data: {
      aws_iam_policy_document: {
        "snap-policy": {
          statement: [
            tlsDeny("snaps"),
            {
              sid: "DenyUnencryptedObjectUploads",
              effect: "Deny",
              actions: ["s3:PutObject"],
              principals: [{ type: "*", identifiers: ["*"] }],
              resources: ["${aws_s3_bucket.snap.arn}/*"],
              condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] }],
            },
          ],
        },
        "logs-policy": { statement: [tlsDeny("snaps-logs")] },
        "key-policy": {
          statement: [
            {
              sid: "KeyAdministration",
              actions: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DescribeKey"],
              principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/platform-admin"] }],
              resources: ["*"],
            },
            {
              sid: "SnapshotWriter",
              actions: ["kms:GenerateDataKey"],
              principals: [{ type: "AWS", identifiers: ["${aws_iam_role.writer.arn}"] }],
              resources: ["*"],
            },
          ],
        },
        "writer-permissions": {
          statement: [
            { sid: "PutSnapshots", actions: ["s3:PutObject"], resources: ["arn:aws:s3:::snaps/raft/*"] },
            { sid: "EncryptSnapshots", actions: ["kms:GenerateDataKey"], resources: ["${aws_kms_key.key.arn}"] },
            { sid: "WhoAmI", actions: ["sts:GetCallerIdentity"], resources: ["*"] },
          ],
        },
        "writer-trust": {
          statement: [
            {
              actions: ["sts:AssumeRoleWithWebIdentity"],
              principals: [{ type: "Federated", identifiers: ["arn:aws:iam::111111111111:oidc-provider/oidc.eks.example/id/ABC"] }],
              condition: [
                { test: "StringEquals", variable: "oidc.eks.example/id/ABC:sub", values: ["system:serviceaccount:vault:vault-raft-snapshot"] },
                { test: "StringEquals", variable: "oidc.eks.example/id/ABC:aud", values: ["sts.amazonaws.com"] },
              ],
            },
          ],
        },
        "service-trust": {
          statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }] }],
        },
      },
    },
  };
  edit?.(json);
  return new StackView("vault-backup-test", json);
}

/** The block at `address` of `view`; throws when absent (a broken fixture). */
export function blockOf(view: StackView, address: string) {
  const found = view.all().find((b) => b.address === address);
  if (!found) throw new Error(`fixture has no ${address}`);
  return found;
}

export const snap = (view: StackView) => blockOf(view, SNAP);
export const logs = (view: StackView) => blockOf(view, LOGS);
