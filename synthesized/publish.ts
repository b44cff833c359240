/**
 * Publishing a synth output so that a reader never sees `cdktf.out` missing or half-written.
 *
 * Synth writes into `cdktf.out.staging-<pid>`. On success the staging directory is renamed to a version
 * `cdktf.out.v<time>-<pid>` beside it, and `cdktf.out` becomes a symlink to that version, replaced with one
 * rename(2) of a new symlink over the old one: atomic, so every reader resolves either the old or the new
 * output. Versions stay while a reader may still be walking them: the newest `keepVersions` always, and any
 * other until `keepRetiredMs` after it stopped being current (the next version's publish time, in its name), so a
 * reader that resolved `cdktf.out` before a burst of synths keeps its directory for that long. A version that cannot
 * be removed (permissions, a busy mount) is reported and left for a later run; the publish itself has succeeded.
 * Versions are siblings of `cdktf.out`, so a relative path from a stack directory
 * (`cdktf.out/stacks/<stack>/../../..`) reaches the same place through the link as before.
 *
 * Publishing takes `cdktf.out.lock` (a file created with O_EXCL holding the owner's pid), so concurrent synths
 * each publish whole and in turn, and none deletes a version another has just linked. A lock left by a process
 * that no longer runs, or whose pid the kernel has since given to another process (the lock records the owner's
 * start time), is taken over. SIGINT, SIGTERM and SIGHUP keep their default action (the process ends at
 * once, even in the middle of synth's synchronous work, where a JavaScript handler could only run after it); the
 * staging directory such a run leaves is removed by the next run. Only while publishing (milliseconds, holding the
 * lock) does a handler remove the staging directory and the lock before exiting.
 */
import { lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeSync, closeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Why publishing failed in a way the user can act on (another synth holds the lock too long). */
export class PublishError extends Error {}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat, proc(5)), or undefined where
 * there is no /proc. A pid the kernel reused belongs to a process with another start time.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export interface OutputDirectoryOptions {
  /**
   * How long to wait for another synth's lock before giving up.
   * @default 60_000 ms (publishing holds the lock for milliseconds; a minute means something is stuck)
   */
  readonly lockTimeoutMs?: number;
  /**
   * Versions always kept, the current one included.
   * @default 2 (the current and the previous one)
   */
  readonly keepVersions?: number;
  /**
   * How long a version stays after it stopped being current, for readers that resolved it before.
   * @default 600_000 ms (ten minutes: longer than any report, diff or plan reads an output)
   */
  readonly keepRetiredMs?: number;
}

/** File-system errors that say something about the output's directory, in words. */
const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
};

/**
 * A PublishError naming the directory for a file-system error while writing the output (ENOSPC, EROFS, EACCES...),
 * or undefined for any other error.
 */
export function fileSystemError(e: unknown, outdir: string): PublishError | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  const what = err?.code ? FILE_SYSTEM_ERRORS[err.code] : undefined;
  if (!what) return undefined;
  const where = err!.path ? dirname(err!.path) : dirname(outdir);
  return new PublishError(`${where}: cannot write the synth output: ${what} (${err!.code}); ${outdir} is unchanged`);
}

/** The output directory of one synth run: its staging directory, the lock, and the atomic publish. */
export class OutputDirectory {
  /** Where this run writes; nothing else reads it. */
  public readonly staging: string;
  private readonly parent: string;
  private readonly base: string;
  private readonly lockFile: string;
  private readonly lockTimeoutMs: number;
  private readonly keepVersions: number;
  private readonly keepRetiredMs: number;
  private holdsLock = false;
  private readonly onSignal = (signal: NodeJS.Signals) => this.abort(signal);

  constructor(public readonly outdir: string, options: OutputDirectoryOptions = {}) {
    this.parent = dirname(outdir);
    this.base = basename(outdir);
    this.staging = `${outdir}.staging-${process.pid}`;
    this.lockFile = `${outdir}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.keepVersions = options.keepVersions ?? 2;
    this.keepRetiredMs = options.keepRetiredMs ?? 600_000;
  }

  /** Removes leftovers of runs that died and returns the (empty) staging directory. */
  public begin(): string {
    try {
      mkdirSync(this.parent, { recursive: true });
    } catch (e) {
      throw new PublishError(`${this.parent}: cannot create the directory for ${this.base} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    this.removeDeadLeftovers();
    // Not created here: cdktf's App creates it once the inputs are valid, so a failed validation writes nothing.
    rmSync(this.staging, { recursive: true, force: true });
    return this.staging;
  }

