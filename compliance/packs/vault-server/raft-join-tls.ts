import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart, labelledBlocks, serverConfig } from "./vault-release";
import { blocksOf } from "../../../synthesized/stack-view";

/** Raft peers join each other over verified TLS only. */
export const raftJoinTls: ComplianceRule = {
  id: "VLT-TLS-003",
  title: "Every Raft retry_join uses an https:// leader_api_addr and verifies it with a CA (leader_ca_cert_file)",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: end-to-end TLS; Vault Integrated Storage docs (retry_join): " +
    "leader_ca_cert_file is the CA the joining node uses to verify the leader. Without it, or over http, a node " +
    "would join (and receive the keyring from) whoever answers on the address.",
  fix: 'In every retry_join of storage "raft", use leader_api_addr = "https://..." and set leader_ca_cert_file to the CA bundle.',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const raft = labelledBlocks(config.hcl, "storage", "raft");
    if (raft.length === 0) return nonCompliant('server.ha.raft.config has no storage "raft" block');
    const joins = raft.flatMap((r) => blocksOf(r.retry_join));
    if (joins.length === 0) return nonCompliant('server.ha.raft.config storage "raft" has no retry_join (nodes would not find their peers)');
    const problems: string[] = [];
    joins.forEach((j, i) => {
      const where = `storage "raft" retry_join[${i}]`;
      // auto_join discovers peers (provider=k8s ...) and uses auto_join_scheme, https unless told otherwise.
      if (j.auto_join !== undefined) {
        if (j.auto_join_scheme !== undefined && j.auto_join_scheme !== "https") problems.push(`${where} auto_join_scheme = ${JSON.stringify(j.auto_join_scheme)}`);
      } else if (typeof j.leader_api_addr !== "string" || !j.leader_api_addr.startsWith("https://")) {
        problems.push(`${where} leader_api_addr = ${JSON.stringify(j.leader_api_addr ?? null)}`);
      }
      if (typeof j.leader_ca_cert_file !== "string" || j.leader_ca_cert_file.trim() === "") problems.push(`${where} has no leader_ca_cert_file`);
    });
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(`server.ha.raft.config: ${joins.length} retry_join, each https with leader_ca_cert_file`);
  },
};
