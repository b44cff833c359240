/** The compliance report a reviewer signs off, built from synthesized stacks exactly as `npm run report` does. */
import { Testing } from "cdktf";
import { complianceReport } from "../../../compliance/report/build";
import { toMarkdown } from "../../../document/document";
import { REPORT_SECTIONS } from "../../../compliance/report/sections";
import { StackView } from "../../../synthesized/stack-view";
import type { EnvironmentConfig } from "../../../config/schema";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../helpers";
import { ALL_PACKS } from "../../../compliance/packs";
import { accessModel } from "../../../access/model";

const NOW = new Date("2026-11-26T12:00:00Z");
const PROVENANCE = { commit: "0123456789abcdef0123456789abcdef01234567", committedAt: "2026-11-26T10:00:00+00:00", dirty: false, synthesizedAt: "2026-11-26T11:00:00.000Z" };

async function stacksOf(config: EnvironmentConfig): Promise<StackView[]> {
  const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map((s) => new StackView(s.node.id, synthJson(s)));
  return stacks;
}

async function report(config: EnvironmentConfig): Promise<string> {
  const env = { environment: config.environment, stacks: await stacksOf(config), suppressions: config.compliance.suppressions };
  return toMarkdown(complianceReport([env], REPORT_SECTIONS, PROVENANCE, NOW));
}

