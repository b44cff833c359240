import { defaultServiceAccount } from "../../../../compliance/packs/kubernetes/default-service-account";
import { check, CRON, cronPod } from "./fixtures";

describe("K8S-SA-001 no workload runs as the default service account", () => {
  it("is compliant with the job's own service account", () => {
    expect(check(defaultServiceAccount, CRON)).toEqual({
      status: "compliant",
      evidence: 'spec.job_template.spec.template.spec.service_account_name = kubernetes_service_account_v1.snapshot_sa ("vault-raft-snapshot")',
    });
  });

  it("is non-compliant without service_account_name", () => {
    expect(check(defaultServiceAccount, CRON, (j) => delete cronPod(j).service_account_name)).toEqual({
      status: "non-compliant",
      found: "spec.job_template.spec.template.spec.service_account_name is not set (runs as default)",
    });
  });

  it("is non-compliant with service_account_name default", () => {
    expect(check(defaultServiceAccount, CRON, (j) => (cronPod(j).service_account_name = "default"))).toEqual({
      status: "non-compliant",
      found: 'spec.job_template.spec.template.spec.service_account_name = "default"',
    });
  });

  it("reads deployments and manifests too", () => {
    const outcome = check(defaultServiceAccount, "kubernetes_deployment_v1.app", (j) => {
      j.resource.kubernetes_deployment_v1 = { app: { metadata: [{ name: "app" }], spec: [{ template: [{ spec: [{ container: [{ name: "app" }] }] }] }] } };
    });
    expect(outcome).toEqual({ status: "non-compliant", found: "spec.template.spec.service_account_name is not set (runs as default)" });
    const manifest = check(defaultServiceAccount, "kubernetes_manifest.job", (j) => {
      j.resource.kubernetes_manifest = {
        job: { manifest: { kind: "Job", metadata: { name: "j" }, spec: { template: { spec: { serviceAccountName: "migrate", containers: [{ name: "m" }] } } } } },
      };
    });
    expect(manifest).toEqual({ status: "compliant", evidence: 'manifest.spec.template.spec.service_account_name = "migrate"' });
  });

  it("is not applicable to resources that are not workloads", () => {
    expect(check(defaultServiceAccount, "kubernetes_manifest.cm", (j) => (j.resource.kubernetes_manifest = { cm: { manifest: { kind: "ConfigMap" } } }))).toEqual({
      status: "not-applicable",
    });
  });
});
