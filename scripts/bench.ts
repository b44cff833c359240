/**
 * `npm run bench`: synth time as a ratio to the floor (node loading cdktf and constructs, what every synth pays
 * before it does anything), measured honestly on a 2-core machine:
 * - floor and synth run in pairs, one after the other (A B A B ...), and each pair gives one ratio, so a burst of
 *   load shifts both halves of a pair instead of one side of the comparison;
 * - the report gives the median and the range (min–max) of those ratios, and whether each goal is met at the median
 *   and at the worst pair;
 * - it refuses to report when the one-minute load average is above 1 (other work would be in the numbers), unless
 *   `--anyway`, and then says so in the first line.
 * Cases: warm (the on-disk caches filled), cold (VAULT_PLATFORM_CACHE=0: every CI run and fresh clone without the
 * cache restored), generated configs with 1,000 and 2,000 applications. It reports; it never fails a test.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

const ROOT = resolve(__dirname, "..");
const PAIRS = Number(process.env.BENCH_RUNS ?? 7);
const RSS_PRELOAD = join(__dirname, "bench-rss.js");
const FLOOR = ["-e", "require('cdktf'); require('constructs')"];

interface Run {
  readonly ms: number;
  readonly peakRssMb: number;
}

/** One timed run of node with `args` (peak RSS read by the preload). */
function run(args: string[], env: NodeJS.ProcessEnv, scratch: string, tag: string): Run {
  const rssFile = join(scratch, `rss-${tag}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", RSS_PRELOAD, ...args], { cwd: ROOT, env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`benchmark run failed: ${r.stderr}`);
  const usage = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRssKb: number };
  return { ms, peakRssMb: usage.maxRssKb / 1024 };
}

interface Paired {
  /** Ratio a/b of each pair. */
  readonly ratios: number[];
  readonly a: Run[];
  readonly b: Run[];
}

/** `pairs` pairs: b then a, alternating, after one untimed run of each that fills the caches (unless cold). */
function paired(a: { args: string[]; env: NodeJS.ProcessEnv }, b: { args: string[]; env: NodeJS.ProcessEnv }, pairs: number, warm: boolean): Paired {
  const scratch = mkdtempSync(join(tmpdir(), "vault-platform-bench-"));
  try {
    if (warm) {
      run(a.args, a.env, scratch, "warm-a");
      run(b.args, b.env, scratch, "warm-b");
    }
    const as: Run[] = [];
    const bs: Run[] = [];
    for (let i = 0; i < pairs; i++) {
      bs.push(run(b.args, b.env, scratch, `b${i}`));
      as.push(run(a.args, a.env, scratch, `a${i}`));
    }
    return { ratios: as.map((x, i) => x.ms / bs[i].ms), a: as, b: bs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/**
 * dev.yaml with `count` extra applications: two thirds log in with Kubernetes, one third with AppRole; each has its
 * own policy file (read and list on its own KV paths) and owns those paths.
 */
export function generateLargeConfig(count: number): { configDir: string; policyDir: string; base: string } {
  const base = mkdtempSync(join(tmpdir(), "vault-platform-bench-large-"));
  const configDir = join(base, "config");
  const policyDir = join(base, "policies");
  mkdirSync(configDir);
  mkdirSync(join(policyDir, "tests"), { recursive: true });
  for (const f of readdirSync(join(ROOT, "policies")).filter((f) => f.endsWith(".hcl"))) {
    copyFileSync(join(ROOT, "policies", f), join(policyDir, f));
  }
  // Synth refuses an attached policy without its test file: the shipped ones come along, each generated one gets its own.
  for (const f of readdirSync(join(ROOT, "policies", "tests")).filter((f) => f.endsWith(".yaml"))) {
    copyFileSync(join(ROOT, "policies", "tests", f), join(policyDir, "tests", f));
  }
  const config = parse(readFileSync(join(ROOT, "config", "dev.yaml"), "utf8"));
  config.vault.kv.push({ path: "apps", maxVersions: 5, casRequired: true });
  for (let i = 0; i < count; i++) {
    const name = `app-${String(i).padStart(4, "0")}`;
    const auth =
      i % 3 === 2
        ? { method: "approle", role: name, secretIdTtl: "720h", secretIdNumUses: 1, tokenBoundCidrs: ["10.0.0.0/16"] }
        : { method: "kubernetes", role: name, serviceAccounts: [name], namespaces: [name], audience: "vault" };
    if (auth.method === "kubernetes") config.cluster.allowedNamespaces.push(name);
    config.applications.push({
      name,
      auth,
      policies: [name],
      kvMounts: ["apps"],
      ownedPaths: [`apps/data/${name}/`, `apps/metadata/${name}/`],
    });
    writeFileSync(
      join(policyDir, "tests", `${name}.yaml`),
      `allow:\n  - { path: apps/data/${name}/key, capability: read }\ndeny:\n  - { path: apps/data/${name}/key, capability: update }\n`,
    );
    writeFileSync(
      join(policyDir, `${name}.hcl`),
      `path "apps/data/${name}/*" {\n  capabilities = ["read"]\n}\npath "apps/metadata/${name}/*" {\n  capabilities = ["list"]\n}\n`,
    );
  }
  writeFileSync(join(configDir, "dev.yaml"), stringify(config));
  return { configDir, policyDir, base };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const times = (runs: Run[]) => `${seconds(median(runs.map((r) => r.ms)))} (${seconds(Math.min(...runs.map((r) => r.ms)))}–${seconds(Math.max(...runs.map((r) => r.ms)))})`;

function main(): void {
  const load = loadavg()[0];
  const anyway = process.argv.includes("--anyway");
  if (load > 1 && !anyway) {
    process.stderr.write(`bench: the one-minute load average is ${load.toFixed(2)} (above 1): other work would be in the ratios. Wait for a quiet machine, or pass --anyway to see numbers marked as not quiet.\n`);
    process.exit(1);
  }
  const out = mkdtempSync(join(tmpdir(), "vault-platform-bench-out-"));
  const synth = ["--require", "./scripts/register-ts.js", "main.ts"];
  const floor = { args: FLOOR, env: {} };
  const rows: { label: string; p: Paired; goal: number; against: string }[] = [];
  rows.push({ label: "(a) default configs, warm (dev + prod, 6 stacks)", p: paired({ args: synth, env: { CDKTF_OUTDIR: join(out, "warm") } }, floor, PAIRS, true), goal: 4, against: "floor" });
  rows.push({ label: "(a) default configs, cold (no caches)", p: paired({ args: synth, env: { CDKTF_OUTDIR: join(out, "cold"), VAULT_PLATFORM_CACHE: "0" } }, floor, PAIRS, false), goal: 8, against: "floor" });
  const generated = [1000, 2000].map((count) => ({ count, ...generateLargeConfig(count) }));
  try {
    const large = (g: (typeof generated)[number]) => ({
      args: synth,
      env: { CDKTF_OUTDIR: join(out, `large-${g.count}`), VAULT_PLATFORM_CONFIG_DIR: g.configDir, VAULT_PLATFORM_POLICY_DIR: g.policyDir },
    });
    rows.push({ label: "(b) generated, 1,000 applications, warm", p: paired(large(generated[0]), floor, PAIRS, true), goal: 12, against: "floor" });
    rows.push({ label: "(c) generated, 2,000 against 1,000 applications", p: paired(large(generated[1]), large(generated[0]), PAIRS, true), goal: 2, against: "(b)" });
  } finally {
    for (const g of generated) rmSync(g.base, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  const met = (x: number, goal: number) => (x <= goal ? "met" : "NOT met");
  process.stdout.write(
    [
      `synth benchmark, ${PAIRS} pairs each (the measured run and its baseline, alternating); node ${process.version}; one-minute load ${load.toFixed(2)} at the start${load > 1 ? " — NOT QUIET: do not quote these ratios" : ""}`,
      `floor: node -e "require('cdktf'); require('constructs')"`,
      "",
      "| case | ratio median (min–max) | against | goal | at median | at worst | its time | baseline time | peak RSS |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows.map(({ label, p, goal, against }) => {
        const m = median(p.ratios);
        const worst = Math.max(...p.ratios);
        const rss = Math.max(...p.a.map((r) => r.peakRssMb));
        return `| ${label} | ${m.toFixed(2)}× (${Math.min(...p.ratios).toFixed(2)}–${worst.toFixed(2)}×) | ${against} | <= ${goal}× | ${met(m, goal)} | ${met(worst, goal)} | ${times(p.a)} | ${times(p.b)} | ${rss.toFixed(0)} MB |`;
      }),
      "",
      `load average after: ${loadavg()[0].toFixed(2)}`,
      "",
    ].join("\n"),
  );
}

if (require.main === module) main();