  /** Drops the staging directory (synth failed): the published output is untouched. */
  public discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
    this.end();
  }

  /**
   * Makes the staging directory the output, atomically for readers; see the file comment. Yields to the event
   * loop first, so an interrupt that arrived during the synchronous synth is handled (and nothing published).
   */
  public async publish(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, this.onSignal);
    try {
      this.lock();
    } catch (e) {
      this.discard();
      throw e;
    }
    try {
      // Inside the lock: a version exists only once it is about to be linked, so no other run's cleanup removes it.
      // Later than every version there is, so versions sort in the order they were published even when the clock has
      // not moved on since the last one (a stamp freed by the last cleanup would otherwise make this one the oldest).
      let stamp = Math.max(Date.now(), ...this.siblings().map((n) => this.stampOf(n) + 1).filter(Number.isFinite));
      while (lstatOrUndefined(join(this.parent, `${this.base}.v${stamp}-${process.pid}`))) stamp++;
      const version = join(this.parent, `${this.base}.v${stamp}-${process.pid}`);
      renameSync(this.staging, version);
      this.link(basename(version));
      this.removeOldVersions(basename(version));
    } finally {
      this.unlock();
      this.end();
    }
  }

  /** The publication stamp of a version's name (`<base>.v<stamp>-<pid>`), NaN for any other name. */
  private stampOf(name: string): number {
    return Number(/^\.v(\d+)-\d+$/.exec(name.slice(this.base.length))?.[1]);
  }

  /**
   * Removes the versions no reader can still be in (see the file comment). One that cannot be removed is reported
   * and left: the output is published, and a later run tries again.
   */
  private removeOldVersions(current: string): void {
    const versions = this.siblings()
      .filter((n) => Number.isFinite(this.stampOf(n)))
      .sort((a, b) => this.stampOf(b) - this.stampOf(a) || b.localeCompare(a));
    const now = Date.now();
    versions.forEach((name, i) => {
      // Retired when the next newer version was published; the current one and the newest few always stay. A stamp
      // can run ahead of the clock (versions published within one millisecond take the next free one): not later
      // than now.
      const retired = i === 0 ? undefined : Math.min(this.stampOf(versions[i - 1]!), now);
      if (name === current || i < this.keepVersions || retired === undefined || now - retired < this.keepRetiredMs) return;
      try {
        rmSync(join(this.parent, name), { recursive: true, force: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        process.stderr.write(`warning: could not remove the old output ${join(this.parent, name)} (${code}); remove it by hand. The new output is published.\n`);
      }
    });
  }

  private end(): void {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, this.onSignal);
  }

  private abort(signal: NodeJS.Signals): void {
    rmSync(this.staging, { recursive: true, force: true });
    this.unlock();
    process.stderr.write(`synth interrupted (${signal}): removed ${this.staging}; ${this.outdir} is unchanged\n`);
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]);
  }

  /** Entries of the parent directory that belong to this output (`cdktf.out.*`). */
  private siblings(): string[] {
    try {
      return readdirSync(this.parent).filter((n) => n.startsWith(`${this.base}.`));
    } catch {
      return [];
    }
  }

  /** Staging directories and link files of synth processes that no longer run. */
  private removeDeadLeftovers(): void {
    for (const name of this.siblings()) {
      const m = /^\.(staging|link)-(\d+)$/.exec(name.slice(this.base.length));
      if (m && Number(m[2]) !== process.pid && !alive(Number(m[2]))) rmSync(join(this.parent, name), { recursive: true, force: true });
    }
  }

  /** The version `cdktf.out` links to now (undefined when it is missing or a plain directory). */
  private currentVersion(): string | undefined {
    try {
      return basename(readlinkSync(this.outdir));
    } catch {
      return undefined;
    }
  }

  /** Points `cdktf.out` at `version` with one rename of a fresh symlink over it; returns the version it replaced. */
  private link(version: string): string | undefined {
    const tmp = join(this.parent, `${this.base}.link-${process.pid}`);
    rmSync(tmp, { force: true });
    const existing = lstatOrUndefined(this.outdir);
    try {
      symlinkSync(version, tmp, "dir");
    } catch {
      // No symlinks here (Windows without the privilege): swap directories, with a short window.
      const aside = `${this.outdir}.old-${process.pid}`;
      if (existing) renameSync(this.outdir, aside);
      renameSync(join(this.parent, version), this.outdir);
      rmSync(aside, { recursive: true, force: true });
      return undefined;
    }
    let previous = this.currentVersion();
    if (existing?.isDirectory()) {
      // A plain directory from before outputs were versioned: move it aside once (it becomes the previous version).
      previous = `${this.base}.v0-${process.pid}`;
      renameSync(this.outdir, join(this.parent, previous));
    }
    renameSync(tmp, this.outdir);
    return previous;
  }

  private lock(): void {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (;;) {
      try {
        const fd = openSync(this.lockFile, "wx");
        // The start time too: a lock whose pid now names another process (reused after a crash) is stale.
        writeSync(fd, `${process.pid} ${processStart(process.pid) ?? ""}\n`);
        closeSync(fd);
        this.holdsLock = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const owner = this.lockOwner();
      const started = this.lockOwnerStart();
      // A lock whose owner is gone, whose pid now names a process started at another time (the kernel reused it), or
      // left empty by a run killed between creating and writing it, is stale.
      const reused = owner !== undefined && started !== undefined && processStart(owner) !== undefined && processStart(owner) !== started;
      if (owner !== undefined ? !alive(owner) || reused : this.lockAgeMs() > 5_000) {
        rmSync(this.lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new PublishError(
          `${this.lockFile} is held by synth process ${owner ?? "(unknown)"} for more than ${this.lockTimeoutMs / 1000} s; ` +
            `if no synth is running, delete ${this.lockFile}`,
        );
      }
      sleepSync(20);
    }
  }

  private lockAgeMs(): number {
    const stats = lstatOrUndefined(this.lockFile);
    return stats ? Date.now() - stats.mtimeMs : 0;
  }

  /** The owner's start time the lock records (undefined in a lock written without it). */
  private lockOwnerStart(): string | undefined {
    try {
      return readFileSync(this.lockFile, "utf8").trim().split(/\s+/)[1] || undefined;
    } catch {
      return undefined;
    }
  }

  private lockOwner(): number | undefined {
    try {
      const pid = Number(readFileSync(this.lockFile, "utf8").trim().split(/\s+/)[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  private unlock(): void {
    if (!this.holdsLock) return;
    this.holdsLock = false;
    if (this.lockOwner() === process.pid) {
      try {
        unlinkSync(this.lockFile);
      } catch {
        // already gone
      }
    }
  }
}
