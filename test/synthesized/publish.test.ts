/**
 * Publishing the synth output: readers never see cdktf.out missing or half-written, concurrent synths both
 * publish whole and leave nothing behind, an interrupt removes the staging directory, a stale lock is taken over.
 */
import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutputDirectory, PublishError } from "../../synthesized/publish";
import { ROOT } from "../helpers";
import { STACK_FRAME, runSynth, treeDigest } from "../synth-process";

const STACKS = ["a", "b", "c"];

/** Writes a complete fake output (a manifest naming three stacks, and their files) into `dir`. */
function writeOutput(dir: string, generation: number): void {
  mkdirSync(join(dir, "stacks"), { recursive: true });
  for (const s of STACKS) {
    mkdirSync(join(dir, "stacks", s));
    writeFileSync(join(dir, "stacks", s, "cdk.tf.json"), JSON.stringify({ generation, filler: "x".repeat(20_000) }));
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ generation, stacks: STACKS }));
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "vault-platform-publish-"));
}

describe("OutputDirectory", () => {
  it("swaps the output so that a polling reader never finds it missing or incomplete", async () => {
    const outdir = join(scratch(), "cdktf.out");
    const first = new OutputDirectory(outdir);
    writeOutput(first.begin(), 0);
    await first.publish();

    // The reader runs in its own process, polling as fast as it can until told to stop, while 40 outputs are published.
    const stop = `${outdir}-stop`;
    const reader = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("fs"), path = require("path"); const [out, stop] = process.argv.slice(1); let reads = 0; const bad = [];
         process.stdout.write("ready\\n");
         while (!fs.existsSync(stop)) {
           try {
             const m = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
             for (const s of m.stacks) JSON.parse(fs.readFileSync(path.join(out, "stacks", s, "cdk.tf.json"), "utf8"));
             reads++;
           } catch (e) { bad.push(e.code || e.message); }
         }
         process.stdout.write(JSON.stringify({ reads, bad: bad.slice(0, 5), badCount: bad.length }));`,
        outdir,
        stop,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    reader.stdout.on("data", (d: Buffer) => (output += d.toString()));
    const done = new Promise<void>((resolve) => reader.on("close", () => resolve()));
    while (!output.startsWith("ready")) await new Promise((r) => setTimeout(r, 10));
    for (let generation = 1; generation <= 40; generation++) {
      const run = new OutputDirectory(outdir);
      writeOutput(run.begin(), generation);
      await run.publish();
    }
    writeFileSync(stop, "");
    await done;
    const { reads, bad, badCount } = JSON.parse(output.replace(/^ready\n/, ""));
    expect({ badCount, bad }).toEqual({ badCount: 0, bad: [] });
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBe(40);
  }, 60_000);

  it("keeps the current and the previous version and nothing else (no staging, link or lock files)", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    for (let g = 0; g < 4; g++) {
      const run = new OutputDirectory(outdir);
      writeOutput(run.begin(), g);
      await run.publish();
    }
    const entries = readdirSync(parent).sort();
    expect(entries).toHaveLength(3);
    expect(entries.filter((e) => /^cdktf\.out\.v\d+-\d+$/.test(e))).toHaveLength(2);
    expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
    expect(entries).toContain(readlinkSync(outdir));
  });

  it("turns a plain cdktf.out directory from before into the previous version", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    writeOutput(outdir, 7);
    const run = new OutputDirectory(outdir);
    writeOutput(run.begin(), 8);
    await run.publish();
    const versions = readdirSync(parent).filter((e) => e !== "cdktf.out");
    expect(versions.map((v) => JSON.parse(readFileSync(join(parent, v, "manifest.json"), "utf8")).generation).sort()).toEqual([7, 8]);
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBe(8);
  });

  it("discards the staging directory of a failed synth and leaves the output as it was", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    const first = new OutputDirectory(outdir);
    writeOutput(first.begin(), 1);
    await first.publish();
    const before = treeDigest(parent);
    const failed = new OutputDirectory(outdir);
    writeOutput(failed.begin(), 2);
    failed.discard();
    expect(treeDigest(parent)).toBe(before);
  });

  it("takes over a lock left by a process that no longer runs, and removes that process's staging directory", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    const dead = 2 ** 22 + 17; // above Linux's default pid_max, so never a running process
    writeFileSync(`${outdir}.lock`, `${dead}\n`);
    mkdirSync(`${outdir}.staging-${dead}`);
    const run = new OutputDirectory(outdir, { lockTimeoutMs: 1_000 });
    writeOutput(run.begin(), 1);
    await run.publish();
    expect(readdirSync(parent).filter((e) => /lock|staging/.test(e))).toEqual([]);
  });

  it("fails with the lock's owner and what to do when a running process holds the lock too long", async () => {
    const outdir = join(scratch(), "cdktf.out");
    writeFileSync(`${outdir}.lock`, `${process.ppid}\n`);
    const run = new OutputDirectory(outdir, { lockTimeoutMs: 100 });
    writeOutput(run.begin(), 1);
    await expect(run.publish()).rejects.toThrow(PublishError);
    await expect(run.publish()).rejects.toThrow(new RegExp(`held by synth process ${process.ppid} .* delete .*cdktf\\.out\\.lock`));
    expect(existsSync(run.staging)).toBe(false);
  });
});

describe("npm run synth, twice at once and interrupted", () => {
  it("two synths into the same output both succeed and leave one complete output, no staging and no lock", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    const runs = await Promise.all([runSynth({ CDKTF_OUTDIR: outdir }), runSynth({ CDKTF_OUTDIR: outdir })]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
    const entries = readdirSync(parent);
    expect(entries.filter((e) => /staging|lock|link/.test(e))).toEqual([]);
    expect(entries.filter((e) => e.startsWith("cdktf.out.v"))).toHaveLength(2);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    for (const stack of Object.values(manifest.stacks) as { synthesizedStackPath: string }[]) {
      expect(existsSync(join(outdir, stack.synthesizedStackPath))).toBe(true);
    }
  }, 120_000);

  it("SIGINT during synth removes the staging directory, keeps the previous output, and exits 130", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    const first = new OutputDirectory(outdir);
    writeOutput(first.begin(), 1);
    await first.publish();
    const before = treeDigest(parent);

    const child = spawn(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Interrupt once the staging directory exists, i.e. in the middle of the synth.
    const staging = `${outdir}.staging-${child.pid}`;
    for (let i = 0; i < 600 && !existsSync(staging); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(staging)).toBe(true);
    child.kill("SIGINT");
    const code = await closed;

    expect(code).toBe(130);
    expect(stderr).toMatch(/synth interrupted \(SIGINT\): removed .*cdktf\.out\.staging-\d+; .*cdktf\.out is unchanged/);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(staging)).toBe(false);
    expect(treeDigest(parent)).toBe(before);
  }, 60_000);
});
