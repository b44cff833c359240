import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { field, podSpecOf, WORKLOAD_TYPES } from "./workloads";

const isRoot = (uid: unknown) => uid === 0 || uid === "0";

/** Every container (init containers too) must run as a non-root user. */
export const runAsNonRoot: ComplianceRule = {
  id: "K8S-PSS-001",
  title: "Every container of a workload runs as non-root (run_as_non_root true, run_as_user not 0)",
  severity: "high",
  rationale:
    "Kubernetes Pod Security Standards: restricted, Running as Non-root (runAsNonRoot must be true at pod or " +
    "container level) and Running as Non-root user (runAsUser must not be 0); NSA/CISA Kubernetes Hardening " +
    "Guidance: use containers built to run applications as non-root users.",
  fix: "Set security_context.run_as_non_root = true on the pod (or on every container) and a non-zero run_as_user.",
  appliesTo: WORKLOAD_TYPES,
  check(resource) {
    const pod = podSpecOf(resource);
    if (!pod) return notApplicable;
    if (pod.containers.length === 0) return nonCompliant(`${pod.path} has no containers`);
    const podNonRoot = field(pod.securityContext, "run_as_non_root");
    const podUser = field(pod.securityContext, "run_as_user");
    const problems: string[] = [];
    if (isRoot(podUser)) problems.push(`${pod.path}.security_context.run_as_user = ${JSON.stringify(podUser)}`);
    for (const c of pod.containers) {
      // A container's own setting wins over the pod's.
      const nonRoot = field(c.securityContext, "run_as_non_root") ?? podNonRoot;
      const user = field(c.securityContext, "run_as_user");
      if (nonRoot !== true) problems.push(`${c.label} run_as_non_root = ${JSON.stringify(nonRoot ?? null)} (neither container nor pod sets true)`);
      if (isRoot(user)) problems.push(`${c.label} security_context.run_as_user = ${JSON.stringify(user)}`);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(
      `run_as_non_root = true for ${pod.containers.map((c) => c.label).join(", ")}` +
        (podNonRoot === true ? ` (${pod.path}.security_context.run_as_non_root = true)` : " (container security_context)"),
    );
  },
};
