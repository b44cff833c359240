import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isTrueFlag, isVaultChart, listenersOf, serverConfig } from "./vault-release";
import { blocksOf } from "../../../synthesized/stack-view";

/** The metrics endpoint answers only to a token, unless config accepts otherwise with a reason. */
export const metricsAuthenticated: ComplianceRule = {
  id: "VLT-TEL-001",
  title: "Vault's metrics endpoint requires a token (no unauthenticated_metrics_access on a listener)",
  severity: "low",
  rationale:
    "Vault tcp listener docs, telemetry parameters: unauthenticated_metrics_access exposes /v1/sys/metrics to anyone " +
    "who can reach the listener; HashiCorp Vault production hardening: minimise what is reachable without a token. " +
    "The metrics show request rates, mounts and lease counts, not secrets, so opening them to Prometheus is an " +
    "accepted trade-off that must be stated (a suppression with its reason) rather than implied.",
  fix:
    "Remove unauthenticated_metrics_access from the listener's telemetry block and give Prometheus a Vault token with " +
    "read on sys/metrics, or suppress this rule for the release with the reason the network policy limits who can scrape.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const listeners = listenersOf(config.hcl);
    const open = listeners.filter((l) => blocksOf(l.attrs.telemetry).some((t) => isTrueFlag(t.unauthenticated_metrics_access)));
    if (open.length > 0) {
      return nonCompliant(open.map((l) => `server.ha.raft.config ${l.label} telemetry.unauthenticated_metrics_access = true`).join("; "));
    }
    return compliant(`server.ha.raft.config: no listener sets telemetry.unauthenticated_metrics_access (${listeners.length} listener(s))`);
  },
};
