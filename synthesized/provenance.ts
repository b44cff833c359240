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

/** git's trimmed output, or undefined outside a git checkout or without git. */
function git(dir: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile("git", args, { cwd: dir, encoding: "utf8" }, (error, stdout) => done(error ? undefined : stdout.trim()));
  });
}

/**
 * The provenance of `dir`. Asynchronous so that synth starts it first and collects it last: the three git
 * processes run while synth works instead of before it.
 */
export async function provenanceOf(dir: string, now: Date = new Date()): Promise<Provenance> {
  const synthesizedAt = now.toISOString();
  const [commit, committedAt, status] = await Promise.all([
    git(dir, ["rev-parse", "--verify", "HEAD"]),
    git(dir, ["show", "-s", "--format=%cI", "HEAD"]),
    git(dir, ["status", "--porcelain", "--untracked-files=no"]),
  ]);
  if (!commit) return { synthesizedAt };
  return { commit, committedAt, dirty: (status ?? "") !== "", synthesizedAt };
}
