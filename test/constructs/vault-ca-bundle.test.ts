import { VaultCaBundle } from "../../constructs/vault-ca-bundle";
import { onlyResource, synthJson } from "../helpers";
import { bareStack } from "./cluster-fixtures";

describe("VaultCaBundle", () => {
  const stack = bareStack();
  const bundle = new VaultCaBundle(stack, "ca", { name: "vault-ca", sourceSecret: "platform-ca", namespaces: ["a", "b"] });
  const manifest = onlyResource(synthJson(stack), "kubernetes_manifest").manifest;

  it("is a cluster-scoped trust-manager Bundle reading the CA key of the source secret", () => {
    expect(manifest).toMatchObject({ apiVersion: "trust.cert-manager.io/v1alpha1", kind: "Bundle", metadata: { name: "vault-ca" } });
    expect(manifest.metadata.namespace).toBeUndefined();
    expect(manifest.spec.sources).toEqual([{ secret: { name: "platform-ca", key: "ca.crt" } }]);
  });

  it("writes ConfigMap <name> with key ca.crt into exactly the listed namespaces", () => {
    expect(manifest.spec.target.configMap).toEqual({ key: "ca.crt" });
    expect(manifest.spec.target.namespaceSelector).toEqual({
      matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["a", "b"] }],
    });
    expect(bundle.configMapName).toBe("vault-ca");
    expect(bundle.configMapKey).toBe("ca.crt");
  });

  it("fails if no namespace is given", () => {
    expect(() => new VaultCaBundle(bareStack(), "ca", { name: "vault-ca", sourceSecret: "platform-ca", namespaces: [] })).toThrow(
      /needs at least one target namespace/,
    );
  });
});
