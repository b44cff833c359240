/**
 * `npm run access -- matrix | who | diff` and the report's "Who can do what", on real synthesized output: one synth
 * of the committed configs (base) and one of a head with one capability added, one role's TTL changed and one role
 * opting out of Vault's default policy (dev only).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { diffModels } from "../../access/diff";
import { whoCan } from "../../access/matrix";
import { type AccessModel, loadAccessModels } from "../../access/model";
import { DEFAULT_POLICY_VAULT_VERSION, defaultPolicy } from "../../access/default-policy";
import { tenantSection } from "../../compliance/report/tenants";
import { toMarkdown } from "../../document/document";
import { readSynthesized } from "../../synthesized/manifest";
import { ROOT } from "../helpers";

function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
}

function access(args: string[]) {
  const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", join(ROOT, "access", "cli.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The rows of the Markdown table that follows `title` (a heading), as arrays of trimmed cells. */
function tableAfter(markdown: string, title: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, "") === title);
  if (start < 0) throw new Error(`no heading "${title}" in:\n${markdown}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (line.startsWith("| ") && !line.startsWith("| ---")) rows.push(line.slice(2, -2).split(" | ").map((c) => c.trim()));
  }
  return rows.slice(1);
}

const CHECKTICK_RULE = 'path "secret/data/surveys/*" {\n  capabilities = ["create", "read", "update"]\n}';

let work: string;
let base: string;
let head: string;
let baseResult: ReturnType<typeof synth>;
let headResult: ReturnType<typeof synth>;
let models: AccessModel[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vault-platform-access-"));
  base = join(work, "base", "cdktf.out");
  head = join(work, "head", "cdktf.out");
  mkdirSync(join(work, "base"));
  mkdirSync(join(work, "head"));
  // Head: checktick may also patch under secret/data/surveys/, and voicehive's tokens live 45m instead of 30m (dev).
  const policyDir = join(work, "policies");
  cpSync(join(ROOT, "policies"), policyDir, { recursive: true });
  const checktick = readFileSync(join(policyDir, "checktick-app.hcl"), "utf8");
  if (!checktick.includes(CHECKTICK_RULE)) throw new Error("policies/checktick-app.hcl changed: update CHECKTICK_RULE in this test");
  writeFileSync(join(policyDir, "checktick-app.hcl"), checktick.replace(CHECKTICK_RULE, CHECKTICK_RULE.replace('"update"]', '"update", "patch"]')));
  const configDir = join(work, "config");
  cpSync(join(ROOT, "config"), configDir, { recursive: true });
  const dev = parse(readFileSync(join(configDir, "dev.yaml"), "utf8"));
  dev.applications.find((a: any) => a.name === "voicehive").auth.tokenTtl = "45m";
  dev.applications.find((a: any) => a.name === "config-service").tokenNoDefaultPolicy = true;
  writeFileSync(join(configDir, "dev.yaml"), stringify(dev));

  baseResult = synth({ CDKTF_OUTDIR: base });
  headResult = synth({ CDKTF_OUTDIR: head, VAULT_PLATFORM_POLICY_DIR: policyDir, VAULT_PLATFORM_CONFIG_DIR: configDir });
}, 180_000);

beforeAll(async () => {
  models = await loadAccessModels(base);
});

it("synthesizes base and head", () => {
  expect(baseResult.stderr).toBe("");
  expect(headResult.stderr).toBe("");
  expect([baseResult.status, headResult.status]).toEqual([0, 0]);
});

describe("access model", () => {
  it("reads every auth role with its bindings, TTLs and resolved policy names from the synthesized stacks", () => {
    const dev = models.find((m) => m.environment === "dev")!;
    const checktick = dev.roles.find((r) => r.key === "approle/checktick-app")!;
    expect(checktick).toMatchObject({
      method: "approle",
      stack: "vault-config-dev",
      ttls: { token_ttl: 3600, token_max_ttl: 28800, secret_id_ttl: 7776000 },
      policies: ["checktick-app"],
      defaultPolicy: true,
      bindings: expect.objectContaining({ secret_id_num_uses: "0", secret_id_bound_cidrs: "10.0.0.0/16", token_bound_cidrs: "10.0.0.0/16" }),
    });
    expect(dev.roles.find((r) => r.key === "kubernetes/phoenix-guardian-app")).toMatchObject({
      method: "kubernetes",
      bindings: expect.objectContaining({ bound_service_account_names: "phoenix-guardian", bound_service_account_namespaces: "phoenix-guardian" }),
    });
    expect(dev.roles.find((r) => r.key === "jwt/terraform-ci")?.bindings.bound_claims).toMatch(/ref=refs\/heads\/main/);
    // Every policy a role names is a vault_policy of the same stack.
    for (const role of dev.roles) for (const p of role.policies) expect(dev.policies.has(p)).toBe(true);
  });
});

describe("access matrix", () => {
  let out: ReturnType<typeof access>;
  beforeAll(() => {
    out = access(["matrix", "--env", "dev", "--out", base]);
  }, 60_000);

  it("lists every auth role of the environment with its TTLs and policies, and says the default policy is included", () => {
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const roles = tableAfter(out.stdout, "Roles, logins and policies: dev");
    const dev = models.find((m) => m.environment === "dev")!;
    expect(roles.map((r) => r[0])).toEqual(dev.roles.map((r) => `\`${r.key}\` + default`));
    expect(roles.find((r) => r[0].startsWith("`approle/checktick-app`"))!.slice(3)).toEqual(["1h", "8h", "90d", "checktick-app"]);
    expect(out.stdout).toMatch(new RegExp(`\`default\` policy.*Its grants are \\*\\*included\\*\\*, from the text Vault ${DEFAULT_POLICY_VAULT_VERSION} creates`));
    expect(out.stdout).not.toMatch(/Who can do what: prod/);
  });

  it("gives each role's capabilities on every path the policies name, decided by the evaluator", () => {
    const rows = tableAfter(out.stdout, "Capabilities by role and path: dev");
    const header = out.stdout.split("\n").find((l) => l.startsWith("| path |"))!.slice(2, -2).split(" | ");
    const pathOf = (label: string) => label.replace(/^`([^`]*)`.*$/, "$1");
    const cell = (path: string, role: string) => rows.find((r) => pathOf(r[0]) === path)![header.indexOf(`\`${role}\``)];
    expect(cell("secret/data/users/*", "approle/checktick-app")).toBe("read, create, update, delete (checktick-app)");
    expect(cell("secret/data/users/*", "kubernetes/config-service")).toBe("");
    // phoenix-guardian's own deny on sys/* wins; platform-admin's sys/* grant carries sudo.
    expect(cell("sys/*", "kubernetes/phoenix-guardian-app")).toBe("");
    expect(cell("sys/*", "oidc/platform-admin")).toMatch(/sudo/);
    // Stable ordering: paths sorted.
    const paths = rows.map((r) => pathOf(r[0]));
    expect(paths).toEqual([...paths].sort());
  });

  it("has a row for every path of Vault's default policy, granted by default to every role, templated paths marked", () => {
    const rows = tableAfter(out.stdout, "Capabilities by role and path: dev");
    const dev = models.find((m) => m.environment === "dev")!;
    const pathOf = (label: string) => label.replace(/^`([^`]*)`.*$/, "$1");
    for (const path of defaultPolicy().paths) expect(rows.map((r) => pathOf(r[0]))).toContain(path);
    const renew = rows.find((r) => pathOf(r[0]) === "auth/token/renew-self")!;
    expect(renew.slice(1)).toEqual(dev.roles.map(() => "update (default)"));
    // phoenix-guardian denies sys/* and auth/*, but Vault chooses the exact rules of default over those globs.
    const cubbyhole = rows.find((r) => pathOf(r[0]) === "cubbyhole/*")!;
    expect(new Set(cubbyhole.slice(1))).toEqual(new Set(["read, list, create, update, delete (default)"]));
    expect(rows.find((r) => pathOf(r[0]) === "identity/entity/id/{{identity.entity.id}}")![0]).toBe(
      "`identity/entity/id/{{identity.entity.id}}` (templated: the role's own entity only)",
    );
  });

  it("fails if the environment does not exist", () => {
    const r = access(["matrix", "--env", "staging", "--out", base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--env staging: no such environment .* \(found dev, prod\)/);
  }, 60_000);
});

describe("access who", () => {
  it("answers which roles can read a concrete path, in every environment", () => {
    const r = access(["who", "secret/data/users/alice", "--capability", "read", "--out", base]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const rows = tableAfter(r.stdout, "Who can read on `secret/data/users/alice`");
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).toEqual([
      "dev `approle/checktick-app` + default",
      "dev `oidc/platform-admin` + default",
      "prod `approle/checktick-app` + default",
      "prod `oidc/platform-admin` + default",
    ]);
    // Which policy grants it (Vault's granting policies), and the policies each token carries.
    expect(rows[0].slice(3)).toEqual(["checktick-app, default", "read, create, update, delete (checktick-app)"]);
  }, 60_000);

  it("answers from Vault's default policy: every role can renew its own token and use its cubbyhole", () => {
    const r = access(["who", "auth/token/renew-self", "--env", "dev", "--out", base]);
    const rows = tableAfter(r.stdout, "Who can do anything on `auth/token/renew-self`");
    const dev = models.find((m) => m.environment === "dev")!;
    expect(rows.map((row) => row[1])).toEqual(dev.roles.map((role) => `\`${role.key}\` + default`));
    expect(new Set(rows.map((row) => row[4]))).toEqual(new Set(["update (default)"]));
    expect(whoCan(dev, "cubbyhole/notes", "read").map((a) => a.role.key)).toEqual(dev.roles.map((role) => role.key));
    // A templated path is the role's own entity: another entity's id is nobody's.
    const other = whoCan(dev, "identity/entity/id/0c4e5b63-another-entity");
    expect(other.flatMap((a) => a.granted.flatMap((g) => g.policies))).not.toContain("default");
    expect(other.map((a) => a.role.key)).toEqual(["oidc/platform-admin"]); // through its own identity/* grant
    expect(whoCan(dev, "identity/entity/id/{{identity.entity.id}}", "read")).toHaveLength(dev.roles.length);
  });

  it("uses Vault's rule choice: a `+` rule beats a shorter glob, and deny wins", () => {
    const dev = models.find((m) => m.environment === "dev")!;
    expect(whoCan(dev, "secret/data/production/asr-service/api_key").map((a) => [a.role.key, a.capabilities.join(",")])).toEqual([
      ["kubernetes/config-service", "read,create,update,patch,delete"],
      ["oidc/platform-admin", "read,list,create,update,patch,delete"],
    ]);
    // config-service's tree is {environment}/{service}/{key}: one level short is not granted.
    expect(whoCan(dev, "secret/data/production/asr-service").map((a) => a.role.key)).toEqual(["oidc/platform-admin"]);
    expect(whoCan(dev, "sys/mounts", "read").map((a) => a.role.key)).not.toContain("kubernetes/phoenix-guardian-app");
  });

  it("fails if the capability is unknown", () => {
    const r = access(["who", "secret/x", "--capability", "write", "--out", base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--capability must be one of read, list, create, update, patch, delete, sudo \(got "write"\)/);
  }, 60_000);

  it("decides as Vault 2.0.4 on synthesized policies: a specific deny beats a LIST grant, a template is the role's own entity", () => {
    const out = join(work, "repro", "cdktf.out");
    cpSync(base, out, { recursive: true });
    const file = join(out, "stacks", "vault-config-dev", "cdk.tf.json");
    const stack = JSON.parse(readFileSync(file, "utf8"));
    const policy = Object.values(stack.resource.vault_policy as Record<string, { name: string; policy: string }>).find((p) => p.name === "checktick-app")!;
    policy.policy += [
      'path "secret/metadata/repro/*" { capabilities = ["list"] }',
      'path "secret/metadata/repro/private/*" { capabilities = ["deny"] }',
      'path "secret/data/repro/{{identity.entity.id}}/*" { capabilities = ["read"] }',
    ].join("\n");
    writeFileSync(file, JSON.stringify(stack));
    const who = (path: string, capability: string) => {
      const r = access(["who", path, "--capability", capability, "--env", "dev", "--out", out]);
      expect([r.status, r.stderr]).toEqual([0, ""]);
      const title = `Who can ${capability} on \`${path}\`${path.includes("{{") ? " (templated: the role's own entity only)" : ""}`;
      return tableAfter(r.stdout, title).map((row) => row[1]);
    };
    expect(who("secret/metadata/repro/public/", "list")).toContain("`approle/checktick-app` + default");
    expect(who("secret/metadata/repro/private/", "list")).not.toContain("`approle/checktick-app` + default");
    expect(who("secret/data/repro/{{identity.entity.id}}/x", "read")).toContain("`approle/checktick-app` + default");
    expect(who("secret/data/repro/another-entity/x", "read")).not.toContain("`approle/checktick-app` + default");
  }, 60_000);
});

