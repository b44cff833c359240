/**
 * The pull request's review comment (#25 point 7), built by the real script from artifacts made by the real
 * commands (synth, report, access diff, plan-summary): a first pull request (no base), 50 applications onboarded at
 * once, a blocked change and a broken base. Each stays under 60,000 characters with no dead link.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { DEFAULT_MAX } from "../../scripts/pr-comment";
import { ROOT } from "../helpers";

const FIXTURES = join(__dirname, "../fixtures/plans/gate");
const DEFERRED = "## Terraform plans\n\n### vault-cluster-prod\n\nDeferred: this stack reads outputs that this pull request adds or changes in another stack. The deploy\nplans it after that stack is applied and applies it only if the same plan gate passes.\n";

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(r: ReturnType<typeof run>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

let work: string;
const out = (name: string) => join(work, name, "cdktf.out");

/** 50 AppRole applications, each with its own policy on the shared secret/ mount. */
function onboardFifty(configDir: string, policyDir: string): string[] {
  const names = Array.from({ length: 50 }, (_, i) => `tenant-${String(i + 1).padStart(2, "0")}`);
  for (const env of ["dev", "prod"]) {
    const file = join(configDir, `${env}.yaml`);
    const raw = parse(readFileSync(file, "utf8"));
    const approle = { method: "approle", tokenTtl: "1h", tokenMaxTtl: "8h", secretIdTtl: "2160h", secretIdNumUses: 1, tokenBoundCidrs: ["10.0.0.0/16"] };
    for (const n of names) {
      raw.applications.push({ name: n, auth: { ...approle, role: `${n}-app` }, policies: [`${n}-app`], kvMounts: ["secret"], ownedPaths: [`secret/data/${n}/`, `secret/metadata/${n}/`] });
    }
    writeFileSync(file, stringify(raw));
  }
  for (const n of names) {
    writeFileSync(join(policyDir, `${n}-app.hcl`), `path "secret/data/${n}/*" {\n  capabilities = ["read", "create", "update"]\n}\n`);
    writeFileSync(join(policyDir, "tests", `${n}-app.yaml`), `allow:\n  - { path: secret/data/${n}/x, capability: read }\ndeny:\n  - { path: secret/data/platform/master-key, capability: read }\n`);
  }
  return names;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vault-platform-pr-comment-"));
  must(run("main.ts", [], { CDKTF_OUTDIR: out("base") }), "base synth");
  must(run("scripts/report.ts", [out("base")]), "base report");
  const configDir = join(work, "config");
  const policyDir = join(work, "policies");
  cpSync(join(ROOT, "config"), configDir, { recursive: true });
  cpSync(join(ROOT, "policies"), policyDir, { recursive: true });
  onboardFifty(configDir, policyDir);
  must(run("main.ts", [], { CDKTF_OUTDIR: out("fifty"), VAULT_PLATFORM_CONFIG_DIR: configDir, VAULT_PLATFORM_POLICY_DIR: policyDir }), "50-application synth");
  must(run("scripts/report.ts", [out("fifty")]), "50-application report");
  mkdirSync(join(work, "empty", "cdktf.out", "stacks"), { recursive: true });
}, 240_000);

interface Case {
  readonly base: "empty" | "base";
  readonly head: "base" | "fifty";
  readonly status: string;
  /** Plan fixture per stack; "deferred" for the plan job's note; absent: no summary (the plan failed). */
  readonly plans: Readonly<Record<string, string>>;
}

/** The artifacts the comment job downloads, made by the real commands. */
function artifacts(name: string, c: Case): string {
  const dir = join(work, `artifacts-${name}`);
  mkdirSync(join(dir, "synth", "cdktf.out"), { recursive: true });
  for (const f of ["vault-platform.json", "compliance-report.md"]) cpSync(join(out(c.head), f), join(dir, "synth", "cdktf.out", f));
  writeFileSync(join(dir, "synth", "access-diff.md"), must(run("access/cli.ts", ["diff", out(c.base), out(c.head)]), "access diff"));
  writeFileSync(join(dir, "synth", "base-status"), `${c.status}\n`);
  for (const [stack, plan] of Object.entries(c.plans)) {
    mkdirSync(join(dir, `plan-summary-${stack}`));
    const text = plan === "deferred" ? DEFERRED : run("scripts/plan-summary.ts", ["--synth-dir", out(c.head), `${stack}=${join(FIXTURES, plan)}`]).stdout;
    writeFileSync(join(dir, `plan-summary-${stack}`, `plan-${stack}.md`), text);
  }
  return dir;
}

