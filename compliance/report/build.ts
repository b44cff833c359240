/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * Builds the compliance report of one environment from its synthesized stacks: what a reviewer signs off
 * without reading TypeScript. Every statement carries the resource address it was read from.
 */
import { evaluateStack, type Finding, type Suppression } from "../evaluate";
import { ALL_PACKS } from "../packs";
import { asList, helmValues, type ResourceView, type StackView } from "../../synthesized/stack-view";
import { parsedHcl } from "../../config/hcl";
import { code, heading, list, paragraph, table, type Block } from "../../document/document";

export interface EnvironmentInput {
  readonly environment: string;
  readonly stacks: readonly StackView[];
  readonly suppressions: readonly Suppression[];
}

/** Extra sections contributed by other analyses (the access matrix), appended per environment. */
export type SectionProvider = (env: EnvironmentInput) => Block[];

const first = (v: any): any => (Array.isArray(v) ? v[0] : v);
const show = (v: unknown): string => (v === undefined ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));
const tick = (s: string) => `\`${s}\``;

/**
 * Replaces references the reader cannot look up with what they name, where the stack states it: a namespace's
 * name, a bucket's name. Other references stay as Terraform addresses.
 */
function readable(stack: StackView, value: unknown): string {
  return show(value).replace(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[^}]*\}/g, (ref, address: string) => {
    const block = stack.resolve(ref);
    if (!block) return ref;
    const named = first(block.attributes.metadata)?.name ?? block.attributes.bucket ?? block.attributes.name;
    return typeof named === "string" ? named : address;
  });
}

function summary(env: EnvironmentInput, findings: Finding[]): Block[] {
  const rows = env.stacks.map((s) => {
    const count = (pred: (r: ResourceView) => boolean) => s.all().filter(pred).length;
    return [
      tick(s.id),
      String(count((r) => !r.type.startsWith("data.") && !r.type.startsWith("provider."))),
      String(count((r) => r.type.startsWith("data."))),
      s.of(...s.all().filter((r) => r.type.startsWith("provider.")).map((r) => r.type)).map((r) => r.name).join(", "),
    ];
  });
  const failed = findings.filter((f) => f.outcome.status === "non-compliant" && !f.suppression).length;
  const suppressed = findings.filter((f) => f.suppression).length;
  const passed = findings.filter((f) => f.outcome.status === "compliant").length;
  return [
    heading(2, `Summary: ${env.environment}`),
    table(["stack", "resources", "data sources", "providers"], rows),
    paragraph(
      `Rule checks: **${passed} pass**, **${suppressed} suppressed**, **${failed} fail** ` +
        `(${ALL_PACKS.reduce((n, p) => n + p.rules.length, 0)} rules in ${ALL_PACKS.length} packs). ` +
        (failed === 0 ? "Synth would refuse any failing check, so none can reach a plan." : "These failures block synth."),
    ),
  ];
}

function rules(env: EnvironmentInput, findings: Finding[]): Block[] {
  const blocks: Block[] = [heading(2, `Compliance rules: ${env.environment}`)];
  for (const pack of ALL_PACKS) {
    const rows: string[][] = [];
    for (const rule of pack.rules) {
      const mine = findings.filter((f) => f.rule.id === rule.id);
      if (mine.length === 0) rows.push([rule.id, rule.severity, rule.title, "n/a", "-", "no resource of this kind in this environment"]);
      for (const f of mine) {
        const status = f.outcome.status === "compliant" ? "pass" : f.suppression ? "suppressed" : "fail";
        const detail =
          f.outcome.status === "compliant"
            ? f.outcome.evidence
            : f.suppression
              ? `${f.outcome.found}. Suppressed: ${f.suppression.reason}`
              : `${f.outcome.found}. Fix: ${rule.fix}`;
        rows.push([rule.id, rule.severity, rule.title, status, `${f.stack} ${tick(f.address)}`, detail]);
      }
    }
    blocks.push(heading(3, pack.name), table(["rule", "severity", "title", "status", "resource", "evidence"], rows));
  }
  const suppressed = findings.filter((f) => f.suppression);
  blocks.push(
    heading(3, "Suppressions"),
    suppressed.length === 0
      ? paragraph("None: every rule passes without exception in this environment.")
      : table(
          ["rule", "resource", "reason", "owner", "expires"],
          suppressed.map((f) => [f.rule.id, tick(f.address), f.suppression!.reason, f.suppression!.owner, f.suppression!.expires]),
        ),
  );
  return blocks;
}

