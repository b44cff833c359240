import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** Raft data and the audit log live on persistent volumes. */
export const persistentStorage: ComplianceRule = {
  id: "VLT-STO-001",
  title: "Data and audit storage are persistent volumes (server.dataStorage and server.auditStorage enabled)",
  severity: "high",
  rationale:
    "Vault Integrated Storage reference architecture: each voter keeps the Raft log and state on durable storage; " +
    "HashiCorp Vault production hardening: enable auditing; vault-helm chart docs: server.auditStorage defaults to " +
    "false, so a file audit device would write to the container's ephemeral filesystem and lose the log on restart.",
  fix: "Set server.dataStorage.enabled: true and server.auditStorage.enabled: true (with a size and storage class).",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const data = valueAt(values, "server.dataStorage.enabled");
    const audit = valueAt(values, "server.auditStorage.enabled");
    const problems = [
      ...(data === true ? [] : [show("server.dataStorage.enabled", data)]),
      ...(audit === true ? [] : [show("server.auditStorage.enabled", audit)]),
    ];
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant("values server.dataStorage.enabled = true, server.auditStorage.enabled = true");
  },
};
