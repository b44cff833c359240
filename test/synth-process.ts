/** Running the real entry points (main.ts for `npm run synth`, and the other commands) as child processes, and checking their output. */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers";

export interface SynthRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the run was killed for taking longer than the timeout (a hang). */
  readonly timedOut: boolean;
}

/** Runs main.ts with extra environment variables; kills it after `timeoutMs` (reported as timedOut). */
export function runSynth(env: Record<string, string>, options: { timeoutMs?: number; uid?: number; gid?: number } = {}): Promise<SynthRun> {
  return runScript("main.ts", [], { ...options, env });
}

/** Runs one of the project's TypeScript entry points as `npm run` does; kills it after `timeoutMs` (default 60 s). */
export function runScript(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<SynthRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "./scripts/register-ts.js", script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** A JavaScript stack frame line, as Node prints them: what a user must never see. */
export const STACK_FRAME = /^\s+at .+(\(|:\d+:\d+)/m;

/** A digest of a directory tree (names, link targets and file contents), to prove an output was not touched. */
export function treeDigest(path: string): string {
  const hash = createHash("sha256");
  const visit = (p: string, rel: string) => {
    const stats = lstatSync(p);
    if (stats.isSymbolicLink()) {
      hash.update(`L ${rel} -> ${readlinkSync(p)}\n`);
      return;
    }
    if (stats.isDirectory()) {
      hash.update(`D ${rel}\n`);
      for (const name of readdirSync(p).sort()) visit(join(p, name), `${rel}/${name}`);
      return;
    }
    hash.update(`F ${rel} ${createHash("sha256").update(readFileSync(p)).digest("hex")}\n`);
  };
  visit(path, ".");
  return hash.digest("hex");
}
