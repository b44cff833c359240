import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { field, podSpecOf, WORKLOAD_TYPES } from "./workloads";

const REQUIRED = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

/** Every container states what it needs and what it may use. */
export const resourceLimits: ComplianceRule = {
  id: "K8S-RES-001",
  title: "Every container of a workload has CPU and memory requests and limits",
  severity: "medium",
  rationale:
    "Kubernetes docs, Resource Management for Pods and Containers: requests drive scheduling and limits cap use; " +
    "NSA/CISA Kubernetes Hardening Guidance: set resource limits so one container cannot starve the node (denial " +
    "of service). Without them a runaway job can evict Vault's own pods.",
  fix: "Set resources.requests and resources.limits (cpu and memory) on every container and init container.",
  appliesTo: WORKLOAD_TYPES,
  check(resource) {
    const pod = podSpecOf(resource);
    if (!pod) return notApplicable;
    if (pod.containers.length === 0) return nonCompliant(`${pod.path} has no containers`);
    const problems: string[] = [];
    for (const c of pod.containers) {
      const missing = REQUIRED.filter((path) => {
        const [kind, name] = path.split(".");
        const value = field(field(c.resources, kind), name);
        return value === undefined || value === null || value === "";
      });
      if (missing.length > 0) problems.push(`${c.label} resources without ${missing.join(", ")}`);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(`resources.requests and resources.limits (cpu, memory) set for ${pod.containers.map((c) => c.label).join(", ")}`);
  },
};