/** The text under one heading (`### Backups`), up to the next heading of the same or a higher level (outside code). */
function section(md: string, title: string): string {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, "") === title);
  if (start < 0) throw new Error(`no section ${title}`);
  const level = lines[start].indexOf(" ");
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith("```")) fenced = !fenced;
    const m = /^(#+) /.exec(lines[i]);
    if (!fenced && m && m[1].length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join("\n");
}

describe("compliance report (prod)", () => {
  let md: string;
  let stacks: StackView[];
  beforeAll(async () => {
    stacks = await stacksOf(configFor("prod"));
    md = toMarkdown(complianceReport([{ environment: "prod", stacks, suppressions: configFor("prod").compliance.suppressions }], REPORT_SECTIONS, PROVENANCE, NOW));
  }, 60_000);

  it("opens with the summary: commit and times, rules by severity, stacks and resource counts", () => {
    expect(md.indexOf("## Summary")).toBeLessThan(md.indexOf("## Environment prod"));
    const summary = section(md, "Summary");
    expect(summary).toContain(`commit \`${PROVENANCE.commit}\` (committed 2026-11-26 10:00:00 UTC), synthesized 2026-11-26 11:00:00 UTC`);
    // Suppressed rules by severity, derived from the config's suppressions.
    const suppressedRules = new Set(configFor("prod").compliance.suppressions.map((s) => s.rule));
    const rules = ALL_PACKS.flatMap((p) => p.rules);
    for (const severity of ["critical", "high", "medium", "low"]) {
      const n = rules.filter((r) => r.severity === severity && suppressedRules.has(r.id)).length;
      expect(summary).toMatch(new RegExp(`\\| ${severity} \\| 0 failed · ${n} suppressed · \\d+ passed · \\d+ n/a \\|`));
    }
    expect(summary).toMatch(new RegExp(`\\| \\*\\*all rules\\*\\* \\| 0 failed · ${suppressedRules.size} suppressed · \\d+ passed · \\d+ n/a \\|`));
    expect(summary).toMatch(/\| prod \| `vault-backup-prod` \| \d+ \| \d+ \| aws, aws\.replica \|/);
    expect(summary).toMatch(/\| prod \| `vault-cluster-prod` \| \d+ \| \d+ \| helm, kubernetes \|/);
  });

  it("lists every rule with severity and status, and the evidence, rationale and fix of each that is not a plain pass", () => {
    const rules = section(md, "Compliance rules");
    const suppressedRules = new Set(configFor("prod").compliance.suppressions.map((s) => s.rule));
    for (const rule of ALL_PACKS.flatMap((p) => p.rules)) {
      const id = suppressedRules.has(rule.id) ? `[${rule.id}](#prod--rule-${rule.id.toLowerCase()})` : rule.id;
      expect(rules).toContain(`| ${id} ${rule.severity} | ${rule.title} |`);
    }
    expect(rules).not.toMatch(/\| fail \|/);
    const evidence = section(md, "Evidence of what is not a plain pass");
    for (const id of suppressedRules) {
      const rule = ALL_PACKS.flatMap((p) => p.rules).find((r) => r.id === id)!;
      expect(evidence).toContain(`**Why:** ${rule.rationale} **Fix:** ${rule.fix}`);
    }
    expect(evidence).toMatch(/^- \*\*SUPPRESSED\*\* vault-cluster-prod `helm_release\.[^`]+`: .*unauthenticated_metrics_access = true/m);
    expect(evidence).not.toMatch(/\*\*PASS\*\*/);
  });

  it("lists every suppression with its reason, owner and expiry", () => {
    const suppressions = section(md, "Suppressions");
    expect(suppressions).toContain("| rule | resource | reason | owner | approver | expires |");
    for (const s of configFor("prod").compliance.suppressions) {
      const days = Math.round((Date.parse(s.expires) - Date.parse("2026-11-26")) / 86_400_000);
      expect(suppressions).toContain(`\`${s.resource}\` | ${s.reason} | ${s.owner} | ${s.approver} | ${s.expires} (${days} days left) |`);
    }
    // The weaker choice that monitoring brings shows as such, with the config's reason.
    expect(suppressions).toMatch(/\| \[VLT-TEL-001\]\(#prod--rule-vlt-tel-001\) \| vault-cluster-prod `helm_release\.vault_release_[^`]+` \| monitoring is on in prod/);
  });

  it("answers 'are backups encrypted and where is that enforced?'", () => {
    const backups = section(md, "Backups");
    expect(backups).toMatch(/\| `vault-platform-prod-raft-snapshots` \| aws:kms with `aws_kms_key\.backup-key`, bucket key on \| Enabled \| all four blocks on \| Object Lock: GOVERNANCE for 7 days; replication: Enabled to arn:aws:s3:::vault-platform-prod-raft-snapshots-replica \|/);
    const policy = backups.split("\n").find((l) => l.startsWith("| `vault-platform-prod-raft-snapshots` | abort"))!;
    expect(policy).toMatch(/`aws_s3_bucket_policy\.[^`]+`: /);
    for (const sid of ["DenyInsecureTransport", "DenyOutdatedTls", "DenyUnencryptedObjectUploads", "DenyWrongKmsKey"]) expect(policy).toContain(`**Deny** ${sid} (`);
    expect(policy).toContain("expire-snapshots (Enabled): expire after");
    expect(backups).toMatch(/\| `aws_kms_key\.unseal-key` \| alias\/vault-prod-unseal \| ENCRYPT_DECRYPT SYMMETRIC_DEFAULT \| on \| 30 days \|/);
  });

  it("answers 'what would stop Vault from serving if audit fails?'", () => {
    const audit = section(md, "Audit devices");
    expect(audit).toContain("| file | file | file_path=/vault/audit/audit.log");
    expect(audit).toContain("| file | stdout | file_path=stdout");
    expect(audit).toContain("it stops serving only if both fail at once");
  });

  it("shows the TLS settings of every listener, every Raft join and the certificate names", () => {
    const tls = section(md, "TLS");
    expect(tls).toContain("global.tlsDisable: false");
    expect(tls).toContain("tls_min_version=tls13");
    expect(tls.match(/retry_join https:\/\/vault-\d\.vault-internal:8200 verified with CA/g)).toHaveLength(5);
    expect(tls).toContain("`vault-active.vault.svc`");
    expect(tls).toContain("`vault-active.vault.svc`");
  });

  it("lists every role with bindings, TTLs and policies", () => {
    const who = section(md, "Roles, logins and policies");
    // The audience the role checks depends on the application's token source (config), so it is read from the role.
    const role = stacks.flatMap((s) => s.of("vault_kubernetes_auth_backend_role")).find((r) => r.attributes.role_name === "phoenix-guardian-app");
    expect(typeof role?.attributes.audience).toBe("string");
    expect(who).toContain(
      `| \`kubernetes/phoenix-guardian-app\` + default | kubernetes | bound_service_account_names: phoenix-guardian; bound_service_account_namespaces: phoenix-guardian; audience: ${role?.attributes.audience} | 1h | 4h | n/a | phoenix-guardian-app |`,
    );
    expect(who).toMatch(/\| `approle\/checktick-app` \+ default \| approle \| .* \| 1h \| 8h \| 90d \| checktick-app \|/);
  });

  it("lists every synthesized policy with the roles that carry it", async () => {
    const policies = section(md, "Policies");
    const model = accessModel({ environment: "prod", stacks });
    for (const name of (await defaultPolicies()).keys()) {
      const carriers = model.roles.filter((r) => r.policies.includes(name)).map((r) => `\`${r.key}\``).join(", ") || "no role";
      const row = policies.split("\n").find((l) => l.startsWith(`| \`${name}\` |`))!;
      expect(row).toMatch(/^\| `[^`]+` \| vault-config-prod `vault_policy\.[^`]+` \| /);
      expect(row.split(" | ")[2]).toBe(carriers);
    }
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
    ).find((n) => n === "snapshots");
    config = configFor("dev", (raw) => {
      raw.backup.encryption = "aes256";
      raw.backup.encryptionReason = reason;
      raw.compliance.suppressions.push({ rule: "AWS-S3-002", resource: `aws_s3_bucket.${bucket}`, reason, owner: "platform-team", expires: "2099-12-31" });
    });
    const md = await report(config);
    expect(section(md, "Backups")).toMatch(/\| AES256, bucket key off \|/);
    expect(section(md, "Suppressions")).toMatch(new RegExp(`\\| \\[AWS-S3-002\\]\\(#dev--rule-aws-s3-002\\) \\| vault-backup-dev \`aws_s3_bucket\\.${bucket}\` \\| ${reason} \\| platform-team \\| \\*\\*none recorded\\*\\* \\| 2099-12-31 \\(\\d+ days left\\) \\|`));
  }, 60_000);
});

