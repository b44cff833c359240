/**
 * Publishing the synth output: readers never see cdktf.out missing or half-written, concurrent synths both
 * publish whole and leave nothing behind, a slow reader keeps the version it resolved, an old version that cannot be
 * removed is reported without failing the run, an interrupt stops synth at once (the next run removes its staging
 * directory), a stale lock is taken over, and a file-system error names the directory.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSystemError, OutputDirectory, processStart, PublishError } from "../../synthesized/publish";
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

/** Publishes `count` generations into a new cdktf.out, retired versions removable at once (keepRetiredMs 0). */
async function publishRetiringAtOnce(count: number): Promise<{ parent: string; outdir: string }> {
  const parent = scratch();
  const outdir = join(parent, "cdktf.out");
  for (let g = 0; g < count; g++) {
    const run = new OutputDirectory(outdir, { keepRetiredMs: 0 });
    writeOutput(run.begin(), g);
    await run.publish();
  }
  return { parent, outdir };
}

/** Root ignores permission bits: the undeletable-version case publishes as nobody there. */
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Publishes generation `g` from its own process, as a concurrent synth would (optionally as another user). */
function publishInChild(outdir: string, g: number, user: { uid?: number; gid?: number } = {}, options: object = {}): Promise<{ status: number | null; stderr: string }> {
  const script = `const { OutputDirectory } = require("./synthesized/publish.ts"); const fs = require("fs"), path = require("path");
    const [outdir, g, options] = [process.argv[1], Number(process.argv[2]), JSON.parse(process.argv[3])];
    const run = new OutputDirectory(outdir, options); const dir = run.begin(); const stacks = ["a", "b", "c"];
    for (const s of stacks) { fs.mkdirSync(path.join(dir, "stacks", s), { recursive: true }); fs.writeFileSync(path.join(dir, "stacks", s, "cdk.tf.json"), JSON.stringify({ g })); }
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ generation: g, stacks }));
    run.publish().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "./scripts/register-ts.js", "-e", script, outdir, String(g), JSON.stringify(options)], { cwd: ROOT, ...user });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

/**
 * Starts a reader in its own process (`node -e script ...args`) and waits until it writes its first line; the
 * returned promise gives what it wrote after that line, once it exits.
 */
async function startReader(script: string, args: readonly string[]): Promise<() => Promise<string>> {
  const reader = spawn(process.execPath, ["-e", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  reader.stdout.on("data", (d: Buffer) => (output += d.toString()));
  const done = new Promise<void>((resolve) => reader.on("close", () => resolve()));
  while (!output.includes("\n")) await new Promise((r) => setTimeout(r, 10));
  return async () => {
    await done;
    return output.slice(output.indexOf("\n") + 1);
  };
}

describe("OutputDirectory", () => {
  it("swaps the output so that a polling reader never finds it missing or incomplete", async () => {
    const outdir = join(scratch(), "cdktf.out");
    const first = new OutputDirectory(outdir);
    writeOutput(first.begin(), 0);
    await first.publish();

    // The reader runs in its own process, polling as fast as it can until told to stop, while 40 outputs are published.
    const stop = `${outdir}-stop`;
    const result = await startReader(
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
      [outdir, stop],
    );
    for (let generation = 1; generation <= 40; generation++) {
      const run = new OutputDirectory(outdir);
      writeOutput(run.begin(), generation);
      await run.publish();
    }
    writeFileSync(stop, "");
    const { reads, bad, badCount } = JSON.parse(await result());
    expect({ badCount, bad }).toEqual({ badCount: 0, bad: [] });
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBe(40);
  }, 60_000);

  it("once retired versions have had their time, keeps the current and the previous version and nothing else (no staging, link or lock files)", async () => {
    const { parent, outdir } = await publishRetiringAtOnce(4);
    const entries = readdirSync(parent).sort();
    expect(entries).toHaveLength(3);
    expect(entries.filter((e) => /^cdktf\.out\.v\d+-\d+$/.test(e))).toHaveLength(2);
    expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
    expect(entries).toContain(readlinkSync(outdir));
  });

  it("retires versions published within the same millisecond too (a version's stamp may run ahead of the clock)", async () => {
    // Date.now() stands still: each version takes the next free stamp, ahead of the clock.
    jest.useFakeTimers({ doNotFake: ["setImmediate", "setTimeout", "setInterval", "nextTick", "queueMicrotask"], now: Date.now() });
    try {
      const { parent, outdir } = await publishRetiringAtOnce(4);
      const versions = readdirSync(parent).filter((e) => /^cdktf\.out\.v\d+-\d+$/.test(e));
      expect(versions).toHaveLength(2);
      // The current version sorts last: a later run keeps it and retires the older one.
      expect(readlinkSync(outdir)).toBe(versions.sort((a, b) => Number(/v(\d+)/.exec(a)![1]) - Number(/v(\d+)/.exec(b)![1]))[1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("keeps the directory a slow reader resolved while concurrent synths publish after it", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    await publishInChild(outdir, 0);
    // The reader resolves cdktf.out now and walks it only after three more synths, run at once, have published.
    const go = `${outdir}-go`;
    const result = await startReader(
      `const fs = require("fs"), path = require("path"); const [out, go] = process.argv.slice(1);
         const dir = fs.realpathSync(out); process.stdout.write("resolved\\n");
         const wait = () => { if (!fs.existsSync(go)) return setTimeout(wait, 10); const bad = [];
           try { const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
             for (const s of m.stacks) JSON.parse(fs.readFileSync(path.join(dir, "stacks", s, "cdk.tf.json"), "utf8"));
           } catch (e) { bad.push(e.code || e.message); }
           process.stdout.write(JSON.stringify({ bad })); };
         wait();`,
      [outdir, go],
    );
    await Promise.all([1, 2, 3].map((g) => publishInChild(outdir, g)));
    writeFileSync(go, "");
    expect(JSON.parse(await result())).toEqual({ bad: [] });
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBeGreaterThan(0);
  }, 60_000);

  it("publishes, warns and exits 0 when an old version cannot be removed, and keeps doing so on later runs", async () => {
    const parent = scratch();
    chmodSync(parent, 0o777);
    const outdir = join(parent, "cdktf.out");
    await publishInChild(outdir, 0, NOBODY);
    // A directory inside the old version that the publishing user may not empty (root's, or read-only).
    const old = join(parent, readlinkSync(outdir));
    mkdirSync(join(old, "pinned"));
    writeFileSync(join(old, "pinned", "file"), "x");
    if (!NOBODY.uid) chmodSync(join(old, "pinned"), 0o555);
    for (const g of [1, 2]) {
      const run = await publishInChild(outdir, g, NOBODY, { keepRetiredMs: 0, keepVersions: 1 });
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`warning: could not remove the old output ${old.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\((EACCES|EPERM)\\); remove it by hand`));
      expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBe(g);
    }
    chmodSync(join(old, "pinned"), 0o755);
  }, 60_000);

  it("names the directory for a file-system error (ENOSPC, EROFS, EACCES) instead of an internal error", () => {
    const error = (code: string, path: string) => Object.assign(new Error(`${code}: failed`), { code, path });
    expect(fileSystemError(error("ENOSPC", "/srv/out/cdktf.out.staging-1/stacks/a/cdk.tf.json"), "/srv/out/cdktf.out")?.message).toBe(
      "/srv/out/cdktf.out.staging-1/stacks/a: cannot write the synth output: no space left on the device (ENOSPC); /srv/out/cdktf.out is unchanged",
    );
    expect(fileSystemError(error("EROFS", "/srv/out/cdktf.out.staging-1"), "/srv/out/cdktf.out")?.message).toMatch(/^\/srv\/out: cannot write the synth output: the file system is read-only \(EROFS\)/);
    expect(fileSystemError(new TypeError("x"), "/srv/out/cdktf.out")).toBeUndefined();
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

  it("takes over a lock whose pid now names another live process (reused after a crash), at once", async () => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    // A live pid (the test runner's parent) with a start time it does not have: the owner that wrote it is gone.
    writeFileSync(`${outdir}.lock`, `${process.ppid} 1\n`);
    const run = new OutputDirectory(outdir, { lockTimeoutMs: 100 });
    writeOutput(run.begin(), 1);
    await run.publish();
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).generation).toBe(1);
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });

  it("waits for a lock whose owner is the live process that wrote it (pid and start time match)", async () => {
    const outdir = join(scratch(), "cdktf.out");
    writeFileSync(`${outdir}.lock`, `${process.ppid} ${processStart(process.ppid)}\n`);
    const run = new OutputDirectory(outdir, { lockTimeoutMs: 100 });
    writeOutput(run.begin(), 1);
    await expect(run.publish()).rejects.toThrow(new RegExp(`held by synth process ${process.ppid} `));
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

  it("a directory synth may not write to is named with the reason, not reported as an internal error", async () => {
    const parent = scratch();
    chmodSync(parent, 0o555);
    const run = await runSynth({ CDKTF_OUTDIR: join(parent, "cdktf.out") }, NOBODY);
    chmodSync(parent, 0o755);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${parent}: cannot write the synth output: permission denied \\(EACCES\\); \\S*cdktf\\.out is unchanged`));
    expect(run.stderr).not.toMatch(/synth failed/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);

  it.each(["SIGTERM", "SIGINT"] as const)("%s during synth stops it at once (killed by the signal), keeps the previous output; the next synth removes its staging directory", async (signal) => {
    const parent = scratch();
    const outdir = join(parent, "cdktf.out");
    const first = new OutputDirectory(outdir);
    writeOutput(first.begin(), 1);
    await first.publish();
    const before = readlinkSync(outdir);

    const child = spawn(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, sig) => resolve({ code, signal: sig })));
    // Interrupt once the staging directory exists, i.e. in the middle of the synth's work.
    const staging = `${outdir}.staging-${child.pid}`;
    for (let i = 0; i < 600 && !existsSync(staging); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(staging)).toBe(true);
    child.kill(signal);
    // Ended by the signal itself, not by a handler that waited for the synchronous synth to finish first.
    expect(await closed).toEqual({ code: null, signal });
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(readlinkSync(outdir)).toBe(before);

    const next = await runSynth({ CDKTF_OUTDIR: outdir });
    expect(next.status).toBe(0);
    expect(existsSync(staging)).toBe(false);
  }, 120_000);
});
