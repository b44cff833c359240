import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

const PUBLIC_TYPES = ["LoadBalancer", "NodePort"];

/** The UI service, if any, is reachable inside the cluster only. */
export const uiNotPublic: ComplianceRule = {
  id: "VLT-NET-002",
  title: "The Vault UI is off or a ClusterIP service (never ui.serviceType LoadBalancer)",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: restrict network access, Vault should not be reachable from the " +
    "internet; vault-helm chart docs: ui.serviceType LoadBalancer creates an external load balancer for the UI " +
    "service (port 8200, the whole API, not only the UI).",
  fix: "Set ui.enabled: false, or keep ui.serviceType: ClusterIP and reach the UI through an internal route or port-forward.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const enabled = valueAt(values, "ui.enabled");
    const type = valueAt(values, "ui.serviceType");
    // Refused even while the UI is off: a LoadBalancer is then one flag away.
    if (type === "LoadBalancer") return nonCompliant(show("ui.serviceType", type));
    // The chart compares `ui.enabled | toString` with "true".
    const on = enabled === true || enabled === "true";
    if (!on) return compliant(enabled === undefined ? "values ui.enabled is not set (chart default false)" : show("ui.enabled", enabled));
    if (type !== undefined && type !== "ClusterIP") {
      return nonCompliant(`values ui.enabled = true with ${show("ui.serviceType", type)}${PUBLIC_TYPES.includes(String(type)) ? " (reachable from outside the cluster)" : ""}`);
    }
    return compliant(`values ui.enabled = true, ui.serviceType = ${type === undefined ? "ClusterIP (chart default)" : '"ClusterIP"'}`);
  },
};
