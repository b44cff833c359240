/** Fixtures for the cluster stack's tests: fake backup handles, a bare stack, and the Helm values parsed back. */
import { terraformUnescape } from "../../config/terraform-literal";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { Testing, TerraformStack } from "cdktf";
import { parse as parseYaml } from "yaml";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { BackupHandles } from "../../stacks/vault-backup-stack";
import { onlyResource } from "../helpers";

export const FAKE_BACKUP: BackupHandles = {
  unsealKeyArn: "arn:aws:kms:eu-west-2:111111111111:key/11111111-1111-1111-1111-111111111111",
  backupKeyArn: "arn:aws:kms:eu-west-2:111111111111:key/22222222-2222-2222-2222-222222222222",
  bucketName: "vault-platform-dev-raft-snapshots",
  snapshotPrefix: "raft-snapshots",
  vaultServerRoleArn: "arn:aws:iam::111111111111:role/vault-dev-server",
  snapshotWriterRoleArn: "arn:aws:iam::111111111111:role/vault-dev-snapshot-writer",
  restoreRoleArn: "arn:aws:iam::111111111111:role/vault-dev-restore",
};

/** An empty stack with the Kubernetes and Helm providers, for construct tests. */
export function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  return stack;
}

/** The Vault release's values, parsed back from the one YAML document it carries. */
export function helmValues(json: any): any {
  const release = onlyResource(json, "helm_release");
  expect(release.values).toHaveLength(1);
  return parseYaml(terraformUnescape(release.values[0]));
}

/** The server config (`server.ha.raft.config`) parsed with a real HCL parser. */
export async function serverHcl(values: any): Promise<any> {
  return parseHcl("server.hcl", values.server.ha.raft.config);
}
