/**
 * Identities equivalent to an administrator (#21 point 4), on a real synth of the committed configs: the real
 * `access who` command lists them for any path, decided by the ACL evaluator; tenants (the config's applications)
 * are never listed, and a tenant given one control-plane write is.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminEquivalents, protectionOf } from "../../access/escalation";
import { type AccessModel, loadAccessModels } from "../../access/model";
import { parseAclPolicy } from "../../access/acl/policy";
import { configFor } from "../helpers";
import { runScript, runSynth } from "../synth-process";

let out: string;
let models: AccessModel[];

beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), "vault-platform-escalation-")), "cdktf.out");
  const r = await runSynth({ CDKTF_OUTDIR: out }, { timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  models = await loadAccessModels(out);
}, 150_000);

/** Role names of the table under the escalation heading of `who`'s output. */
function escalatedRoles(markdown: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^### Also anything on .*by escalation/.test(l));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (line.startsWith("| ") && !line.startsWith("| ---") && !line.startsWith("| environment")) rows.push(line.slice(2, -2).split(" | "));
  }
  return rows;
}

describe.each(["dev", "prod"] as const)("%s", (env) => {
  const config = configFor(env);

  it("`access who` on a tenant's path lists terraform-ci as able to do anything there by escalation, with what protects it", async () => {
    const tenant = config.applications.find((a) => a.ownedPaths.length > 0)!;
    const path = tenant.ownedPaths[0].replace(/\/$/, "/data/some-secret");
    const r = await runScript("access/cli.ts", ["who", path, "--env", env, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const rows = escalatedRoles(r.stdout);
    const ci = rows.find((row) => row[1].startsWith("`jwt/terraform-ci`"));
    expect(ci).toBeDefined();
    expect(ci![2]).toMatch(/ACL policies \(`sys\/policies\/acl\//);
    const claims = config.platform.find((p) => p.name === "terraform-ci")!.auth as { boundClaims: Record<string, string> };
    expect(ci![3]).toContain(`GitHub environment \`${claims.boundClaims.environment}\``);
    // No tenant is equivalent to an administrator.
    const tenantRoles = config.applications.map((a) => a.auth.role);
    for (const row of rows) expect(tenantRoles).not.toContain(row[1].replace(/^`[^/]+\/([^`]+)`.*$/, "$1"));
  }, 60_000);

  it("the OIDC administrators are protected by their identity provider group, read from the role", () => {
    const model = models.find((m) => m.environment === env)!;
    const admins = adminEquivalents(model).filter((e) => e.role.roleType === "oidc");
    const groups = config.platform.flatMap((p) => (p.auth.method === "oidc" ? (p.auth as { groups: string[] }).groups : []));
    expect(admins.length).toBeGreaterThan(0);
    for (const a of admins) expect(groups.some((g) => protectionOf(a.role)[0].includes(`\`${g}\``))).toBe(true);
  });

  it("decides by the evaluator, not by name: a tenant given update on its own auth role becomes administrator-equivalent", async () => {
    const model = models.find((m) => m.environment === env)!;
    const tenant = model.roles.find((r) => config.applications.some((a) => a.auth.role === r.name))!;
    expect(adminEquivalents(model).map((e) => e.role.key)).not.toContain(tenant.key);
    const extra = await parseAclPolicy("extra", `path "auth/${tenant.mount}/role/${tenant.name}" {\n  capabilities = ["update"]\n}\n`);
    const policies = new Map(model.policies);
    policies.set("extra", { name: "extra", address: "test", builtin: false, paths: [], compiled: extra });
    const roles = model.roles.map((r) => (r === tenant ? { ...r, policies: [...r.policies, "extra"] } : r));
    const escalated = adminEquivalents({ ...model, roles, policies }).find((e) => e.role.key === tenant.key);
    expect(escalated?.grants.map((g) => g.path)).toEqual([`auth/${tenant.mount}/role/${tenant.name}`]);
  });
});
