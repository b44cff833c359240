import type { ComplianceRule } from "../../rule";
import { everyContainerSets, WORKLOAD_TYPES } from "./workloads";

/** Containers write only to the volumes they declare. */
export const readOnlyRootFilesystem: ComplianceRule = {
  id: "K8S-PSS-003",
  title: "Every container of a workload has a read-only root filesystem",
  severity: "medium",
  rationale:
    "NSA/CISA Kubernetes Hardening Guidance: use immutable container file systems (readOnlyRootFilesystem) so an " +
    "attacker cannot drop tools or modify binaries; Kubernetes security checklist (pod security): read-only root " +
    "filesystem, writable paths as explicit emptyDir volumes.",
  fix: "Set security_context.read_only_root_filesystem = true on every container and mount an emptyDir where it must write (/tmp).",
  appliesTo: WORKLOAD_TYPES,
  check(resource) {
    return everyContainerSets(resource, "read_only_root_filesystem", true);
  },
};
