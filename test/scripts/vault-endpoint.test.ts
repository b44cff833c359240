/**
 * scripts/vault-endpoint.js on a synthesized vault-config stack: the workflows' Vault login gets exactly the
 * provider's address and CA file. The provider block sets both, and the Vault provider reads VAULT_ADDR and
 * VAULT_CACERT only when `address` and `ca_cert_file` are empty (terraform-provider-vault, GetResourceDataStr), so
 * these are what the provider uses whatever the runner's environment says.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { caNamespaces } from "../../config/ca-namespaces";
import { VaultConfigStack } from "../../stacks/vault-config-stack";
import { configFor, defaultPolicies, ROOT } from "../helpers";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

async function synthesizedStack(caCertFile: string): Promise<string> {
  const config = configFor("prod", (raw) => (raw.cluster.deployRunner.caCertFile = caCertFile));
  const address = `https://vault-active.${config.cluster.namespace}.svc:8200`;
  const stack = new VaultConfigStack(Testing.app(), "vault-config-prod", {
    config,
    cluster: {
      vaultAddress: address,
      namespace: config.cluster.namespace,
      tlsSecretName: "vault-tls",
      caConfigMap: { name: config.cluster.caPublication.configMapName, key: "ca.crt", namespaces: caNamespaces(config) },
    },
    policies: await defaultPolicies(),
  });
  const file = join(mkdtempSync(join(tmpdir(), "vault-endpoint-")), "cdk.tf.json");
  writeFileSync(file, Testing.synth(stack));
  return file;
}

const endpoint = (file: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, "scripts/vault-endpoint.js"), file], { encoding: "utf8", env: { ...process.env, ...env } });

describe("scripts/vault-endpoint.js", () => {
  it("prints the provider's address and its CA file, base64, as step outputs, whatever VAULT_ADDR and VAULT_CACERT say", async () => {
    const ca = join(mkdtempSync(join(tmpdir(), "vault-ca-")), "ca.crt");
    writeFileSync(ca, PEM);
    const out = endpoint(await synthesizedStack(ca), { VAULT_ADDR: "https://elsewhere:8200", VAULT_CACERT: "/nowhere" });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(`address=https://vault-active.vault.svc:8200\nca-cert-b64=${Buffer.from(PEM).toString("base64")}\n`);
  });

  it("fails, naming the path and the ConfigMap, when the runner has not mounted Vault's CA", async () => {
    const out = endpoint(await synthesizedStack("/nonexistent/vault-ca/ca.crt"));
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/Vault's CA is not at \/nonexistent\/vault-ca\/ca.crt: the runner pods must mount the vault-ca ConfigMap/);
    expect(out.stdout).toBe("");
  });

  it("fails when the stack file is missing", () => {
    const out = endpoint("/nonexistent/cdk.tf.json");
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/does not exist/);
  });
});
