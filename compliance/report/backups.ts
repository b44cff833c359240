/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * The backup section of an environment's report, one row per bucket: encryption, versioning, public access block,
 * logging, Object Lock, replication, lifecycle and bucket policy; and every KMS key's rotation and deletion window.
 */
import { asList, type ResourceView, type StackView } from "../../synthesized/stack-view";
import { heading, paragraph, table, type Block } from "../../document/document";

const first = (v: any): any => (Array.isArray(v) ? v[0] : v);
const show = (v: unknown): string => (v === undefined ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));
const tick = (s: string) => `\`${s}\``;

/**
 * Replaces references the reader cannot look up with what they name, where the stack states it: a namespace's
 * name, a bucket's name. Other references stay as Terraform addresses.
 */
export function readable(stack: StackView, value: unknown): string {
  return show(value).replace(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[^}]*\}/g, (ref, address: string) => {
    const block = stack.resolve(ref);
    if (!block) return ref;
    const named = first(block.attributes.metadata)?.name ?? block.attributes.bucket ?? block.attributes.name;
    return typeof named === "string" ? named : address;
  });
}

function lifecycleText(lifecycle: ResourceView | undefined): string {
  if (!lifecycle) return "none";
  return asList(lifecycle.attributes.rule)
    .map((r: any) => {
      const actions = [
        r.abort_incomplete_multipart_upload && `abort incomplete uploads after ${first(r.abort_incomplete_multipart_upload).days_after_initiation} day(s)`,
        r.expiration && `expire after ${first(r.expiration).days} days`,
        r.noncurrent_version_expiration && `expire noncurrent versions after ${first(r.noncurrent_version_expiration).noncurrent_days} days`,
        ...asList(r.transition).map((t: any) => `transition to ${t.storage_class} after ${t.days} days`),
      ].filter(Boolean);
      return `${r.id} (${r.status}): ${actions.join(", ")}`;
    })
    .join("; ");
}

/** A bucket policy's statements in one line each: `Deny DenyInsecureTransport (s3:*, if Bool aws:SecureTransport false)`. */
function statementsText(doc: ResourceView | undefined): string {
  return asList(doc?.attributes.statement)
    .map((st: any) => {
      const principals = asList(st.principals).flatMap((p: any) => asList(p.identifiers).map((i: unknown) => (i === "*" ? "anyone" : readableArn(String(i)))));
      const conditions = asList(st.condition).map((c: any) => `${c.variable} ${c.test} ${asList(c.values).join(", ")}`);
      return `**${st.effect ?? "Allow"}** ${st.sid ?? ""} (${asList(st.actions).join(", ")}${principals.length ? ` for ${principals.join(", ")}` : ""}${conditions.length ? ` if ${conditions.join(" and ")}` : ""})`;
    })
    .join("; ");
}

const readableArn = (arn: string) => arn.replace(/^arn:aws[a-z-]*:iam::\d{12}:/, "").replace(/^\$\{aws_iam_role\.([^.]+)\.arn\}$/, "role $1");

export function backups(env: { readonly stacks: readonly StackView[] }): Block[] {
  const blocks: Block[] = [
    heading(3, "Backups"),
    paragraph("Every S3 bucket's protection, read from the resources that configure it; a bucket policy is enforced by S3 on every request, whoever makes it."),
  ];
  for (const stack of env.stacks) {
    const buckets = stack.of("aws_s3_bucket");
    const settings: string[][] = [];
    const rules: string[][] = [];
    for (const bucket of buckets) {
      const ref = (type: string) => stack.referencing(type, "bucket", bucket.address);
      const sse = ref("aws_s3_bucket_server_side_encryption_configuration")[0];
      const rule = first(sse?.attributes.rule);
      const byDefault = first(rule?.apply_server_side_encryption_by_default);
      const key = stack.resolve(byDefault?.kms_master_key_id);
      const versioning = first(ref("aws_s3_bucket_versioning")[0]?.attributes.versioning_configuration);
      const pab = ref("aws_s3_bucket_public_access_block")[0]?.attributes;
      const logging = ref("aws_s3_bucket_logging")[0]?.attributes;
      const lock = ref("aws_s3_bucket_object_lock_configuration")[0];
      const replication = ref("aws_s3_bucket_replication_configuration")[0];
      const policy = ref("aws_s3_bucket_policy")[0];
      const retention = first(first(lock?.attributes.rule)?.default_retention);
      const blocked = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      const name = tick(show(bucket.attributes.bucket));
      settings.push([
        name,
        byDefault ? `${byDefault.sse_algorithm}${key ? ` with ${tick(key.address)}` : byDefault.kms_master_key_id ? ` with ${byDefault.kms_master_key_id}` : ""}, bucket key ${rule?.bucket_key_enabled ? "on" : "off"}` : "**none configured**",
        versioning?.status ?? "**off**",
        pab ? (blocked.every((k) => pab[k] === true) ? "all four blocks on" : blocked.map((k) => `${k}=${pab[k]}`).join(", ")) : "**none**",
        `${lock ? `Object Lock: ${retention?.mode} for ${retention?.days} days` : "Object Lock: off"}; replication: ${replication ? asList(replication.attributes.rule).map((r: any) => `${r.status} to ${readable(stack, first(r.destination)?.bucket)}`).join("; ") : "off"}`,
        logging ? `to ${readable(stack, logging.target_bucket)} prefix ${show(logging.target_prefix)}` : "none",
      ]);
      const policyDoc = stack.resolve(policy?.attributes.policy);
      rules.push([name, lifecycleText(ref("aws_s3_bucket_lifecycle_configuration")[0]), policy ? `${tick(policy.address)}: ${statementsText(policyDoc)}` : "none"]);
    }
    if (settings.length > 0) blocks.push(
      table(["bucket", "default encryption", "versioning", "public access", "object lock, replication", "access logging"], settings),
      table(["bucket", "lifecycle", "bucket policy"], rules),
    );
    const keys = stack.of("aws_kms_key");
    if (keys.length > 0) {
      const aliases = stack.of("aws_kms_alias");
      blocks.push(
        heading(4, `KMS keys (${stack.id})`),
        table(
          ["key", "alias", "usage", "rotation", "deletion window"],
          keys.map((k) => [
            tick(k.address),
            aliases.filter((a) => stack.resolve(a.attributes.target_key_id)?.address === k.address).map((a) => a.attributes.name).join(", "),
            `${k.attributes.key_usage ?? "ENCRYPT_DECRYPT"} ${k.attributes.customer_master_key_spec ?? "SYMMETRIC_DEFAULT"}`,
            k.attributes.enable_key_rotation ? `on${k.attributes.rotation_period_in_days ? `, every ${k.attributes.rotation_period_in_days} days` : ""}` : "**off**",
            `${k.attributes.deletion_window_in_days ?? 30} days`,
          ]),
        ),
      );
    }
  }
  return blocks;
}

