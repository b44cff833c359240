/** The compliance report a reviewer signs off, built from synthesized stacks exactly as `npm run report` does. */
import { Testing } from "cdktf";
import { primeHcl } from "../../../config/hcl";
import { environmentReport } from "../../../compliance/report/build";
import { toHtml, toMarkdown } from "../../../document/document";
import { REPORT_SECTIONS } from "../../../compliance/report/sections";
import { hclTextsOf, StackView } from "../../../synthesized/stack-view";
import type { EnvironmentConfig } from "../../../config/schema";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../helpers";

async function report(config: EnvironmentConfig): Promise<string> {
  const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map(
    (s) => new StackView(s.node.id, synthJson(s)),
  );
  await primeHcl(stacks.flatMap(hclTextsOf));
  return toMarkdown(
    environmentReport({ environment: config.environment, stacks, suppressions: config.compliance.suppressions }, REPORT_SECTIONS),
  );
}

/** The lines of one `## <title>: <env>` section. */
function section(md: string, title: string): string {
  const start = md.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`no section ${title}`);
  const next = md.indexOf("\n## ", start + 3);
  return md.slice(start, next < 0 ? undefined : next);
}

describe("compliance report (prod)", () => {
  let md: string;
  beforeAll(async () => {
    md = await report(configFor("prod"));
  }, 60_000);

  it("summarises stacks, resource counts and rule outcomes, with no failure", () => {
    const summary = section(md, "Summary: prod");
    expect(summary).toMatch(/\| `vault-backup-prod` \| \d+ \| \d+ \| aws, aws\.replica \|/);
    expect(summary).toMatch(/\| `vault-cluster-prod` \| \d+ \| \d+ \| helm, kubernetes \|/);
    expect(summary).toMatch(/\*\*\d+ pass\*\*, \*\*3 suppressed\*\*, \*\*0 fail\*\*/);
  });

  it("lists every rule with its status and evidence, and every suppression with its reason", () => {
    const rules = section(md, "Compliance rules: prod");
    expect(rules).toMatch(/\| VLT-HA-001 \| high \| .* \| pass \| vault-cluster-prod `helm_release\.[^`]+` \| .*server\.ha\.replicas = 5/);
    expect(rules).toMatch(/\| AWS-S3-007 \| .* \| pass \|/);
    expect(rules).not.toMatch(/\| fail \|/);
    expect(rules).toMatch(/### Suppressions\n\n\| rule \| resource \| reason \| owner \| expires \|/);
    for (const s of configFor("prod").compliance.suppressions) {
      expect(rules).toMatch(new RegExp(`\\| ${s.rule} \\| \`${s.resource}\` \\| .* \\| ${s.owner} \\| ${s.expires} \\|`));
    }
    expect(rules).toMatch(/\| VCF-POL-001 \| `vault_policy\.policies_terraform-ci_[^`]+` \| terraform-ci is the identity that applies vault-config/);
    // The weaker choice that monitoring brings shows as such, with the config's reason.
    expect(rules).toMatch(/\| VLT-TEL-001 \| `helm_release\.vault_release_[^`]+` \| monitoring is on in prod: Prometheus scrapes/);
  });

  it("answers 'are backups encrypted and where is that enforced?'", () => {
    const backups = section(md, "Backups: prod");
    expect(backups).toMatch(/Default encryption: aws:kms with `aws_kms_key\.backup-key_[^`]+`, bucket key on/);
    expect(backups).toMatch(/Bucket policy `aws_s3_bucket_policy\.[^`]+` from `data\.aws_iam_policy_document\.[^`]+`: enforced by S3 on every request/);
    for (const sid of ["DenyInsecureTransport", "DenyOutdatedTls", "DenyUnencryptedObjectUploads", "DenyWrongKmsKey"]) {
      expect(backups).toContain(`| ${sid} | Deny |`);
    }
    expect(backups).toContain("Object Lock: GOVERNANCE for 7 days");
    expect(backups).toContain("Replication: Enabled to arn:aws:s3:::vault-platform-prod-raft-snapshots-replica");
    expect(backups).toContain("| expire-snapshots | Enabled |");
    expect(backups).toMatch(/\| `aws_kms_key\.unseal-key_[^`]+` \| alias\/vault-prod-unseal \| ENCRYPT_DECRYPT SYMMETRIC_DEFAULT \| on \| 30 days \|/);
  });

  it("answers 'what would stop Vault from serving if audit fails?'", () => {
    const audit = section(md, "Audit devices: prod");
    expect(audit).toContain("| file | file | file_path=/vault/audit/audit.log");
    expect(audit).toContain("| file | stdout | file_path=stdout");
    expect(audit).toContain("it stops serving only if both fail at once");
  });

  it("shows the TLS settings of every listener, every Raft join and the certificate names", () => {
    const tls = section(md, "TLS: prod");
    expect(tls).toContain("global.tlsDisable: false");
    expect(tls).toContain("tls_min_version=tls13");
    expect(tls.match(/retry_join https:\/\/vault-\d\.vault-internal:8200 verified with CA/g)).toHaveLength(5);
    expect(tls).toContain("`vault-active.vault.svc`");
    expect(tls).toContain("`vault.platform.example.com`");
  });

  it("answers 'who can read this path?' and lists every role with bindings, TTLs and policies", () => {
    const who = section(md, "Who can do what: prod");
    expect(who).toMatch(/\| `kubernetes\/phoenix-guardian-app` \+ default \| kubernetes \| bound_service_account_names: phoenix-guardian; bound_service_account_namespaces: phoenix-guardian; audience: vault \| 1h \| 4h \| n\/a \| phoenix-guardian-app \|/);
    expect(who).toMatch(/\| `approle\/checktick-app` \+ default \| approle \| .* \| 1h \| 8h \| 90d \| checktick-app \|/);
    expect(who).toMatch(/Who can do what, by path: prod/);
    // By path, the read column: only the application and the break-glass admin can read its API secrets.
    expect(who).toContain("| `phoenix-guardian/data/api/*` | `jwt/platform-admin`, `kubernetes/phoenix-guardian-app` | `jwt/platform-admin` |");
  });

  it("carries every policy's full text", async () => {
    const policies = section(md, "Policies: prod");
    expect(policies).toContain('### raft-snapshot\n\n```hcl\n# The Raft snapshot CronJob: take a snapshot, nothing else.\npath "sys/storage/raft/snapshot" {');
    expect(policies.match(/^### /gm)).toHaveLength((await defaultPolicies()).size);
  });
});

