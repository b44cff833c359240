/**
 * Property: whatever happens to the default configs (type swaps, deletions, out-of-range numbers, odd strings,
 * duplicated entries, truncated files), synth answers with a clean config error or a config it can build, never a
 * crash. Most mutations run in-process through `validateInputs`, the path main.ts takes, and a config that passes
 * is then built into its stacks (where the constructs' own checks would throw); a few run through the real
 * `npm run synth` entry point, which must exit 1 with no stack trace and leave the previous output untouched.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import fc from "fast-check";
import { stringify } from "yaml";
import { ConfigError } from "../config/load";
import { validateInputs } from "../main";
import { addEnvironment } from "../stacks/environment";
import { ROOT, rawConfig } from "./helpers";
import { MEANING_CASES } from "./refused-meanings";
import { STACK_FRAME, runSynth, treeDigest } from "./synth-process";

type Path = (string | number)[];
const ENVS = ["dev", "prod"] as const;

/** Every node of a parsed YAML tree, by its path (the root excluded). */
function pathsOf(node: unknown, prefix: Path = []): Path[] {
  if (node === null || typeof node !== "object") return [];
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node as Record<string, unknown>);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function parentOf(root: any, path: Path): { parent: any; key: string | number } {
  let node = root;
  for (const k of path.slice(0, -1)) node = node[k];
  return { parent: node, key: path[path.length - 1] };
}

const ODD_STRINGS = ["", " ", "\u0000", "é", "x".repeat(300), "${var.x}", "*", "../..", "0 0 30 2 *", "99999999999999999999h", "http://vault:8200", "0.0.0.0/0", "default", "latest", "-1", "true", "~", "root", "response-wrapping", "auth/x", "sys", "secret/inner", "token", "pki", "d".repeat(1_001)];
const ODD_NUMBERS = [-1, 0, 0.5, 4, 65536, 2 ** 53, 2 ** 63, 1e308, Number.POSITIVE_INFINITY, Number.NaN];

const oddValue = fc.oneof(
  fc.constantFrom<unknown>(...ODD_STRINGS),
  fc.constantFrom<unknown>(...ODD_NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { unexpected: 1 }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

interface Mutation {
  readonly kind: "delete" | "replace" | "duplicate" | "swap-type";
  readonly at: number;
  readonly value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "replace", "duplicate", "swap-type"),
  at: fc.nat(),
  value: oddValue,
});

/** A swap to another JSON type than the one there. */
function swapped(value: unknown): unknown {
  if (typeof value === "string") return 42;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return value.length > 0 ? value[0] : "list";
  if (value && typeof value === "object") return Object.values(value)[0] ?? [];
  return {};
}

function apply(raw: any, m: Mutation): string {
  const paths = pathsOf(raw);
  const path = paths[m.at % paths.length];
  const { parent, key } = parentOf(raw, path);
  const where = path.join(".");
  switch (m.kind) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `delete ${where}`;
    case "replace":
      parent[key] = m.value;
      return `${where} = ${JSON.stringify(m.value)}`;
    case "swap-type":
      parent[key] = swapped(parent[key]);
      return `${where} swapped to ${JSON.stringify(parent[key])}`;
    case "duplicate":
      // The nearest list on the path gets a copy of one of its entries (a duplicate name, mount, role ...).
      for (let i = path.length; i > 0; i--) {
        const { parent: list, key: index } = parentOf(raw, path.slice(0, i));
        if (Array.isArray(list)) {
          list.push(structuredClone(list[index as number]));
          return `duplicate ${path.slice(0, i).join(".")}`;
        }
      }
      parent[key] = m.value;
      return `${where} = ${JSON.stringify(m.value)}`;
  }
}

interface Case {
  readonly env: (typeof ENVS)[number];
  readonly mutations: Mutation[];
  /** Cut the YAML text at this fraction of its length (a file saved half-way), or keep it whole. */
  readonly truncate?: number;
}

const testCase: fc.Arbitrary<Case> = fc.record(
  {
    env: fc.constantFrom(...ENVS),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    truncate: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  },
  { requiredKeys: ["env", "mutations"] },
);

/** Writes both configs, one of them mutated, into a fresh directory; returns it and what was done. */
function writeCase(c: Case, base: string, n: number): { dir: string; file: string; described: string[] } {
  const dir = join(base, `case-${n}`);
  mkdirSync(dir, { recursive: true });
  let described: string[] = [];
  for (const env of ENVS) {
    const raw: any = rawConfig(env);
    if (env === c.env) described = c.mutations.map((m) => apply(raw, m));
    let text = stringify(raw);
    if (env === c.env && c.truncate !== undefined) {
      text = text.slice(0, Math.floor(text.length * c.truncate));
      described.push(`truncated at ${Math.round(c.truncate * 100)}%`);
    }
    writeFileSync(join(dir, `${env}.yaml`), text);
  }
  return { dir, file: `${c.env}.yaml`, described };
}

const policyDir = join(ROOT, "policies");

