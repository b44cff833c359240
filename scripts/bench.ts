/**
 * `npm run bench`: synth wall time (median of 5) and peak RSS for the default configs and for a generated
 * config with 1,000 applications, next to the floor (node loading cdktf). It reports; it never fails a test.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

const ROOT = resolve(__dirname, "..");
const RUNS = 5;
const RSS_PRELOAD = join(__dirname, "bench-rss.js");

interface Measurement {
  readonly medianMs: number;
  readonly peakRssMb: number;
}

function measure(args: string[], env: NodeJS.ProcessEnv): Measurement {
  const times: number[] = [];
  let peak = 0;
  const scratch = mkdtempSync(join(tmpdir(), "vault-platform-bench-"));
  for (let i = 0; i < RUNS; i++) {
    const rssFile = join(scratch, `rss-${i}`);
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["--require", RSS_PRELOAD, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      encoding: "utf8",
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`benchmark run failed: ${run.stderr}`);
    peak = Math.max(peak, Number(readFileSync(rssFile, "utf8")) / 1024);
  }
  rmSync(scratch, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RUNS / 2)], peakRssMb: peak };
}

/** dev.yaml with `count` extra applications, each with its own Kubernetes role, policy file and KV paths. */
export function generateLargeConfig(count: number): { configDir: string; policyDir: string } {
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
    config.cluster.allowedNamespaces.push(name);
    config.applications.push({
      name,
      auth: { method: "kubernetes", role: name, serviceAccounts: [name], namespaces: [name], audience: "vault" },
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
  return { configDir, policyDir };
}

function row(label: string, m: Measurement, target?: string): string {
  return `| ${label} | ${m.medianMs.toFixed(0)} ms | ${m.peakRssMb.toFixed(0)} MB | ${target ?? "-"} |`;
}

function main(): void {
  const out = mkdtempSync(join(tmpdir(), "vault-platform-bench-out-"));
  const synth = ["--require", "./scripts/register-ts.js", "main.ts"];
  const floor = measure(["-e", "require('cdktf')"], {});
  const defaults = measure(synth, { CDKTF_OUTDIR: join(out, "default") });
  const large = generateLargeConfig(1000);
  const big = measure(synth, {
    CDKTF_OUTDIR: join(out, "large"),
    VAULT_PLATFORM_CONFIG_DIR: large.configDir,
    VAULT_PLATFORM_POLICY_DIR: large.policyDir,
  });
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(
    [
      `synth benchmark: median of ${RUNS} runs, node ${process.version}`,
      "",
      "| case | wall time | peak RSS | target (2 cores) |",
      "| --- | --- | --- | --- |",
      row("floor: node loading cdktf", floor),
      row("(a) default configs (dev + prod, 6 stacks)", defaults, "<= 2 s, <= 250 MB"),
      row("(b) generated config, 1,000 applications", big, "<= 6 s, <= 600 MB"),
      "",
    ].join("\n"),
  );
}

if (require.main === module) main();