describe("compliance report of several environments", () => {
  it("shows prod in full and dev only as its differences from prod", async () => {
    const envs = await Promise.all(
      (["dev", "prod"] as const).map(async (e) => ({
        environment: e,
        stacks: await stacksOf(configFor(e)),
        suppressions: configFor(e).compliance.suppressions,
        // As synth records them in the platform manifest.
        tenants: configFor(e).applications.map((a) => ({ name: a.name, method: a.auth.method, role: a.auth.role, ownedPaths: a.ownedPaths })),
      })),
    );
    const md = toMarkdown(complianceReport(envs, REPORT_SECTIONS, PROVENANCE, NOW));
    expect(md.indexOf("## Environment prod")).toBeLessThan(md.indexOf("## Environment dev: differences from prod"));
    const dev = md.slice(md.indexOf("## Environment dev: differences from prod"));
    // A section the two synthesize alike is named, not repeated; one that differs shows only its differing rows.
    expect(dev).toMatch(/The same as in prod: [^\n]*Roles, logins and policies/);
    expect(dev).not.toContain("### Roles, logins and policies");
    // Its tenants too: dev's tenant access is compared with prod's, and named when alike.
    const tenants = configFor("dev").applications.map((a) => a.name);
    expect(tenants.length).toBeGreaterThan(0);
    const same = /The same as in prod: ([^\n]*)\./.exec(dev)![1];
    for (const t of tenants) expect(same.includes(`${t} (dev)`) || dev.includes(`### ${t} (dev): differences from prod`)).toBe(true);
    const devKeys = new Set(envs[0].stacks.flatMap((s) => s.of("aws_kms_key")).map((k) => k.address));
    const onlyProd = envs[1].stacks.flatMap((s) => s.of("aws_kms_key")).map((k) => k.address).filter((k) => !devKeys.has(k));
    expect(onlyProd.length).toBeGreaterThan(0);
    for (const only of onlyProd) expect(dev.split("\n").some((l) => l.startsWith(`| \`${only}\` |`) && l.endsWith("| only in prod |"))).toBe(true);
    expect(dev.length).toBeLessThan(md.slice(md.indexOf("## Environment prod"), md.indexOf("## Environment dev")).length / 2);
  }, 60_000);
});
