import { defaultNamespace } from "../../../../compliance/packs/kubernetes/default-namespace";
import { check, CRON } from "./fixtures";

describe("K8S-NS-001 nothing in the default namespace", () => {
  it("is compliant when the namespace is a reference to a namespace resource", () => {
    expect(check(defaultNamespace, CRON)).toEqual({
      status: "compliant",
      evidence: 'metadata.namespace = kubernetes_namespace_v1.namespace ("vault")',
    });
    expect(check(defaultNamespace, "helm_release.vault")).toEqual({
      status: "compliant",
      evidence: 'helm_release namespace = kubernetes_namespace_v1.namespace ("vault")',
    });
  });

  it("is non-compliant with metadata.namespace default, literal or through the namespace resource", () => {
    expect(check(defaultNamespace, CRON, (j) => (j.resource.kubernetes_cron_job_v1.snapshot.metadata.namespace = "default"))).toEqual({
      status: "non-compliant",
      found: 'metadata.namespace = "default"',
    });
    expect(check(defaultNamespace, "kubernetes_service_account_v1.snapshot_sa", (j) => (j.resource.kubernetes_namespace_v1.namespace.metadata.name = "default"))).toEqual({
      status: "non-compliant",
      found: 'metadata.namespace = kubernetes_namespace_v1.namespace ("default")',
    });
  });

  it("is non-compliant when the namespace is missing (the providers fall back to default)", () => {
    expect(check(defaultNamespace, CRON, (j) => delete j.resource.kubernetes_cron_job_v1.snapshot.metadata.namespace)).toEqual({
      status: "non-compliant",
      found: "metadata.namespace is not set (the kubernetes provider uses default)",
    });
    expect(check(defaultNamespace, "helm_release.vault", (j) => delete j.resource.helm_release.vault.namespace)).toEqual({
      status: "non-compliant",
      found: "helm_release namespace is not set (the helm provider uses default)",
    });
  });

  it("reads metadata synthesized as a one-element array", () => {
    const outcome = check(defaultNamespace, CRON, (j) => {
      j.resource.kubernetes_cron_job_v1.snapshot.metadata = [{ name: "x", namespace: "default" }];
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'metadata.namespace = "default"' });
  });

  it("judges a kubernetes_manifest by manifest.metadata.namespace, and skips cluster-scoped ones", () => {
    const manifest = (namespace?: string) => (j: Record<string, any>) => {
      j.resource.kubernetes_manifest = {
        cert: { manifest: { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "vault", ...(namespace ? { namespace } : {}) } } },
      };
    };
    expect(check(defaultNamespace, "kubernetes_manifest.cert", manifest("default"))).toEqual({
      status: "non-compliant",
      found: 'manifest.metadata.namespace = "default"',
    });
    expect(check(defaultNamespace, "kubernetes_manifest.cert", manifest("vault"))).toEqual({
      status: "compliant",
      evidence: 'manifest.metadata.namespace = "vault"',
    });
    expect(check(defaultNamespace, "kubernetes_manifest.cert", manifest())).toEqual({ status: "not-applicable" });
  });

  it("is not applicable when the namespace comes from another stack", () => {
    const outcome = check(defaultNamespace, CRON, (j) => {
      j.resource.kubernetes_cron_job_v1.snapshot.metadata.namespace = "${data.terraform_remote_state.cluster.outputs.namespace}";
    });
    expect(outcome).toEqual({ status: "not-applicable" });
  });
});
