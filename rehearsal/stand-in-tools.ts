/**
 * Stand-in commands for running the project's shell scripts in tests: a `bin` directory to put first on PATH, and a
 * `pod` directory that is the whole PATH of a command a stand-in `kubectl exec` runs "inside a pod" (only `sh` and
 * whatever the test adds, such as a stand-in `nc`). Imported by tests only.
 */
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StandInDirs {
  readonly dir: string;
  readonly bin: string;
  readonly pod: string;
  /** Writes an executable `name` into `at` with `script` (give it its own #! line). */
  readonly tool: (at: string, name: string, script: string) => void;
}

export function standInDirs(prefix: string): StandInDirs {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const bin = join(dir, "bin");
  const pod = join(dir, "pod");
  mkdirSync(bin);
  mkdirSync(pod);
  symlinkSync("/bin/sh", join(pod, "sh"));
  const tool = (at: string, name: string, script: string) => {
    writeFileSync(join(at, name), script);
    chmodSync(join(at, name), 0o755);
  };
  return { dir, bin, pod, tool };
}