function statementRows(doc: ResourceView | undefined): string[][] {
  return asList(doc?.attributes.statement).map((st: any) => [
    st.sid ?? "",
    st.effect ?? "Allow",
    asList(st.principals).map((p: any) => `${p.type}: ${asList(p.identifiers).join(", ")}`).join("; "),
    asList(st.actions).join(", "),
    asList(st.resources).join(", "),
    asList(st.condition).map((c: any) => `${c.test} ${c.variable} ${asList(c.values).join(", ")}`).join("; "),
  ]);
}

function backups(env: EnvironmentInput): Block[] {
  const blocks: Block[] = [heading(2, `Backups: ${env.environment}`)];
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
      blocks.push(heading(3, `Bucket ${show(bucket.attributes.bucket)}`), paragraph(`${stack.id} ${tick(bucket.address)}`));
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
        heading(3, `KMS keys (${stack.id})`),
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

function audit(env: EnvironmentInput): Block[] {
  const devices = env.stacks.flatMap((s) => s.of("vault_audit").map((d) => ({ s, d })));
  const rows = devices.map(({ s, d }) => [
    `${s.id} ${tick(d.address)}`,
    d.attributes.type,
    show(d.attributes.path),
    Object.entries(d.attributes.options ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(", "),
  ]);
  return [
    heading(2, `Audit devices: ${env.environment}`),
    table(["resource", "type", "path", "options"], rows),
    paragraph(
      `Vault refuses every request when no enabled audit device can write its entry. With ${devices.length} devices, ` +
        `Vault keeps serving while at least one of them writes; it stops serving only if ${devices.length === 1 ? "that device fails" : devices.length === 2 ? "both fail at once" : `all ${devices.length} fail at once`} ` +
        "(for example the audit volume is full and the log shipper is unreachable). Alert: VaultAuditLogRequestFailures.",
    ),
  ];
}

function tls(env: EnvironmentInput): Block[] {
  const blocks: Block[] = [heading(2, `TLS: ${env.environment}`)];
  for (const stack of env.stacks) {
    for (const release of stack.of("helm_release")) {
      const values = helmValues(release);
      const config = values.server?.ha?.raft?.config;
      const items = [`global.tlsDisable: ${show(values.global?.tlsDisable)} (${stack.id} ${tick(release.address)})`];
      if (typeof config === "string") {
        const parsed = parsedHcl(config);
        if (parsed.ok) {
          for (const l of asList((parsed.value.listener as any)?.tcp)) {
            items.push(
              `listener tcp ${show(l.address)}: tls_disable=${show(l.tls_disable ?? false)}, tls_min_version=${show(l.tls_min_version)}, cert ${show(l.tls_cert_file)}, key ${show(l.tls_key_file)}, client CA ${show(l.tls_client_ca_file)}`,
            );
          }
          const raft = first((parsed.value.storage as any)?.raft);
          for (const j of asList(raft?.retry_join)) items.push(`retry_join ${show(j.leader_api_addr)} verified with CA ${show(j.leader_ca_cert_file)} as ${show(j.leader_tls_servername)}`);
        }
      }
      blocks.push(list(items));
    }
    for (const m of stack.of("kubernetes_manifest")) {
      const manifest = m.attributes.manifest;
      if (manifest?.kind === "Certificate") {
        blocks.push(
          paragraph(`cert-manager Certificate ${tick(m.address)} issued by ${show(manifest.spec?.issuerRef?.kind)} ${show(manifest.spec?.issuerRef?.name)} into Secret ${show(manifest.spec?.secretName)}, renewed ${show(manifest.spec?.renewBefore)} before expiry:`),
          list([...asList(manifest.spec?.dnsNames), ...asList(manifest.spec?.ipAddresses)].map((n) => tick(readable(stack, n)))),
        );
      }
    }
  }
  return blocks;
}

function policies(env: EnvironmentInput): Block[] {
  const blocks: Block[] = [heading(2, `Policies: ${env.environment}`)];
  for (const s of env.stacks) {
    for (const p of s.of("vault_policy")) blocks.push(heading(3, `${p.attributes.name}`), code("hcl", String(p.attributes.policy)));
  }
  return blocks;
}

export function environmentReport(env: EnvironmentInput, extra: readonly SectionProvider[] = []): Block[] {
  const findings = env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions));
  return [
    ...summary(env, findings),
    ...rules(env, findings),
    ...backups(env),
    ...audit(env),
    ...tls(env),
    ...extra.flatMap((provide) => provide(env)),
    ...policies(env),
  ];
}