describe("access diff", () => {
  it("lists exactly the capability gained and the TTL changed, under ## Access changes", () => {
    const r = access(["diff", base, head]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("## Access changes\n")).toBe(true);
    for (const env of ["dev", "prod"]) {
      expect(tableAfter(r.stdout.slice(r.stdout.indexOf(`### ${env}`)), "Capabilities gained (1)")).toEqual([
        ["`approle/checktick-app`", "`secret/data/surveys/*`", "patch"],
      ]);
    }
    expect(tableAfter(r.stdout, "TTL changes (1)")).toEqual([["`kubernetes/voicehive-connectors`", "token_ttl", "30m", "45m"]]);
    // config-service opted out of the default policy in dev: detached, and its grants lost.
    expect(tableAfter(r.stdout, "Policy attachments changed (1)")).toEqual([["`kubernetes/config-service`", "", "default"]]);
    const prod = r.stdout.slice(r.stdout.indexOf("### prod"));
    expect(prod).not.toMatch(/Capabilities lost|Policy attachments changed/);
    expect(r.stdout).not.toMatch(/Roles added|Roles removed|Login bindings changed/);
  }, 60_000);

  it("reports the same changes as data, and nothing in the reverse direction but their opposites", async () => {
    const headModels = await loadAccessModels(head);
    const [dev, prod] = diffModels(models, headModels);
    expect(dev).toMatchObject({
      gained: [{ role: "approle/checktick-app", path: "secret/data/surveys/*", capabilities: ["patch"] }],
      ttls: [{ role: "kubernetes/voicehive-connectors", setting: "token_ttl", before: 1800, after: 2700 }],
      rolesAdded: [],
      rolesRemoved: [],
      attachments: [{ role: "kubernetes/config-service", attached: [], detached: ["default"] }],
    });
    // What config-service loses is exactly what the default policy gave it (every default path but none else).
    expect(new Set(dev.lost.map((l) => l.role))).toEqual(new Set(["kubernetes/config-service"]));
    expect(dev.lost.map((l) => l.path)).toEqual(expect.arrayContaining(["auth/token/renew-self", "cubbyhole/*", "sys/wrapping/unwrap"]));
    expect(dev.lost.every((l) => defaultPolicy().paths.includes(l.path))).toBe(true);
    expect(prod.ttls).toEqual([]);
    expect(prod.lost).toEqual([]);
    const [back] = diffModels(headModels, models);
    expect(back.lost).toEqual([{ role: "approle/checktick-app", path: "secret/data/surveys/*", capabilities: ["patch"] }]);
    expect(back.gained).toEqual(dev.lost);
  });

  it("treats a base with no stacks (first pull request: CI makes an empty stacks/) as everything added", () => {
    mkdirSync(join(work, "empty-base", "cdktf.out", "stacks"), { recursive: true });
    const r = access(["diff", join(work, "empty-base", "cdktf.out"), base]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("## Access changes\n")).toBe(true);
    expect(r.stdout).toMatch(/no synthesized stacks: everything is new/);
    const added = tableAfter(r.stdout, `Roles added (${models[0].roles.length})`);
    expect(added.map((row) => row[0])).toEqual(models[0].roles.map((role) => `\`${role.key}\``));
    expect(r.stdout).not.toMatch(/Capabilities lost/);
  }, 60_000);

  it("never prints a credential or a policy text", () => {
    mkdirSync(join(work, "empty-base", "cdktf.out", "stacks"), { recursive: true });
    const r = access(["diff", join(work, "empty-base", "cdktf.out"), head]);
    expect(r.stdout).not.toMatch(/capabilities = |BEGIN [A-Z ]*PRIVATE KEY|password|oidc_discovery|https:\/\/github\.com/i);
  }, 60_000);

  it("fails if a directory is not a synth output, or one is missing", () => {
    const bogus = join(work, "bogus");
    mkdirSync(join(bogus, "stacks", "x"), { recursive: true });
    const r = access(["diff", bogus, base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bogus\/vault-platform\.json: does not exist: not a vault-platform synth output/);
    const missing = access(["diff", join(work, "no-such-base", "cdktf.out"), base]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-base\/cdktf\.out: does not exist: not a vault-platform synth output/);
    expect(missing.stdout).toBe("");
    const one = access(["diff", base]);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/diff takes a base and a head synth output directory \(got 1\)/);
  }, 60_000);
});

