/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * The backup sections of an environment's report: every S3 bucket's encryption, versioning, public access block,
 * logging, Object Lock, replication, lifecycle and bucket policy, and every KMS key's rotation and deletion window.
 */
import { asList, type ResourceView, type StackView } from "../../synthesized/stack-view";
import { heading, list, paragraph, table, type Block } from "../../document/document";

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

function statementRows(doc: ResourceView | undefined): string[][] {
  return asList(doc?.attributes.statement).map((st: any) => [
    st.sid ?? "",
    st.effect ?? "Allow",
    asList(st.principals).map((p: any) => `${p.type}: ${asList(p.identifiers).map(tick).join(", ")}`).join("; "),
    asList(st.actions).join(", "),
    asList(st.resources).map(tick).join(", "),
    asList(st.condition).map((c: any) => `${c.test} ${c.variable} ${asList(c.values).map((v: unknown) => tick(String(v))).join(", ")}`).join("; "),
  ]);
}

export function backups(env: { readonly stacks: readonly StackView[] }): Block[] {
  const blocks: Block[] = [heading(3, "Backups")];
  for (const stack of env.stacks) {
    for (const bucket of stack.of("aws_s3_bucket")) {
      const ref = (type: string) => stack.referencing(type, "bucket", bucket.address);
      const sse = ref("aws_s3_bucket_server_side_encryption_configuration")[0];
      const rule = first(sse?.attributes.rule);
      const byDefault = first(rule?.apply_server_side_encryption_by_default);
      const key = stack.resolve(byDefault?.kms_master_key_id);
      const versioning = first(ref("aws_s3_bucket_versioning")[0]?.attributes.versioning_configuration);
      const pab = ref("aws_s3_bucket_public_access_block")[0]?.attributes;
      const logging = ref("aws_s3_bucket_logging")[0]?.attributes;
      const lifecycle = ref("aws_s3_bucket_lifecycle_configuration")[0];
      const lock = ref("aws_s3_bucket_object_lock_configuration")[0];
      const replication = ref("aws_s3_bucket_replication_configuration")[0];
      const policy = ref("aws_s3_bucket_policy")[0];
      const policyDoc = stack.resolve(policy?.attributes.policy);
      blocks.push(heading(4, `Bucket ${show(bucket.attributes.bucket)}`), paragraph(`${stack.id} ${tick(bucket.address)}`));
      blocks.push(
        list([
          `Default encryption: ${byDefault ? `${byDefault.sse_algorithm}${key ? ` with ${tick(key.address)}` : byDefault.kms_master_key_id ? ` with ${byDefault.kms_master_key_id}` : ""}, bucket key ${rule?.bucket_key_enabled ? "on" : "off"}` : "**none configured**"} (${sse ? tick(sse.address) : "no resource"})`,
          `Versioning: ${versioning?.status ?? "**off**"}`,
          `Public access block: ${pab ? ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].map((k) => `${k}=${pab[k]}`).join(", ") : "**none**"}`,
          `Access logging: ${logging ? `to ${readable(stack, logging.target_bucket)} prefix ${show(logging.target_prefix)}` : "none"}`,
          `Object Lock: ${lock ? `${first(first(lock.attributes.rule)?.default_retention)?.mode} for ${first(first(lock.attributes.rule)?.default_retention)?.days} days (${tick(lock.address)})` : "off"}`,
          `Replication: ${replication ? asList(replication.attributes.rule).map((r: any) => `${r.status} to ${readable(stack, first(r.destination)?.bucket)}`).join("; ") : "off"}`,
        ]),
      );
      if (lifecycle) {
        blocks.push(
          table(
            ["lifecycle rule", "status", "filter", "action"],
            asList(lifecycle.attributes.rule).map((r: any) => [
              r.id,
              r.status,
              show(first(r.filter) ?? {}),
              [
                r.abort_incomplete_multipart_upload && `abort incomplete uploads after ${first(r.abort_incomplete_multipart_upload).days_after_initiation} day(s)`,
                r.expiration && `expire after ${first(r.expiration).days} days`,
                r.noncurrent_version_expiration && `expire noncurrent versions after ${first(r.noncurrent_version_expiration).noncurrent_days} days`,
                ...asList(r.transition).map((t: any) => `transition to ${t.storage_class} after ${t.days} days`),
              ]
                .filter(Boolean)
                .join("; "),
            ]),
          ),
        );
      }
      if (policy) {
        blocks.push(
          paragraph(`Bucket policy ${tick(policy.address)}${policyDoc ? ` from ${tick(policyDoc.address)}` : ""}: enforced by S3 on every request, whoever makes it.`),
          table(["sid", "effect", "principals", "actions", "resources", "conditions"], statementRows(policyDoc)),
        );
      }
    }
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

