import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isTrueFlag, isVaultChart, listenersOf, serverConfig, show, valueAt } from "./vault-release";

/** TLS on every listener, and the chart told so (it otherwise wires plain-HTTP probes and addresses). */
export const tlsListeners: ComplianceRule = {
  id: "VLT-TLS-001",
  title: "TLS is enabled on every Vault listener and global.tlsDisable is false",
  severity: "critical",
  rationale:
    "HashiCorp Vault production hardening: end-to-end TLS (Vault should always be used with TLS in production); " +
    "vault-helm chart docs: global.tlsDisable defaults to true and makes the chart use http:// for the server " +
    "addresses and probes, so it must be set to false explicitly.",
  fix: 'Remove tls_disable from every listener in server.ha.raft.config (or set it to false) and set global.tlsDisable: false.',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const tlsDisable = valueAt(effectiveValues(release), "global.tlsDisable");
    const problems: string[] = [];
    if (tlsDisable !== false) problems.push(`${show("global.tlsDisable", tlsDisable)} (chart default true)`);
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant([...problems, config.problem].join("; "));
    const listeners = listenersOf(config.hcl);
    if (listeners.length === 0) problems.push("server.ha.raft.config has no listener block");
    for (const l of listeners) {
      if (isTrueFlag(l.attrs.tls_disable)) problems.push(`server.ha.raft.config ${l.label} tls_disable = ${JSON.stringify(l.attrs.tls_disable)}`);
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(`values global.tlsDisable = false; server.ha.raft.config ${listeners.map((l) => l.label).join(", ")} without tls_disable`);
  },
};
