import { VaultTls } from "../../constructs/vault-tls";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";
import { bareStack } from "./cluster-fixtures";

describe("VaultTls", () => {
  it("requests a cert-manager Certificate covering every service, pod and namespace form, 127.0.0.1 and the hostnames", () => {
    const stack = bareStack();
    const tls = new VaultTls(stack, "tls", {
      namespace: "vault",
      tls: configFor("prod", (raw) => (raw.cluster.tls.hostnames = ["vault.platform.example.com"])).cluster.tls,
    });
    const manifest = onlyResource(synthJson(stack), "kubernetes_manifest").manifest;
    expect(manifest).toMatchObject({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "vault", namespace: "vault" } });
    const spec = manifest.spec;
    for (const svc of ["vault", "vault-active", "vault-standby", "vault-internal"]) {
      expect(spec.dnsNames).toEqual(expect.arrayContaining([svc, `${svc}.vault`, `${svc}.vault.svc`, `${svc}.vault.svc.cluster.local`]));
    }
    expect(spec.dnsNames).toEqual(expect.arrayContaining(["*.vault-internal", "*.vault-internal.vault.svc.cluster.local", "vault.platform.example.com"]));
    expect(new Set(spec.dnsNames).size).toBe(spec.dnsNames.length);
    expect(spec.ipAddresses).toEqual(["127.0.0.1"]);
    expect(spec.secretName).toBe("vault-tls");
    expect(spec.issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: "platform-ca" });
    expect(spec).toMatchObject({ duration: "2160h", renewBefore: "360h" });
    expect(tls.secretName).toBe("vault-tls");
  });

  it("uses an existing secret without requesting a certificate", () => {
    const stack = bareStack();
    const config = configFor("dev", (raw) => (raw.cluster.tls = { source: "secret", secretName: "vault-server-tls" }));
    const tls = new VaultTls(stack, "tls", { namespace: "vault", tls: config.cluster.tls });
    expect(resourcesOf(synthJson(stack), "kubernetes_manifest")).toEqual({});
    expect(tls.secretName).toBe("vault-server-tls");
  });

  it("fails if the TLS source is missing (config validation)", () => {
    expect(() => configFor("dev", (raw) => delete raw.cluster.tls.source)).toThrow(/cluster.tls.source/);
  });

  it("fails if an existing-secret TLS source names no secret (config validation)", () => {
    expect(() => configFor("dev", (raw) => (raw.cluster.tls = { source: "secret" }))).toThrow(/cluster.tls.secretName: is required/);
  });
});