describe("compliance report with SSE-S3 backups (the weaker choice)", () => {
  it("shows the choice as a suppressed finding with the config's reason", async () => {
    const reason = "parity with the CheckTick runbook until its buckets move to SSE-KMS";
    let config = configFor("dev", (raw) => {
      raw.backup.encryption = "aes256";
      raw.backup.encryptionReason = reason;
    });
    const bucket = Object.keys(
      synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).backup).resource.aws_s3_bucket,
    ).find((n) => n.startsWith("snapshots_bucket_"));
    config = configFor("dev", (raw) => {
      raw.backup.encryption = "aes256";
      raw.backup.encryptionReason = reason;
      raw.compliance.suppressions.push({ rule: "AWS-S3-002", resource: `aws_s3_bucket.${bucket}`, reason, owner: "platform-team", expires: "2099-12-31" });
    });
    const md = await report(config);
    expect(section(md, "Backups: dev")).toMatch(/Default encryption: AES256, bucket key off/);
    expect(section(md, "Compliance rules: dev")).toContain(`| AWS-S3-002 | \`aws_s3_bucket.${bucket}\` | ${reason} | platform-team | 2099-12-31 |`);
  }, 60_000);
});

describe("HTML rendering", () => {
  it("is one self-contained page: inline style, no script, no external resource, escaped content", () => {
    const html = toHtml("t", [
      { kind: "heading", level: 1, text: "Report" },
      { kind: "heading", level: 2, text: "Summary: dev" },
      { kind: "table", header: ["rule", "status"], rows: [["VLT-TLS-001", "pass"], ["X", "fail"]] },
      { kind: "code", language: "hcl", text: 'path "a/<b>" {}' },
    ]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<style>");
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html).toContain('<a href="#summary-dev">Summary: dev</a>');
    expect(html).toContain('<td class="pass">pass</td>');
    expect(html).toContain('<td class="fail">fail</td>');
    expect(html).toContain("path &quot;a/&lt;b&gt;&quot; {}");
  });
});
