import { resourceLimits } from "../../../../compliance/packs/kubernetes/resource-limits";
import { check, CRON, cronPod } from "./fixtures";

describe("K8S-RES-001 requests and limits", () => {
  it("is compliant with cpu and memory requests and limits on every container", () => {
    expect(check(resourceLimits, CRON)).toEqual({
      status: "compliant",
      evidence: 'resources.requests and resources.limits (cpu, memory) set for init_container "vault", container "upload"',
    });
  });

  it("is non-compliant without limits", () => {
    expect(check(resourceLimits, CRON, (j) => delete cronPod(j).container[0].resources.limits)).toEqual({
      status: "non-compliant",
      found: 'container "upload" resources without limits.cpu, limits.memory',
    });
  });

  it("is non-compliant when an init container has no resources at all", () => {
    expect(check(resourceLimits, CRON, (j) => delete cronPod(j).init_container[0].resources)).toEqual({
      status: "non-compliant",
      found: 'init_container "vault" resources without requests.cpu, requests.memory, limits.cpu, limits.memory',
    });
  });

  it("reads a manifest's camelCase pod spec", () => {
    const outcome = check(resourceLimits, "kubernetes_manifest.job", (j) => {
      j.resource.kubernetes_manifest = {
        job: {
          manifest: {
            kind: "CronJob",
            spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "i", resources: { requests: { cpu: "1", memory: "1Gi" } } }], containers: [] } } } } },
          },
        },
      };
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'initContainers "i" resources without limits.cpu, limits.memory' });
  });
});
