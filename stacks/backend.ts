import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";

/** Directory of local state, at the repository root beside `cdktf.out/` (gitignored), so synth never replaces it. */
export const LOCAL_STATE_DIR = ".state";

/**
 * The local state file of a stack, as Terraform resolves it: relative to its working directory,
 * `cdktf.out/stacks/<stack>/` (cdktf and the workflows run Terraform there). Every stack directory is at the same
 * depth, so this one relative path names the same file for the stack that writes it and for the
 * `terraform_remote_state` of every stack that reads it (cdktf copies the writer's path into the reader), and the
 * synthesized JSON holds no machine-specific absolute path.
 */
export function localStatePath(stackId: string): string {
  return `../../../${LOCAL_STATE_DIR}/${stackId}.tfstate`;
}

/** The S3 key of a stack's state under `keyPrefix`. */
export function stateObjectKey(keyPrefix: string, stackId: string): string {
  return `${keyPrefix}/${stackId}.tfstate`;
}

/**
 * The Terraform every stack needs: write-only attributes (the database root password) need 1.11, moved blocks 1.5,
 * S3-native locking 1.10. Terraform enforces it where it plans and applies; cdktf's own check would run `terraform
 * version` on the machine that synthesizes, once per stack (main.ts turns that off).
 */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.11.0";

/**
 * Puts the stack's state where its environment says: a local file outside `cdktf.out/` for `dev`, or S3 with
 * server-side encryption and S3-native locking (`use_lockfile`, Terraform >= 1.10), one key per stack.
 */
export function configureBackend(stack: TerraformStack, stackId: string, backend: EnvironmentConfig["stateBackend"]): void {
  stack.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
  if (backend.type === "local") {
    new LocalBackend(stack, { path: localStatePath(stackId) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: stateObjectKey(backend.keyPrefix, stackId),
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
  });
  // cdktf 0.21 predates use_lockfile in its typed backend config.
  s3.addOverride("use_lockfile", true);
}
