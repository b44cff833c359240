/**
 * Where a synthesized output came from: the commit of the working tree synth ran in, whether tracked files had
 * uncommitted changes, and when. Recorded by synth beside the stacks, so the report names the commit its findings
 * were made from even when it is written later or elsewhere.
 */
import { execFileSync } from "node:child_process";

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

function git(dir: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined; // not a git checkout, or git is not installed
  }
}

export function provenanceOf(dir: string, now: Date = new Date()): Provenance {
  const synthesizedAt = now.toISOString();
  const commit = git(dir, ["rev-parse", "--verify", "HEAD"]);
  if (!commit) return { synthesizedAt };
  return {
    commit,
    committedAt: git(dir, ["show", "-s", "--format=%cI", "HEAD"]),
    dirty: (git(dir, ["status", "--porcelain", "--untracked-files=no"]) ?? "") !== "",
    synthesizedAt,
  };
}
