import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** Server pods are replaced by the operator, one at a time, never by a rolling update. */
export const updateStrategy: ComplianceRule = {
  id: "VLT-HA-003",
  title: "The server StatefulSet uses the OnDelete update strategy",
  severity: "medium",
  rationale:
    "vault-helm chart docs, Upgrading Vault on Kubernetes: with server.updateStrategyType OnDelete the operator " +
    "upgrades standbys first and the active node last, checking Raft health between pods; a RollingUpdate restarts " +
    "pods regardless of seal status or leadership and can lose quorum.",
  fix: "Set server.updateStrategyType: OnDelete and roll pods with the upgrade runbook.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const strategy = valueAt(effectiveValues(release), "server.updateStrategyType");
    return strategy === "OnDelete" ? compliant(show("server.updateStrategyType", strategy)) : nonCompliant(show("server.updateStrategyType", strategy));
  },
};
