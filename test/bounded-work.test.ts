/**
 * Bounded work (#24 point 5): every input's size, count and nesting is capped before the work it would cause, the
 * message names the bound, and an input at the bound is accepted. Runs the modules synth runs (validateInputs, the
 * YAML reader, Vault's policy parser); the 100,000-deep policy also through the real `npm run synth`. No test here
 * asserts a time: a refusal "at once" shows as a message naming the bound instead of a stack overflow or a timeout.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, validateEnvironment } from "../config/load";
import { MAX_APPLICATIONS, MAX_CONFIG_BYTES, MAX_EXPECTATIONS, MAX_POLICY_BYTES, MAX_POLICY_TEST_BYTES } from "../config/limits";
import { parsePolicyText } from "../config/policies";
import { MAX_POLICY_NESTING } from "../config/hcl1/vault-decode";
import { MAX_YAML_DEPTH, readYaml } from "../config/yaml";
import { validateInputs } from "../main";
import { ROOT, rawConfig } from "./helpers";
import { STACK_FRAME, runSynth } from "./synth-process";

const base = mkdtempSync(join(tmpdir(), "vault-platform-bounds-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** Fresh copies of config/ and policies/. */
function copies(): { config: string; policies: string } {
  const dirs = { config: join(base, `case-${n}`, "config"), policies: join(base, `case-${n++}`, "policies") };
  cpSync(join(ROOT, "config"), dirs.config, { recursive: true });
  cpSync(join(ROOT, "policies"), dirs.policies, { recursive: true });
  return dirs;
}

async function problemsOf(dirs: { config: string; policies: string }): Promise<string[]> {
  const error = await validateInputs(dirs.config, dirs.policies).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return [];
  if (!(error instanceof ConfigError)) throw error;
  return [...error.problems];
}

const nested = (depth: number, inner: string) => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
const policyWith = (body: string) => `path "sys/storage/raft/snapshot" {\n  ${body}\n}\n`;

describe("policies: nesting bounded before Vault's parser recurses", () => {
  it.each([
    ["a capabilities list inside 100,000 [", policyWith(`capabilities = ${nested(100_000, '"read"')}`)],
    ["allowed_parameters nested 100,000 deep", policyWith(`capabilities = ["read"]\n  allowed_parameters = { "x" = ${nested(100_000, '"v"')} }`)],
  ])("fails if %s: refused naming the file and the bound, never a stack overflow", async (_name, text) => {
    const dirs = copies();
    writeFileSync(join(dirs.policies, "raft-snapshot.hcl"), text);
    const problems = await problemsOf(dirs);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`raft-snapshot\\.hcl: failed to parse policy: nesting deeper than ${MAX_POLICY_NESTING} levels of \\{ and \\[ at line \\d`)));
    expect(problems.join("\n")).not.toMatch(/Maximum call stack/);
  });

  it(`accepts ${MAX_POLICY_NESTING} levels and refuses ${MAX_POLICY_NESTING + 1}, naming the bound`, () => {
    // The path block and allowed_parameters are two levels; the value's lists make up the rest.
    const at = (depth: number) => policyWith(`capabilities = ["read"]\n  allowed_parameters = { "x" = ${nested(depth - 2, '"v"')} }`);
    expect(parsePolicyText("p.hcl", at(MAX_POLICY_NESTING)).rules).toHaveLength(1);
    expect(() => parsePolicyText("p.hcl", at(MAX_POLICY_NESTING + 1))).toThrow(new RegExp(`nesting deeper than ${MAX_POLICY_NESTING} levels`));
  });

  it("fails if a policy file is larger than the bound, from its size", async () => {
    const dirs = copies();
    const block = policyWith('capabilities = ["read"]');
    writeFileSync(join(dirs.policies, "raft-snapshot.hcl"), block.repeat(Math.ceil((MAX_POLICY_BYTES + 1) / block.length)));
    expect(await problemsOf(dirs)).toContainEqual(
      expect.stringMatching(new RegExp(`raft-snapshot\\.hcl: is [\\d,]+ bytes; a policy file may hold at most ${MAX_POLICY_BYTES.toLocaleString("en-US")} bytes`)),
    );
  });

  it("through the real npm run synth: a 100,000-deep capabilities list exits 1 naming the bound, no stack trace", async () => {
    const dirs = copies();
    writeFileSync(join(dirs.policies, "raft-snapshot.hcl"), policyWith(`capabilities = ${nested(100_000, '"read"')}`));
    const run = await runSynth({ VAULT_PLATFORM_CONFIG_DIR: dirs.config, VAULT_PLATFORM_POLICY_DIR: dirs.policies, CDKTF_OUTDIR: join(base, "out") }, { timeoutMs: 60_000 });
    expect(run.timedOut).toBe(false);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`raft-snapshot\\.hcl: failed to parse policy: nesting deeper than ${MAX_POLICY_NESTING} levels`));
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr).not.toMatch(/Maximum call stack/);
  }, 90_000);
});

