import { buildVaultHelmValues } from "../../constructs/vault-helm-values";
import { VaultHelmRelease } from "../../constructs/vault-helm-release";
import { configFor, onlyResource, synthJson } from "../helpers";
import { FAKE_BACKUP, bareStack, helmValues } from "./cluster-fixtures";

function synth() {
  const config = configFor("prod");
  const stack = bareStack();
  const values = buildVaultHelmValues({
    cluster: config.cluster,
    region: config.aws.region,
    unsealKeyArn: FAKE_BACKUP.unsealKeyArn,
    serverRoleArn: FAKE_BACKUP.vaultServerRoleArn,
    tlsSecretName: "vault-tls",
  });
  new VaultHelmRelease(stack, "vault", { namespace: "vault", repository: config.cluster.chart.repository, chartVersion: "0.34.1", values });
  return { json: synthJson(stack), values };
}

describe("VaultHelmRelease", () => {
  const { json, values } = synth();
  const release = onlyResource(json, "helm_release");

  it("installs hashicorp/vault at the pinned version as release vault", () => {
    expect(release).toMatchObject({
      name: "vault",
      namespace: "vault",
      chart: "vault",
      repository: "https://helm.releases.hashicorp.com",
      version: "0.34.1",
      create_namespace: false,
    });
  });

  it("does not wait for readiness, since Vault is not Ready until it is initialised", () => {
    expect(release.wait).toBe(false);
  });

  it("serialises the typed values once, as one YAML document, without set overrides or anchors", () => {
    expect(release.values).toHaveLength(1);
    expect(release.set).toBeUndefined();
    expect(release.values[0]).not.toMatch(/[&*]a\d/);
    expect(helmValues(json)).toEqual(JSON.parse(JSON.stringify(values)));
  });
});
