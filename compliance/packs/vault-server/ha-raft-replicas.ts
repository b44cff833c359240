import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** HA with Integrated Storage and an odd number of voters from 3 to 7. */
export const haRaftReplicas: ComplianceRule = {
  id: "VLT-HA-001",
  title: "Vault runs HA on Integrated Storage (Raft) with an odd number of 3 to 7 voters",
  severity: "high",
  rationale:
    "Vault Integrated Storage reference architecture: run 3 or 5 voters (quorum is (n/2)+1, so an even count adds " +
    "no failure tolerance and more than 7 slows every write); vault-helm chart docs: server.ha.enabled and " +
    "server.ha.raft.enabled select HA Raft mode.",
  fix: "Set server.ha.enabled: true, server.ha.raft.enabled: true and server.ha.replicas to 3 or 5 (odd, at most 7).",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const ha = valueAt(values, "server.ha.enabled");
    const raft = valueAt(values, "server.ha.raft.enabled");
    const replicas = valueAt(values, "server.ha.replicas");
    const problems: string[] = [];
    if (ha !== true) problems.push(show("server.ha.enabled", ha));
    if (raft !== true) problems.push(show("server.ha.raft.enabled", raft));
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 3 || replicas > 7 || replicas % 2 === 0) {
      problems.push(`${show("server.ha.replicas", replicas)} (expected 3, 5 or 7)`);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(`values server.ha.enabled = true, server.ha.raft.enabled = true, server.ha.replicas = ${replicas}`);
  },
};