describe("report: tenant view", () => {
  it("answers who can read or write each tenant's owned paths, with the granting policy, directly or by escalation", async () => {
    const [dev] = readSynthesized(base);
    const markdown = toMarkdown(tenantSection(dev));
    // The tenant that owns secret/data/users/ (from the synthesized manifest), answered from the report alone.
    const tenant = dev.tenants.find((t) => t.ownedPaths.includes("secret/data/users/"))!;
    const rows = tableAfter(markdown, `${tenant.name} (dev)`);
    const own = rows.find((r) => r[0].includes(`/${tenant.role}\``))!;
    expect(own[0]).toContain("(its own login)");
    expect(own[1]).toMatch(/`secret\/data\/users\/`|all \d+/);
    expect(own[3]).toBe(tenant.role);
    // Decided by the evaluator: every role `who` finds reading one of its paths is in the table.
    const readers = whoCan((await loadAccessModels(base)).find((m) => m.environment === "dev")!, "secret/data/users/x", "read").map((a) => a.role.key);
    expect(readers.length).toBeGreaterThan(0);
    for (const key of readers) expect(rows.some((r) => r[0].startsWith(`\`${key}\``))).toBe(true);
    // An administrator-equivalent identity reaches it by escalation.
    expect(rows.some((r) => r[1] === "any, by escalation")).toBe(true);
  });
});
