/**
 * Where a synthesized output came from: the commit of the working tree synth ran in, whether tracked files had
 * uncommitted changes, and when. Recorded by synth beside the stacks, so the report names the commit its findings
 * were made from even when it is written later or elsewhere.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * The pull request an output was synthesized for. On a `pull_request` event GitHub checks out, and GITHUB_SHA
 * names, a merge commit of the pull request's head into its base (docs.github.com, "Events that trigger workflows",
 * pull_request: "GITHUB_SHA: Last merge commit on the GITHUB_REF branch", GITHUB_REF `refs/pull/<n>/merge`): a
 * commit nobody pushed. The reviewer approves the head; the event payload names it.
 */
export interface PullRequestSource {
  readonly number: number;
  /** `pull_request.head.sha`: the commit the author pushed and the reviewer approves. */
  readonly head: string;
  /** `pull_request.base.sha`. */
  readonly base: string;
}

export interface Provenance {
  /** Full SHA of HEAD; absent outside a git checkout. */
  readonly commit?: string;
  /** Committer date of HEAD, ISO 8601. */
  readonly committedAt?: string;
  /** True when tracked files differed from HEAD at synth time: the output is not exactly that commit. */
  readonly dirty?: boolean;
  /** When synth ran, ISO 8601 UTC. */
  readonly synthesizedAt: string;
  /** Set when synth ran for a pull request: then `commit` is GitHub's merge commit, and this names the head. */
  readonly pullRequest?: PullRequestSource;
}

/**
 * The pull request of a GitHub Actions run, from its event name and payload file (GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH); undefined for any other event, outside Actions, or when the payload does not name both SHAs.
 */
export function pullRequestOf(eventName: string | undefined, eventPath: string | undefined): PullRequestSource | undefined {
  if (!eventPath || (eventName !== "pull_request" && eventName !== "pull_request_target")) return undefined;
  let event: { pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { sha?: unknown } } };
  try {
    event = JSON.parse(readFileSync(eventPath, "utf8")) as typeof event;
  } catch {
    return undefined;
  }
  const pr = event.pull_request;
  const sha = (v: unknown) => (typeof v === "string" && /^[0-9a-f]{40,64}$/.test(v) ? v : undefined);
  const head = sha(pr?.head?.sha);
  const base = sha(pr?.base?.sha);
  if (!head || !base || typeof pr?.number !== "number") return undefined;
  return { number: pr.number, head, base };
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
export function provenanceOf(dir: string, now: Date = new Date(), pullRequest?: PullRequestSource): Promise<Provenance> {
  const synthesizedAt = now.toISOString();
  const pr = pullRequest ? { pullRequest } : {};
  return new Promise((done) => {
    execFile("sh", ["-c", SCRIPT], { cwd: dir, encoding: "utf8" }, (error, stdout) => {
      const [commit, committedAt, ...status] = error ? [] : stdout.split("\n");
      if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return done({ synthesizedAt, ...pr });
      done({ commit, committedAt, dirty: status.some((line) => line.trim() !== ""), synthesizedAt, ...pr });
    });
  });
}
