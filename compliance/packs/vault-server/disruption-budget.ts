import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** A PodDisruptionBudget that never lets voluntary disruptions take the Raft cluster below quorum. */
export const disruptionBudget: ComplianceRule = {
  id: "VLT-HA-002",
  title: "The server disruption budget keeps a Raft quorum (maxUnavailable <= (replicas - 1) / 2)",
  severity: "high",
  rationale:
    "Vault Integrated Storage reference architecture: n voters tolerate the loss of (n-1)/2; vault-helm chart docs: " +
    "server.ha.disruptionBudget limits voluntary disruptions (node drains, upgrades) and defaults maxUnavailable " +
    "to ⌊(n-1)/2⌋. A larger budget lets a drain take the cluster below quorum, which stops all writes.",
  fix: "Set server.ha.disruptionBudget.enabled: true and maxUnavailable to at most (server.ha.replicas - 1) / 2 (1 for 3 voters, 2 for 5).",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const enabled = valueAt(values, "server.ha.disruptionBudget.enabled");
    const replicas = valueAt(values, "server.ha.replicas");
    const maxUnavailable = valueAt(values, "server.ha.disruptionBudget.maxUnavailable");
    if (enabled !== true) return nonCompliant(show("server.ha.disruptionBudget.enabled", enabled));
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 1) {
      return nonCompliant(`${show("server.ha.replicas", replicas)} (the budget cannot be checked against a quorum)`);
    }
    const spare = Math.floor((replicas - 1) / 2);
    // null or absent: the chart computes ⌊(n-1)/2⌋ itself (values.yaml of the pinned chart).
    if (maxUnavailable === undefined || maxUnavailable === null) {
      return compliant(`values server.ha.disruptionBudget.enabled = true, maxUnavailable unset (chart default ⌊(${replicas}-1)/2⌋ = ${spare})`);
    }
    if (typeof maxUnavailable !== "number" || !Number.isInteger(maxUnavailable) || maxUnavailable < 0 || maxUnavailable > spare) {
      return nonCompliant(`${show("server.ha.disruptionBudget.maxUnavailable", maxUnavailable)} with server.ha.replicas = ${replicas} (at most ${spare} keeps a quorum)`);
    }
    return compliant(`values server.ha.disruptionBudget.enabled = true, maxUnavailable = ${maxUnavailable} <= ${spare} for ${replicas} replicas`);
  },
};
