/** Runs the real `terraform` binary (tests that use only its built-in provider, so nothing is downloaded). */
import { spawnSync } from "node:child_process";

export interface TerraformResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `terraform <args>` in `cwd`, without the user's CLI config or checkpoint calls; never throws on a non-zero exit. */
export function runTerraform(cwd: string, ...args: string[]): TerraformResult {
  const result = spawnSync("terraform", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  if (result.error) throw new Error(`terraform could not run (${result.error.message}): install Terraform >= 1.11`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `terraform <args>` in `cwd`; throws with its output when it fails. */
export function terraform(cwd: string, ...args: string[]): string {
  const r = runTerraform(cwd, ...args);
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} in ${cwd} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
