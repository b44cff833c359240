/**
 * Runs a shell script as PID 1 of its own PID namespace with its own /proc (`unshare --pid --fork --mount-proc`),
 * so a sidecar that walks /proc sees exactly the processes a test starts, as it would in a pod with
 * `shareProcessNamespace` (where the pause container is PID 1 and every container's processes are visible).
 *
 * Creating a PID namespace needs CAP_SYS_ADMIN: CI runs as root. Without it the harness throws; it never skips.
 * Imported by tests only.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** Throws, naming what is missing, unless this process may create PID namespaces (root). */
export function requireRoot(what: string): void {
  const uid = process.getuid?.();
  if (uid !== 0) {
    throw new Error(
      `${what} needs root (uid 0, as in CI) to create a PID namespace with unshare --pid --fork --mount-proc; running as uid ${uid}. ` +
        "Run the tests as root; they are not skipped.",
    );
  }
}

/**
 * Sets the last PID handed out in the current PID namespace, so the next fork gets `next` (Linux ns_last_pid), as
 * long as no other process in the namespace forks in between: the script must start the command right after, and
 * every process it started before must have done all its forking (see vault-process.ts's `clientsStartedShell`).
 */
export function nextPidShell(next: number): string {
  return `echo ${next - 1} > /proc/sys/kernel/ns_last_pid`;
}

export interface PidNamespace {
  readonly child: ChildProcess;
  /** Everything PID 1 and its children wrote to stdout and stderr so far. */
  output(): string;
  /** Kills PID 1 of the namespace (unshare --kill-child), which kills every process in it; resolves when gone. */
  stop(): Promise<void>;
}

/** Starts `script` (POSIX sh) as PID 1 of a new PID namespace with a private /proc mount. */
export function startInPidNamespace(script: string, env: NodeJS.ProcessEnv): PidNamespace {
  const child = spawn("unshare", ["--pid", "--kill-child", "--mount-proc", "sh", "-c", script], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns its last value. */
export async function until(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
