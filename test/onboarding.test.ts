/**
 * Onboarding is configuration only, end to end: the README's Kubernetes application (its own KV mount)
 * and an AppRole application on the existing `secret` mount (docs/onboarding.md's approle block) are added to
 * copies of config/ and policies/ exactly as the documents show, synthesized with VAULT_PLATFORM_CONFIG_DIR and
 * VAULT_PLATFORM_POLICY_DIR, and the synthesized policies are evaluated by the ACL engine: the CI identity can
 * apply the new mount, each new application reaches its own paths and nobody else's, and no one else reaches its.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { type AccessModel, loadAccessModels, roleAcl } from "../access/model";
import { grants, type TestedCapability } from "../access/policy-tests";
import { ROOT } from "./helpers";

/** The fenced code blocks of a Markdown section (from its heading to the next heading of the same level). */
function codeBlocks(markdown: string, heading: string): { lang: string; body: string }[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = heading.split(" ")[0];
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n${level} `));
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
}

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const [configBlock, policyBlock, testBlock] = codeBlocks(readme, "## Adding an application");
const onboardingDoc = readFileSync(join(ROOT, "docs", "onboarding.md"), "utf8");
const approleAuth = codeBlocks(onboardingDoc, "### 1. The config entry (`config/dev.yaml` and `config/prod.yaml`)")
  .map((b) => parse(b.body))
  .find((b) => b?.auth?.method === "approle").auth;

/** The README's entry: `[..., name]` means "append name to the list". */
const readmeEntry = parse(configBlock.body.replace(/\[\.\.\., /g, "["));
/** The README's policy (named by its first line's comment) and a path it grants, from its test's first allow. */
const policyName = /policies\/([a-z0-9-]+)\.hcl/.exec(policyBlock.body)![1];
const role: string = readmeEntry.applications[0].auth.role;
const granted: string = parse(testBlock.body).allow[0].path;

/** An AppRole application on the existing secret/ mount, as the onboarding doc shows it. */
const reports = {
  name: "reports",
  auth: { ...approleAuth, role: "reports-app" },
  policies: ["reports-app"],
  kvMounts: ["secret"],
  ownedPaths: ["secret/data/reports/", "secret/metadata/reports/"],
};

describe("onboarding two applications as the README and docs/onboarding.md show", () => {
  let models: AccessModel[];
  let result: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-onboarding-"));
    const configDir = join(dir, "config");
    const policyDir = join(dir, "policies");
    cpSync(join(ROOT, "config"), configDir, { recursive: true });
    cpSync(join(ROOT, "policies"), policyDir, { recursive: true });
    for (const env of ["dev", "prod"]) {
      const file = join(configDir, `${env}.yaml`);
      const raw = parse(readFileSync(file, "utf8"));
      // A fork that already onboarded the README's example (as the docs tell it to) has it once, as the README writes it.
      const mounts = new Set(readmeEntry.vault.kv.map((m: { path: string }) => m.path));
      const names = new Set([...readmeEntry.applications, reports].map((a: { name: string }) => a.name));
      raw.cluster.allowedNamespaces = [...new Set([...raw.cluster.allowedNamespaces, ...readmeEntry.cluster.allowedNamespaces])];
      raw.vault.kv = [...raw.vault.kv.filter((m: { path: string }) => !mounts.has(m.path)), ...readmeEntry.vault.kv];
      raw.applications = [...raw.applications.filter((a: { name: string }) => !names.has(a.name)), ...readmeEntry.applications, reports];
      writeFileSync(file, stringify(raw));
    }
    writeFileSync(join(policyDir, `${policyName}.hcl`), policyBlock.body);
    writeFileSync(join(policyDir, "tests", `${policyName}.yaml`), testBlock.body);
    writeFileSync(join(policyDir, "reports-app.hcl"), 'path "secret/data/reports/*" {\n  capabilities = ["read"]\n}\n');
    appendFileSync(
      join(policyDir, "tests", "reports-app.yaml"),
      "allow:\n  - { path: secret/data/reports/weekly, capability: read }\ndeny:\n  - { path: secret/data/platform/master-key, capability: read }\n",
    );
    const outdir = join(dir, "cdktf.out");
    result = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], {
      cwd: ROOT,
      env: { ...process.env, VAULT_PLATFORM_CONFIG_DIR: configDir, VAULT_PLATFORM_POLICY_DIR: policyDir, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    models = result.status === 0 ? await loadAccessModels(outdir) : [];
  }, 180_000);

  const can = (model: AccessModel, role: string, path: string, capability: TestedCapability) => {
    const r = model.roles.find((x) => x.name === role);
    if (!r) throw new Error(`no role ${role} in ${model.environment}`);
    return grants(roleAcl(model, r), path, capability);
  };

  it("synthesizes with no error", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(models.map((m) => m.environment)).toEqual(["dev", "prod"]);
  });

  it("lets the CI identity apply the new mount and its engine configuration, and the plan identity read them", () => {
    const mount = readmeEntry.vault.kv[0].path;
    for (const m of models) {
      expect([m.environment, can(m, "terraform-ci", `sys/mounts/${mount}`, "create")]).toEqual([m.environment, true]);
      expect([m.environment, can(m, "terraform-ci", `${mount}/config`, "update")]).toEqual([m.environment, true]);
      expect([m.environment, can(m, "terraform-plan", `${mount}/config`, "read")]).toEqual([m.environment, true]);
      expect([m.environment, can(m, "terraform-plan", `${mount}/config`, "update")]).toEqual([m.environment, false]);
      expect([m.environment, can(m, "terraform-ci", `${mount}/data/api/stripe`, "read")]).toEqual([m.environment, false]);
    }
  });

  it("gives each new application its own paths and nobody else's", () => {
    for (const m of models) {
      expect(can(m, role, granted, "read")).toBe(true);
      expect(can(m, role, "secret/data/reports/weekly", "read")).toBe(false);
      expect(can(m, "reports-app", "secret/data/reports/weekly", "read")).toBe(true);
      expect(can(m, "reports-app", "secret/data/platform/master-key", "read")).toBe(false);
      expect(can(m, "reports-app", granted, "read")).toBe(false);
    }
  });

  it("keeps every other tenant out of the new applications' paths", () => {
    for (const m of models) {
      const others = m.roles.filter((r) => ![role, "reports-app", "platform-admin"].includes(r.name));
      for (const r of others) {
        const acl = roleAcl(m, r);
        expect([r.name, grants(acl, granted, "read"), grants(acl, "secret/data/reports/weekly", "read")]).toEqual([r.name, false, false]);
      }
    }
  });
});