/** What is wrong with how validation refused a config, or undefined when it refused it cleanly. */
function rejectionComplaint(error: unknown, file: string): string | undefined {
  if (!(error instanceof ConfigError)) return `not a ConfigError: ${(error as Error)?.stack ?? String(error)}`;
  stats.rejected++;
  if (error.problems.length === 0) return "a ConfigError without problems";
  const unnamed = error.problems.find((p) => !/\S+\.(ya?ml|hcl)\b/.test(p) || STACK_FRAME.test(p));
  if (unnamed) return `a problem that names no file, or carries a stack trace: ${unnamed}`;
  if (!error.problems.some((p) => p.includes(file))) return `no problem names the mutated file ${file}: ${error.problems.join(" | ")}`;
  return undefined;
}

/** What went wrong building the stacks of a config validation accepted, or undefined. */
function buildComplaint(loaded: Awaited<ReturnType<typeof validateInputs>>): string | undefined {
  try {
    for (const { config } of loaded.environments) addEnvironment(Testing.app(), config, loaded.policies);
  } catch (e) {
    return `validation passed but the stacks threw: ${(e as Error).stack ?? String(e)}`;
  }
  stats.built++;
  return undefined;
}
const stats = { runs: 0, rejected: 0, built: 0, inProcessMs: 0, subprocessRuns: 0 };
afterAll(() => {
  // Shown with --verbose; the numbers the README quotes.
  process.stdout.write(`config mutations: ${JSON.stringify(stats)}\n`);
});

describe("mutated default configs (property)", () => {
  const base = mkdtempSync(join(tmpdir(), "vault-platform-mutations-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("never crash validation or the stacks: a ConfigError whose every problem names its file, or a config that builds", async () => {
    const started = Date.now();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(testCase, async (c) => {
        const { dir, file, described } = writeCase(c, base, n++);
        stats.runs++;
        const result = await validateInputs(dir, policyDir).then(
          (loaded) => ({ loaded, error: undefined }),
          (error: unknown) => ({ loaded: undefined, error }),
        );
        const complaint = result.loaded ? buildComplaint(result.loaded) : rejectionComplaint(result.error, file);
        expect({ described, complaint }).toEqual({ described, complaint: undefined });
      }),
      { numRuns: 250, seed: 13, endOnFailure: true },
    );
    stats.inProcessMs = Date.now() - started;
    expect(stats.rejected).toBeGreaterThan(stats.runs / 2);
  }, 240_000);

  it("through the real npm run synth: exit 1, the file and field named, no stack trace, previous output untouched", async () => {
    // The first mutations (fixed seed) that change a field's type or value and that validation refuses.
    const cases: Case[] = [];
    for (const c of fc.sample(testCase, { numRuns: 60, seed: 7 })) {
      if (cases.length === 3) break;
      if (c.truncate !== undefined || !c.mutations.every((m) => m.kind === "swap-type" || m.kind === "replace")) continue;
      const refused = await validateInputs(writeCase(c, base, 2000 + cases.length).dir, policyDir).then(
        () => false,
        (e: unknown) => e instanceof ConfigError,
      );
      if (refused) cases.push(c);
    }
    const outdir = join(base, "out", "cdktf.out");
    mkdirSync(join(outdir, "stacks", "previous"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "previous", "cdk.tf.json"), '{"previous": true}\n');
    const before = treeDigest(join(base, "out"));
    for (const [i, c] of cases.entries()) {
      const { dir, file, described } = writeCase(c, base, 1000 + i);
      const run = await runSynth({ VAULT_PLATFORM_CONFIG_DIR: dir, CDKTF_OUTDIR: outdir }, { timeoutMs: 60_000 });
      stats.subprocessRuns++;
      const context = `${described.join("; ")}\n${run.stderr}`;
      expect({ context, status: run.status }).toEqual({ context, status: 1 });
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr).toMatch(new RegExp(`${file.replace(".", "\\.")}: [\\w.\\[\\]$]+: `));
      expect(treeDigest(join(base, "out"))).toBe(before);
    }
    expect(stats.subprocessRuns).toBe(3);
  }, 240_000);
});

describe("inputs Vault or AWS would refuse, or that would change meaning silently (table, #24 point 4)", () => {
  const base = mkdtempSync(join(tmpdir(), "vault-platform-meanings-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it.each(MEANING_CASES.map((c, i) => [c.name, c, i] as const))("%s: refused naming the file and the underlying field", async (_name, c, i) => {
    const dirs = { config: join(base, `case-${i}`, "config"), policies: join(base, `case-${i}`, "policies") };
    cpSync(join(ROOT, "config"), dirs.config, { recursive: true });
    cpSync(policyDir, dirs.policies, { recursive: true });
    c.setup(dirs);
    const error = await validateInputs(dirs.config, dirs.policies).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const expected of c.expected) expect(problems).toContainEqual(expect.stringMatching(expected));
    expect(problems.filter((p) => STACK_FRAME.test(p) || !/\S+\.(ya?ml|hcl)\b/.test(p))).toEqual([]);
  });
});
