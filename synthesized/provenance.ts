/**
 * Where a synthesized output came from: the commit of the working tree synth ran in, whether tracked files had
 * uncommitted changes, and when. Recorded by synth beside the stacks, so the report names the commit its findings
 * were made from even when it is written later or elsewhere.
 */
import { execFile } from "node:child_process";

export interface Provenance {
  /** Full SHA of HEAD; absent outside a git checkout. */
  readonly commit?: string;
  /** Committer date of HEAD, ISO 8601. */
  readonly committedAt?: string;
  /** True when tracked files differed from HEAD at synth time: the output is not exactly that commit. */
  readonly dirty?: boolean;
  /** When synth ran, ISO 8601 UTC. */
  readonly synthesizedAt: string;
}

/**
 * One child process for all three facts: spawning from a synth's large Node process costs tens of milliseconds of
 * the main thread each time (fork of its address space), so the two git commands run under one small shell.
 * The first line is HEAD's SHA, the second its committer date, the rest `git status --porcelain` of tracked files.
 */
const SCRIPT = "git log -1 --format=%H%n%cI HEAD && git status --porcelain --untracked-files=no";

/**
 * The provenance of `dir`. Asynchronous so that synth starts it first and collects it last: git runs while synth
 * works instead of before it. Outside a git checkout, or without git, only the time.
 */
export function provenanceOf(dir: string, now: Date = new Date()): Promise<Provenance> {
  const synthesizedAt = now.toISOString();
  return new Promise((done) => {
    execFile("sh", ["-c", SCRIPT], { cwd: dir, encoding: "utf8" }, (error, stdout) => {
      const [commit, committedAt, ...status] = error ? [] : stdout.split("\n");
      if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return done({ synthesizedAt });
      done({ commit, committedAt, dirty: status.some((line) => line.trim() !== ""), synthesizedAt });
    });
  });
}
