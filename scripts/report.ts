/**
 * `npm run report [cdktf.out] [--base <base cdktf.out>] [--restore-drill <result.json>]...`: writes into the
 * synthesized output directory (with --base, what the change does to access and what it destroys), from
 * the synthesized stacks alone, compliance-report.md, a self-contained compliance-report.html, the findings as SARIF
 * 2.1.0 (compliance-report.sarif, for code scanning) and as JSON (compliance-findings.json). Restore drill results
 * (scripts/restore-drill.sh --result-file) given with --restore-drill are shown per environment.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { evaluateStack } from "../compliance/evaluate";
import { ALL_PACKS } from "../compliance/packs";
import { complianceReport } from "../compliance/report/build";
import { findingsJson } from "../compliance/report/findings-json";
import { toSarif } from "../compliance/report/sarif";
import { REPORT_SECTIONS } from "../compliance/report/sections";
import { parseRestoreDrillResult, restoreDrillSection, type RestoreDrillResult } from "../compliance/report/restore-drills";
import { toMarkdown } from "../document/document";
import { toHtml } from "../document/html";
import { readProvenance, readSynthesized, SynthOutputError } from "../synthesized/manifest";
import { listDirectory } from "../config/files";
import type { BaseOutput } from "../compliance/report/review";

/** The base output of a change; an empty `stacks/` (CI's base of a first pull request) holds no environment. */
function readBase(dir: string): BaseOutput {
  return { environments: listDirectory(join(dir, "stacks")).entries?.length === 0 ? [] : readSynthesized(dir) };
}

async function main(outdir: string, drills: readonly RestoreDrillResult[], baseDir: string | undefined): Promise<void> {
  const environments = readSynthesized(outdir);
  const provenance = readProvenance(outdir);
  const base = baseDir === undefined ? undefined : readBase(baseDir);
  const evaluated = environments.map((env) => ({
    environment: env.environment,
    findings: env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions)),
  }));
  const blocks = complianceReport(
    environments.map((env, i) => ({ ...env, findings: evaluated[i].findings })),
    [...REPORT_SECTIONS, restoreDrillSection(drills)],
    provenance,
    new Date(),
    base,
  );
  const version = (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
  // SARIF locations are relative to the repository root (where code scanning resolves them), with forward slashes.
  const uriOf = (path: string) => relative(process.cwd(), path).split(sep).join("/");
  const sarif = toSarif({
    packs: ALL_PACKS,
    environments: evaluated,
    toolVersion: version,
    // The repository code scanning shows the alerts in, when run by GitHub Actions.
    informationUri: process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}` : undefined,
    stackFile: (stack) => {
      const file = environments.map((e) => e.files.get(stack)).find(Boolean);
      return { uri: uriOf(join(outdir, file?.path ?? join("stacks", stack, "cdk.tf.json"))), text: file?.text };
    },
  });
  const written = ["compliance-report.md", "compliance-report.html", "compliance-report.sarif", "compliance-findings.json"];
  writeFileSync(join(outdir, written[0]), toMarkdown(blocks));
  writeFileSync(join(outdir, written[1]), toHtml("vault-platform compliance report", blocks));
  writeFileSync(join(outdir, written[2]), `${JSON.stringify(sarif, null, 2)}\n`);
  writeFileSync(join(outdir, written[3]), `${JSON.stringify(findingsJson({ packs: ALL_PACKS, environments: evaluated, provenance }), null, 2)}\n`);
  process.stdout.write(`wrote ${written.map((f) => join(outdir, f)).join(", ")}\n`);
}

const args = process.argv.slice(2);
const OPTIONS = ["--restore-drill", "--base"];
const drillFiles = args.flatMap((a, i) => (args[i - 1] === "--restore-drill" ? [a] : []));
const baseDir = args.find((_a, i) => args[i - 1] === "--base");
const outdir = args.find((a, i) => !a.startsWith("--") && !OPTIONS.includes(args[i - 1])) ?? "cdktf.out";
let drills: RestoreDrillResult[] = [];
try {
  if (OPTIONS.includes(args[args.length - 1])) throw new Error(`${args[args.length - 1]} needs ${args[args.length - 1] === "--base" ? "a synthesized output directory" : "a result file"}`);
  drills = drillFiles.map((f) => parseRestoreDrillResult(readFileSync(f, "utf8"), f));
} catch (e) {
  process.stderr.write(`report: ${(e as Error).message}\n`);
  process.exit(2);
}
main(outdir, drills, baseDir).catch((e: unknown) => {
  // A missing or malformed output names its file; anything else is content the report could not read.
  const message = e instanceof SynthOutputError ? e.message : `${outdir}: cannot write the report from this output (${(e as Error).message ?? String(e)})`;
  process.stderr.write(`report: ${message}\n`);
  process.exit(1);
});
