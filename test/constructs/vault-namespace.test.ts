import { VaultNamespace } from "../../constructs/vault-namespace";
import { onlyResource, synthJson } from "../helpers";
import { bareStack } from "./cluster-fixtures";

describe("VaultNamespace", () => {
  it("creates the namespace with Pod Security labels at the restricted level", () => {
    const stack = bareStack();
    new VaultNamespace(stack, "namespace", { name: "vault" });
    const ns = onlyResource(synthJson(stack), "kubernetes_namespace_v1");
    expect(ns.metadata.name).toBe("vault");
    expect(ns.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
  });

  it("takes a baseline level when asked", () => {
    const stack = bareStack();
    new VaultNamespace(stack, "namespace", { name: "vault", podSecurityLevel: "baseline" });
    const ns = onlyResource(synthJson(stack), "kubernetes_namespace_v1");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });
});
