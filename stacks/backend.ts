import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";

/**
 * Puts the stack's state where its environment says: a local file for `dev`, or S3 with server-side encryption
 * and S3-native locking (`use_lockfile`, Terraform >= 1.10), one key per stack.
 */
export function configureBackend(stack: TerraformStack, stackId: string, backend: EnvironmentConfig["stateBackend"]): void {
  if (backend.type === "local") {
    new LocalBackend(stack, { path: `terraform.${stackId}.tfstate` });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackId}.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
  });
  // cdktf 0.21 predates use_lockfile in its typed backend config.
  s3.addOverride("use_lockfile", true);
}
