import type { RulePack } from "../../rule";
import { defaultNamespace } from "./default-namespace";
import { defaultServiceAccount } from "./default-service-account";
import { noPrivilegeEscalation } from "./no-privilege-escalation";
import { readOnlyRootFilesystem } from "./read-only-root-filesystem";
import { resourceLimits } from "./resource-limits";
import { runAsNonRoot } from "./run-as-non-root";

/**
 * Kubernetes rules, over kubernetes_* resources, `kubernetes_manifest` and `helm_release` (namespace). The
 * workload rules read any pod spec (provider resources and manifests); the default stacks' only workload is the
 * Raft snapshot CronJob. One rule per file in this directory; list each here.
 */
export const kubernetesPack: RulePack = {
  name: "Kubernetes",
  rules: [defaultNamespace, defaultServiceAccount, runAsNonRoot, noPrivilegeEscalation, readOnlyRootFilesystem, resourceLimits],
};
