import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { field, podSpecOf, WORKLOAD_TYPES } from "./workloads";

/** No container may gain more privileges than its process started with. */
export const noPrivilegeEscalation: ComplianceRule = {
  id: "K8S-PSS-002",
  title: "Every container of a workload sets allow_privilege_escalation = false",
  severity: "high",
  rationale:
    "Kubernetes Pod Security Standards: restricted, Privilege Escalation (allowPrivilegeEscalation must be set to " +
    "false on every container, including init containers); it is true by default, which lets setuid binaries " +
    "raise privileges inside the container.",
  fix: "Set security_context.allow_privilege_escalation = false on every container and init container.",
  appliesTo: WORKLOAD_TYPES,
  check(resource) {
    const pod = podSpecOf(resource);
    if (!pod) return notApplicable;
    if (pod.containers.length === 0) return nonCompliant(`${pod.path} has no containers`);
    const bad = pod.containers.filter((c) => field(c.securityContext, "allow_privilege_escalation") !== false);
    if (bad.length > 0) {
      return nonCompliant(
        bad.map((c) => `${c.label} security_context.allow_privilege_escalation = ${JSON.stringify(field(c.securityContext, "allow_privilege_escalation") ?? null)}`).join("; "),
      );
    }
    return compliant(`security_context.allow_privilege_escalation = false for ${pod.containers.map((c) => c.label).join(", ")}`);
  },
};
