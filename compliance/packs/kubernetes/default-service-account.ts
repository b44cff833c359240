import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { field, nameOf, podSpecOf, WORKLOAD_TYPES } from "./workloads";

/** Every workload runs as a service account of its own. */
export const defaultServiceAccount: ComplianceRule = {
  id: "K8S-SA-001",
  title: "No workload runs as the default service account",
  severity: "medium",
  rationale:
    "CIS Kubernetes Benchmark 5.1.5: ensure that default service accounts are not actively used; Kubernetes docs " +
    "(configure service accounts for pods): a pod without serviceAccountName runs as `default`, which every other " +
    "such pod in the namespace shares, so any RBAC, IRSA or Vault role bound to it is granted to all of them.",
  fix: "Create a service account for the workload and set service_account_name (serviceAccountName in manifests) to it.",
  appliesTo: WORKLOAD_TYPES,
  check(resource, stack) {
    const pod = podSpecOf(resource);
    if (!pod) return notApplicable;
    const where = `${pod.path}.service_account_name`;
    const value = field(pod.spec, "service_account_name") ?? field(pod.spec, "service_account");
    if (value === undefined || value === null || value === "") return nonCompliant(`${where} is not set (runs as default)`);
    if (typeof value !== "string") return nonCompliant(`${where} = ${JSON.stringify(value)}`);
    const target = stack.resolve(value);
    if (target && /^kubernetes_default_service_account(_v1)?$/.test(target.type)) return nonCompliant(`${where} = ${target.address} (the default service account)`);
    const sa = nameOf(value, stack);
    if (!sa.known) return notApplicable;
    const shown = sa.via ? `${where} = ${sa.via} (${JSON.stringify(sa.name)})` : `${where} = ${JSON.stringify(sa.name)}`;
    return sa.name === "default" ? nonCompliant(shown) : compliant(shown);
  },
};
