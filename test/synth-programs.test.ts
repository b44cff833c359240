/**
 * Synth runs no Terraform (#27: a process on the hot path cost more than the rest of a warm synth). cdktf would run
 * `terraform version` once per stack that has moved blocks (cdktf/lib/synthesize/synthesizer.js adds
 * ValidateTerraformVersion; validate-binary-version.js runs it with execSync): that checks the machine that synthesizes,
 * not the one that plans. Each stack declares `required_version` instead, which Terraform enforces where it runs.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { parse } from "yaml";
import { providerProblems } from "../stacks/provider-presence";
import { ROOT } from "./helpers";
import { runSynth, type SynthRun } from "./synth-process";
import { runTerraform } from "./terraform";

describe("npm run synth and the programs it runs", () => {
  let dir: string;
  let run: SynthRun;
  const calls = () => readFileSync(join(dir, "calls.log"), "utf8").split("\n").filter(Boolean);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "synth-programs-"));
    writeFileSync(join(dir, "calls.log"), "");
    // A terraform first on PATH that records each call (and answers like Terraform 1.11.4).
    writeFileSync(join(dir, "terraform"), `#!/bin/sh\necho "terraform $*" >> '${join(dir, "calls.log")}'\necho "Terraform v1.11.4"\n`);
    chmodSync(join(dir, "terraform"), 0o755);
    run = await runSynth({ CDKTF_OUTDIR: join(dir, "cdktf.out"), PATH: `${dir}:${process.env.PATH}` }, { timeoutMs: 120_000 });
  }, 150_000);

  it("synthesizes without running terraform", () => {
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(calls()).toEqual([]);
  });

  it("declares in every stack the Terraform the workflows install (moved blocks need 1.5, write-only attributes 1.11)", () => {
    const installed = new Set(
      readdirSync(join(ROOT, ".github", "workflows")).map((f) => String(parse(readFileSync(join(ROOT, ".github", "workflows", f), "utf8")).env?.TERRAFORM_VERSION ?? "")).filter(Boolean),
    );
    expect([...installed]).toHaveLength(1);
    const [major, minor] = [...installed][0].split(".").map(Number);
    const stacks = readdirSync(join(dir, "cdktf.out", "stacks"));
    const declared = stacks.map((s) => [s, JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", s, "cdk.tf.json"), "utf8")).terraform.required_version]);
    for (const [stack, constraint] of declared) {
      const m = /^>= (\d+)\.(\d+)\.\d+$/.exec(String(constraint));
      expect([stack, m !== null]).toEqual([stack, true]);
      const [cMajor, cMinor] = [Number(m![1]), Number(m![2])];
      expect([stack, cMajor === major && cMinor <= minor && cMinor >= 11]).toEqual([stack, true]);
    }
  });
});

describe("providerProblems (cdktf's provider check, kept when its other validations are skipped)", () => {
  it("names a stack whose resource's provider is not configured", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "provider-presence-")), skipValidation: true });
    const stack = new TerraformStack(app, "fixture-stack");
    new Mount(stack, "kv", { path: "fixture", type: "kv-v2" });
    expect(providerProblems(app)).toEqual([expect.stringMatching(/^fixture-stack: .*vault/)]);
    new VaultProvider(stack, "vault", {});
    expect(providerProblems(app)).toEqual([]);
  });
});

describe("npm run synth with SYNTH_HCL_OUTPUT (cdktf synth --hcl, the one-time export out of cdktf)", () => {
  it("writes HCL that Terraform parses, with every stack's required_version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synth-hcl-"));
    const run = await runSynth({ CDKTF_OUTDIR: join(dir, "cdktf.out"), SYNTH_HCL_OUTPUT: "true" }, { timeoutMs: 120_000 });
    expect(run.status).toBe(0);
    for (const stack of readdirSync(join(dir, "cdktf.out", "stacks"))) {
      const fmt = runTerraform(join(dir, "cdktf.out", "stacks", stack), "fmt", "-list=false", "-write=false", "cdk.tf");
      expect([stack, fmt.status, fmt.stderr]).toEqual([stack, 0, ""]);
      const text = readFileSync(join(dir, "cdktf.out", "stacks", stack, "cdk.tf"), "utf8");
      expect([stack, /^\s*required_version\s*=\s*">= \d+\.\d+\.\d+"$/m.test(text)]).toEqual([stack, true]);
    }
  }, 150_000);
});
