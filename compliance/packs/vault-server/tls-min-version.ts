import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart, listenersOf, serverConfig } from "./vault-release";

const ACCEPTED = ["tls12", "tls13"];

/** Every listener states a minimum of TLS 1.2. */
export const tlsMinVersion: ComplianceRule = {
  id: "VLT-TLS-002",
  title: "Every Vault listener sets tls_min_version to tls12 or tls13",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: end-to-end TLS; Vault tcp listener docs: tls_min_version; NIST SP " +
    "800-52 Rev. 2: servers support TLS 1.2 at least and TLS 1.0/1.1 are not allowed. Stated explicitly so the " +
    "config, not a Vault release's default, decides.",
  fix: 'Set tls_min_version = "tls12" (or "tls13") in every listener block of server.ha.raft.config.',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const listeners = listenersOf(config.hcl);
    if (listeners.length === 0) return nonCompliant("server.ha.raft.config has no listener block");
    const bad = listeners.filter((l) => !ACCEPTED.includes(l.attrs.tls_min_version));
    if (bad.length > 0) {
      return nonCompliant(
        bad
          .map((l) => `server.ha.raft.config ${l.label} tls_min_version ${l.attrs.tls_min_version === undefined ? "is not set" : `= ${JSON.stringify(l.attrs.tls_min_version)}`}`)
          .join("; "),
      );
    }
    return compliant(listeners.map((l) => `server.ha.raft.config ${l.label} tls_min_version = "${l.attrs.tls_min_version}"`).join(", "));
  },
};
