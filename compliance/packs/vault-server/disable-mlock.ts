import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart, serverConfig } from "./vault-release";

/** mlock is a deliberate, written decision. */
export const disableMlock: ComplianceRule = {
  id: "VLT-CFG-001",
  title: "The Vault server config states disable_mlock explicitly",
  severity: "low",
  rationale:
    "HashiCorp Vault production hardening: disable swap; Vault server configuration docs (disable_mlock): with " +
    "Integrated Storage, mlock is recommended off (it would lock the memory-mapped Raft database) and swap must be " +
    "disabled on the nodes instead. Either way the choice belongs in the config, not in a release's default.",
  fix: "Add disable_mlock = true (Kubernetes nodes without swap) or false to server.ha.raft.config.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const value = config.hcl.disable_mlock;
    if (value === undefined) return nonCompliant("server.ha.raft.config does not set disable_mlock");
    return compliant(`server.ha.raft.config disable_mlock = ${JSON.stringify(value)}`);
  },
};
