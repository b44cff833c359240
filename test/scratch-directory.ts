/**
 * One scratch directory per `jest` run for everything the tests write through os.tmpdir() (their mkdtemp
 * directories, cdktf's Testing outdirs, rehearsal checkouts, PostgreSQL clusters), removed when the run ends: on
 * tmpfs when the machine has one, because on these machines' ext4 an open costs ~0.1 ms and a mkdir ~0.35 ms, and
 * a rehearsal's checkouts and synths make tens of thousands of them (a checkout of this tree: 0.5 s on ext4, 0.05 s
 * on tmpfs). Before, cdktf's `Testing` outdirs were never removed: every run left ~100 MB in /tmp.
 *
 * Jest runs globalSetup and globalTeardown in its own process before it starts the workers, which inherit TMPDIR.
 * An interrupted run skips globalTeardown: a later run removes what it left behind (on tmpfs it would hold memory
 * until the next boot) once its process is gone and nothing has been created in it for STALE_MS: a run keeps creating
 * directories there, and a pid alone is not proof when another PID namespace shares /dev/shm.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TMPFS_MAGIC = 0x01021994; // linux/magic.h
const VARIABLE = "VAULT_PLATFORM_TEST_SCRATCH";

function onTmpfs(dir: string): boolean {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
}

const PREFIX = "vault-platform-tests-";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const STALE_MS = 15 * 60_000;

/**
 * Removes the scratch directories in `parent` of runs whose process no longer exists and that nothing was created in
 * for `staleMs`; returns their names.
 */
export function removeStaleScratch(parent: string, staleMs = STALE_MS): string[] {
  const stale = readdirSync(parent).filter((name) => {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid)) && Date.now() - statSync(join(parent, name)).mtimeMs >= staleMs;
  });
  for (const name of stale) rmSync(join(parent, name), { recursive: true, force: true });
  return stale;
}

/** Creates the run's scratch directory (named after this process) and points TMPDIR at it. */
export function createScratch(): string {
  const parent = ["/dev/shm", tmpdir()].find(onTmpfs) ?? tmpdir();
  removeStaleScratch(parent);
  const dir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  // As /tmp: the tests' PostgreSQL runs as the `postgres` user and creates its own directories here.
  chmodSync(dir, 0o1777);
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
  return dir;
}

/** Removes the run's scratch directory with everything the tests left in it. */
export function removeScratch(): void {
  const dir = process.env[VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
