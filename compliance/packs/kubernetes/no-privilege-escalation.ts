import type { ComplianceRule } from "../../rule";
import { everyContainerSets, WORKLOAD_TYPES } from "./workloads";

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
    return everyContainerSets(resource, "allow_privilege_escalation", false);
  },
};
