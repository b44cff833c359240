import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** Only named namespaces reach the API, only Vault pods reach the cluster port. */
export const networkPolicy: ComplianceRule = {
  id: "VLT-NET-001",
  title: "The chart's NetworkPolicy for the Vault server is enabled",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: restrict access to Vault's ports (firewall) to the clients that need " +
    "them; vault-helm chart docs: server.networkPolicy (default false) limits ingress to 8200/8201; Kubernetes " +
    "docs: without a NetworkPolicy every pod in the cluster can connect.",
  fix: "Set server.networkPolicy.enabled: true with ingress rules for the client namespaces (8200) and Vault pods (8201).",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const enabled = valueAt(effectiveValues(release), "server.networkPolicy.enabled");
    return enabled === true ? compliant(show("server.networkPolicy.enabled", enabled)) : nonCompliant(show("server.networkPolicy.enabled", enabled));
  },
};
