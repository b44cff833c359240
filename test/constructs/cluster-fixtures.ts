/**
 * Fixtures for the cluster stack's tests: fake backup handles, a bare stack, the Helm values parsed back, and the
 * props of a rendered Vault server config.
 */
import { terraformUnescape } from "../../config/terraform-literal";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { Testing, TerraformStack } from "cdktf";
import { parse as parseYaml } from "yaml";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { BackupHandles } from "../../stacks/vault-backup-stack";
import type { VaultServerHclProps } from "../../constructs/vault-server-hcl";
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

/** A three-node server config's props: TLS listener, Raft joins to each pod, KMS seal. */
export const SERVER_HCL_PROPS: VaultServerHclProps = {
  listener: { tlsCertFile: "/tls/tls.crt", tlsKeyFile: "/tls/tls.key", tlsClientCaFile: "/tls/ca.crt", tlsMinVersion: "tls13" },
  apiAddr: "https://HOSTNAME.vault-internal:8200",
  clusterAddr: "https://HOSTNAME.vault-internal:8201",
  raft: {
    retryJoin: [0, 1, 2].map((i) => ({
      leaderApiAddr: `https://vault-${i}.vault-internal:8200`,
      leaderCaCertFile: "/tls/ca.crt",
      leaderTlsServername: `vault-${i}.vault-internal`,
    })),
  },
  seal: { kmsKeyId: "arn:aws:kms:eu-west-2:111111111111:key/abc", region: "eu-west-2" },
};
