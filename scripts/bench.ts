/**
 * `npm run bench`: synth wall time (median of 5) and peak RSS for the default configs and for generated configs
 * with 1,000 and 2,000 applications, each as a ratio to the floor (node loading cdktf). It reports; it never fails
 * a test. Run it on an otherwise idle machine: the ratios are what to compare between machines.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

const ROOT = resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RSS_PRELOAD = join(__dirname, "bench-rss.js");

interface Measurement {
  /** Wall time. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** CPU time (user + system) of the median run by CPU. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `runs` timed runs after one untimed run that fills the on-disk caches (the cold case is measured on its own). */
function measure(args: string[], env: NodeJS.ProcessEnv, runs = RUNS, warmUp = true): Measurement {
  if (warmUp) spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  const times: number[] = [];
  const cpu: number[] = [];
  let peak = 0;
  const scratch = mkdtempSync(join(tmpdir(), "vault-platform-bench-"));
  for (let i = 0; i < runs; i++) {
    const rssFile = join(scratch, `rss-${i}`);
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["--require", RSS_PRELOAD, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      encoding: "utf8",
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`benchmark run failed: ${run.stderr}`);
    const usage = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRssKb: number; cpuUs: number };
    peak = Math.max(peak, usage.maxRssKb / 1024);
    cpu.push(usage.cpuUs / 1000);
  }
  rmSync(scratch, { recursive: true, force: true });
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), cpuMs: median(cpu), peakRssMb: peak };
}

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
      join(policyDir, `${name}.hcl`),
      `path "apps/data/${name}/*" {\n  capabilities = ["read"]\n}\npath "apps/metadata/${name}/*" {\n  capabilities = ["list"]\n}\n`,
    );
  }
  writeFileSync(join(configDir, "dev.yaml"), stringify(config));
  return { configDir, policyDir, base };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const range = (m: Measurement) => `${seconds(m.medianMs)} (${seconds(m.minMs)}–${seconds(m.maxMs)})`;
const ratio = (a: Measurement, b: Measurement) => `${(a.medianMs / b.medianMs).toFixed(1)}×`;
const cpuRatio = (a: Measurement, b: Measurement) => `${(a.cpuMs / b.cpuMs).toFixed(1)}×`;

function main(): void {
  const out = mkdtempSync(join(tmpdir(), "vault-platform-bench-out-"));
  const synth = ["--require", "./scripts/register-ts.js", "main.ts"];
  const floor = measure(["-e", "require('cdktf')"], {}, RUNS, false);
  // Without the on-disk caches (first run after a clone or an upgrade): one run, as every run would be cold.
  const cold = measure(synth, { CDKTF_OUTDIR: join(out, "cold"), VAULT_PLATFORM_CACHE: "0" }, 1, false);
  const defaults = measure(synth, { CDKTF_OUTDIR: join(out, "default") });
  const large = (count: number) => {
    const generated = generateLargeConfig(count);
    try {
      return measure(synth, {
        CDKTF_OUTDIR: join(out, `large-${count}`),
        VAULT_PLATFORM_CONFIG_DIR: generated.configDir,
        VAULT_PLATFORM_POLICY_DIR: generated.policyDir,
      });
    } finally {
      rmSync(generated.base, { recursive: true, force: true });
    }
  };
  const thousand = large(1000);
  const twoThousand = large(2000);
  rmSync(out, { recursive: true, force: true });
  const row = (label: string, m: Measurement, against: Measurement, unit: string, goal: string) =>
    `| ${label} | ${range(m)} | ${seconds(m.cpuMs)} | ${m.peakRssMb.toFixed(0)} MB | ${ratio(m, against)} ${unit} | ${cpuRatio(m, against)} ${unit} | ${goal} |`;
  process.stdout.write(
    [
      `synth benchmark: wall time median (min–max) of ${RUNS} runs, CPU time (user + system) median, node ${process.version}`,
      "",
      "| case | wall time | CPU time | peak RSS | wall ratio | CPU ratio | goal |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      `| floor: node -e 'require("cdktf")' | ${range(floor)} | ${seconds(floor.cpuMs)} | ${floor.peakRssMb.toFixed(0)} MB | 1× | 1× | - |`,
      row("(a) default configs (dev + prod, 6 stacks)", defaults, floor, "floor", "<= 5× floor, <= 250 MB"),
      row("(a) the same without caches (one run)", cold, floor, "floor", "-"),
      row("(b) generated, 1,000 applications", thousand, floor, "floor", "<= 15× floor"),
      row("(c) generated, 2,000 applications", twoThousand, thousand, "(b)", "<= 2.1× (b)"),
      "",
    ].join("\n"),
  );
}

if (require.main === module) main();