function comment(dir: string, ...args: string[]): string {
  return must(run("scripts/pr-comment.ts", [dir, ...args], { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "example-org/vault-platform", GITHUB_RUN_ID: "42" }), "pr-comment");
}

/** Every Markdown link target; a comment may only link to absolute https addresses. */
const links = (md: string) => [...md.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);

function expectPostable(md: string): void {
  expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX);
  expect(md.startsWith("# vault-platform review")).toBe(true);
  for (const l of links(md)) expect(l).toMatch(/^https:\/\/github\.com\/example-org\/vault-platform\/actions\/runs\/42$/);
}

const ORDINARY = { "vault-backup-prod": "ordinary.json", "vault-cluster-prod": "deferred", "vault-config-prod": "ordinary.json" };

describe("the review comment", () => {
  it("first pull request (no base): says so, every access is new, postable, the deferred stack shown", () => {
    const md = comment(artifacts("first", { base: "empty", head: "base", status: "no-base", plans: ORDINARY }));
    expectPostable(md);
    expect(md).toMatch(/\*\*First pull request:\*\*/);
    expect(md).toMatch(/### vault-cluster-prod\s+Deferred: this stack reads outputs that this pull request adds or changes/);
    expect(md).toContain("## Access changes");
  });

  it("50 applications onboarded at once: postable, every new role shown, every stack shown", () => {
    const dir = artifacts("fifty", { base: "base", head: "fifty", status: "ok", plans: ORDINARY });
    const md = comment(dir);
    expectPostable(md);
    for (const stack of Object.keys(ORDINARY)) expect(md).toContain(`### ${stack}`);
    expect(md).toMatch(/#### Roles added \(50\)/);
  });

  it("whatever the size: a smaller limit cuts the long parts at a line, with a pointer to the whole artifact", () => {
    const dir = join(work, "artifacts-fifty");
    const diff = readFileSync(join(dir, "synth", "access-diff.md"), "utf8");
    const max = Math.floor(diff.length / 2);
    const md = comment(dir, "--max", String(max));
    expect(md.length).toBeLessThanOrEqual(max);
    expect(md).toMatch(/more lines? not shown: access-diff\.md in the `synth` artifact of \[this run\]\(https:/);
    for (const stack of Object.keys(ORDINARY)) expect(md).toContain(`### ${stack}`);
  });

  it("a blocked change is listed once, at the top; a stack without a summary is blocked", () => {
    const dir = artifacts("blocked", { base: "base", head: "base", status: "ok", plans: { "vault-backup-prod": "delete-stateful.json", "vault-config-prod": "ordinary.json" } });
    const summary = readFileSync(join(dir, "plan-summary-vault-backup-prod", "plan-vault-backup-prod.md"), "utf8");
    const flagged = [...new Set(summary.split("\n").filter((l) => l.startsWith("- **")))];
    expect(flagged.length).toBeGreaterThan(0);
    const md = comment(dir);
    expectPostable(md);
    for (const line of flagged) expect(md.split(line)).toHaveLength(2);
    expect(md.split("- **BLOCKED** `vault-cluster-prod`: no plan summary")).toHaveLength(2);
    expect(md.indexOf(flagged[0])).toBeLessThan(md.indexOf("## Terraform plans"));
  });

  it("a base that failed to synthesize is said, and no diff against nothing is shown", () => {
    const md = comment(artifacts("broken-base", { base: "empty", head: "base", status: "failed", plans: ORDINARY }));
    expectPostable(md);
    expect(md).toMatch(/The base commit failed to synthesize/);
    expect(md).not.toMatch(/#### Roles added/);
  });
});