describe("policy tests: expectations counted and the file sized before they run", () => {
  const expectations = (count: number) => `allow:\n${"  - { path: sys/storage/raft/snapshot, capability: read }\n".repeat(count)}`;

  it(`accepts ${MAX_EXPECTATIONS.toLocaleString("en-US")} expectations`, async () => {
    const dirs = copies();
    writeFileSync(join(dirs.policies, "tests", "raft-snapshot.yaml"), expectations(MAX_EXPECTATIONS));
    expect(await problemsOf(dirs)).toEqual([]);
  }, 60_000);

  it(`fails if a policy test holds ${(MAX_EXPECTATIONS + 1).toLocaleString("en-US")} expectations, naming the bound`, async () => {
    const dirs = copies();
    writeFileSync(join(dirs.policies, "tests", "raft-snapshot.yaml"), expectations(MAX_EXPECTATIONS + 1));
    expect(await problemsOf(dirs)).toContainEqual(
      expect.stringMatching(/tests\/raft-snapshot\.yaml: holds 10,001 expectations \(allow and deny\); a policy test file may hold at most 10,000/),
    );
  });

  it("fails if a policy test holds 1,000,000 expectations: refused from the file's size, before parsing", async () => {
    const dirs = copies();
    writeFileSync(join(dirs.policies, "tests", "raft-snapshot.yaml"), expectations(1_000_000));
    expect(await problemsOf(dirs)).toContainEqual(
      expect.stringMatching(new RegExp(`tests/raft-snapshot\\.yaml: is [\\d,]+ bytes; a policy test file may hold at most ${MAX_POLICY_TEST_BYTES.toLocaleString("en-US")} bytes`)),
    );
  });
});

describe("configs: applications counted and the file sized before the schema walks them", () => {
  /** The dev config with `count` AppRole applications added (each its own name and role). */
  function withApplications(count: number): any {
    const raw: any = rawConfig("dev");
    for (let i = raw.applications.length; i < count; i++) {
      raw.applications.push({
        name: `tenant-${i}`,
        auth: { method: "approle", role: `tenant-${i}`, secretIdTtl: "720h", secretIdNumUses: 1 },
        policies: ["raft-snapshot"],
      });
    }
    return raw;
  }

  it(`accepts ${MAX_APPLICATIONS.toLocaleString("en-US")} applications`, () => {
    const { config, problems } = validateEnvironment(withApplications(MAX_APPLICATIONS));
    expect(problems).toEqual([]);
    expect(config?.applications).toHaveLength(MAX_APPLICATIONS);
  }, 60_000);

  it(`fails if a config holds ${(MAX_APPLICATIONS + 1).toLocaleString("en-US")} applications, naming the supported scale`, () => {
    expect(validateEnvironment(withApplications(MAX_APPLICATIONS + 1)).problems).toEqual([
      "applications: must hold at most 10,000 applications, the supported scale (got 10,001; docs/scaling.md)",
    ]);
  });

  it("fails if a config file is larger than the bound, from its size", async () => {
    const dirs = copies();
    const text = readFileSync(join(dirs.config, "dev.yaml"), "utf8");
    writeFileSync(join(dirs.config, "dev.yaml"), `${text}${"# padding\n".repeat(Math.ceil(MAX_CONFIG_BYTES / 10))}`);
    expect(await problemsOf(dirs)).toContainEqual(
      expect.stringMatching(new RegExp(`dev\\.yaml: is [\\d,]+ bytes; a config file may hold at most ${MAX_CONFIG_BYTES.toLocaleString("en-US")} bytes`)),
    );
  });

  it(`reads YAML nested ${MAX_YAML_DEPTH} deep and refuses ${MAX_YAML_DEPTH + 1} or 100,000, naming the bound`, () => {
    const yamlNested = (depth: number) => `${nested(depth, "x")}\n`;
    expect(readYaml(yamlNested(MAX_YAML_DEPTH)).problems).toEqual([]);
    for (const depth of [MAX_YAML_DEPTH + 1, 100_000]) {
      const { problems } = readYaml(yamlNested(depth));
      expect(problems).toEqual([expect.stringMatching(new RegExp(`nesting deeper than ${MAX_YAML_DEPTH} levels`))]);
      expect(problems.join("\n")).not.toMatch(/Maximum call stack/);
    }
  });
});
