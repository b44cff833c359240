/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * The Vault server sections of an environment's report: the audit devices (and what stops Vault if they fail) and the
 * TLS settings of every listener, Raft join and certificate.
 */
import { asList, blocksOf, helmValues, type StackView } from "../../synthesized/stack-view";
import { labelledBlocks } from "../packs/vault-server/vault-release";
import { parsedHcl } from "../../config/hcl";
import { heading, list, paragraph, table, type Block } from "../../document/document";
import { readable } from "./backups";

const first = (v: any): any => (Array.isArray(v) ? v[0] : v);
const show = (v: unknown): string => (v === undefined ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));
const tick = (s: string) => `\`${s}\``;

export function audit(env: { readonly stacks: readonly StackView[] }): Block[] {
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
    heading(3, "Audit devices"),
    table(["resource", "type", "path", "options"], rows),
    heading(4, "Where audit evidence lives"),
    list([
      ...devices.map(({ s, d }) => {
        const file = d.attributes.options?.file_path;
        if (d.attributes.type !== "file") return `device ${tick(String(d.attributes.path))}: ${d.attributes.type} ${show(d.attributes.options?.address)} (${s.id})`;
        return file === "stdout"
          ? `device ${tick(String(d.attributes.path))}: each Vault pod's standard output, kept as long as the cluster's log collection keeps it (${s.id})`
          : `device ${tick(String(d.attributes.path))}: ${tick(String(file))} on each Vault pod's audit volume, rotated on that volume (${s.id})`;
      }),
      ...offHost(env.stacks),
    ]),
    paragraph(
      `Vault refuses every request when no enabled audit device can write its entry. With ${devices.length} devices, ` +
        `Vault keeps serving while at least one of them writes; it stops serving only if ${devices.length === 1 ? "that device fails" : devices.length === 2 ? "both fail at once" : `all ${devices.length} fail at once`} ` +
        "(for example the audit volume is full and the log shipper is unreachable). Alert: VaultAuditLogRequestFailures.",
    ),
  ];
}

/** The off-host audit copy: the archive bucket a backup stack outputs, its lock, its key, and what writes to it. */
function offHost(stacks: readonly StackView[]): string[] {
  const out: string[] = [];
  for (const s of stacks) {
    const name = s.json.output?.audit_archive_bucket?.value;
    if (typeof name !== "string") continue;
    const bucket = s.of("aws_s3_bucket").find((b) => b.attributes.bucket === name);
    const ref = bucket ? `\${${bucket.address}.id}` : undefined;
    const lock = s.of("aws_s3_bucket_object_lock_configuration").find((l) => l.attributes.bucket === ref);
    const retention = first(first(lock?.attributes.rule)?.default_retention);
    const sse = s.of("aws_s3_bucket_server_side_encryption_configuration").find((e) => e.attributes.bucket === ref);
    const key = /^\$\{(aws_kms_key\.[^.]+)\.arn\}$/.exec(String(first(first(sse?.attributes.rule)?.apply_server_side_encryption_by_default)?.kms_master_key_id))?.[1];
    const writers = stacks.flatMap((c) => c.of("helm_release").flatMap((r) => asList(helmValues(r).server?.extraContainers).filter((x: any) => x?.name === "audit-shipper").map((x: any) => `${x.image} in each Vault pod (${c.id})`)));
    out.push(
      `off-host: ${tick(`s3://${name}/${s.json.output?.audit_archive_prefix?.value ?? ""}/`)}, Object Lock ${retention?.mode ?? "(none)"}, ${retention?.days ?? "?"} days ` +
        `(${tick(lock?.address ?? "no lock configuration")}): no one, the account root included, can delete an object or shorten its retention before then; ` +
        `SSE-KMS with ${tick(key ?? "(no key)")}, and the bucket policy refuses plain HTTP, TLS older than 1.2 and uploads without that key (${s.id}). ` +
        `Written by ${writers.length ? writers.join(", ") : "nothing in these stacks yet"}.`,
    );
  }
  return out;
}

export function tls(env: { readonly stacks: readonly StackView[] }): Block[] {
  const blocks: Block[] = [heading(3, "TLS")];
  for (const stack of env.stacks) {
    for (const release of stack.of("helm_release")) {
      const values = helmValues(release);
      const config = values.server?.ha?.raft?.config;
      const items = [`global.tlsDisable: ${show(values.global?.tlsDisable)} (${stack.id} ${tick(release.address)})`];
      if (typeof config === "string") {
        const parsed = parsedHcl(config);
        if (parsed.ok) {
          for (const l of labelledBlocks(parsed.value, "listener", "tcp")) {
            items.push(
              `listener tcp ${show(l.address)}: tls_disable=${show(l.tls_disable ?? false)}, tls_min_version=${show(l.tls_min_version)}, cert ${show(l.tls_cert_file)}, key ${show(l.tls_key_file)}, client CA ${show(l.tls_client_ca_file)}`,
            );
          }
          for (const j of labelledBlocks(parsed.value, "storage", "raft").flatMap((raft) => blocksOf(raft.retry_join))) items.push(`retry_join ${show(j.leader_api_addr)} verified with CA ${show(j.leader_ca_cert_file)} as ${show(j.leader_tls_servername)}`);
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

