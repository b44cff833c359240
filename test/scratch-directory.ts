/**
 * One scratch directory per `jest` run for everything the tests write through os.tmpdir() (their mkdtemp
 * directories, cdktf's Testing outdirs, rehearsal checkouts, PostgreSQL clusters), removed when the run ends: on
 * tmpfs when the machine has one, because on these machines' ext4 an open costs ~0.1 ms and a mkdir ~0.35 ms, and
 * a rehearsal's checkouts and synths make tens of thousands of them (a checkout of this tree: 0.5 s on ext4, 0.05 s
 * on tmpfs). Before, cdktf's `Testing` outdirs were never removed: every run left ~100 MB in /tmp.
 *
 * Jest runs globalSetup and globalTeardown in its own process before it starts the workers, which inherit TMPDIR.
 */
import { chmodSync, mkdtempSync, rmSync, statfsSync } from "node:fs";
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

/** Creates the run's scratch directory and points TMPDIR at it. */
export function createScratch(): string {
  const parent = ["/dev/shm", tmpdir()].find(onTmpfs) ?? tmpdir();
  const dir = mkdtempSync(join(parent, "vault-platform-tests-"));
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
