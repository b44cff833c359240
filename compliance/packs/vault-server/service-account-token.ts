import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** No Secret holding a never-expiring token of Vault's service account. */
export const serviceAccountToken: ComplianceRule = {
  id: "VLT-IAM-001",
  title: "The chart creates no long-lived service account token Secret (server.serviceAccount.createSecret not true)",
  severity: "medium",
  rationale:
    "Kubernetes docs (service account token Secrets): long-lived tokens in kubernetes.io/service-account-token " +
    "Secrets never expire and are discouraged in favour of TokenRequest (bound, short-lived tokens); vault-helm " +
    "chart docs: server.serviceAccount.createSecret creates such a Secret for Vault's service account.",
  fix: "Leave server.serviceAccount.createSecret unset or false; Vault's Kubernetes auth can use the pod's projected token.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const createSecret = valueAt(effectiveValues(release), "server.serviceAccount.createSecret");
    if (createSecret === true) return nonCompliant(show("server.serviceAccount.createSecret", createSecret));
    return compliant(createSecret === undefined ? "values server.serviceAccount.createSecret is not set (chart default false)" : show("server.serviceAccount.createSecret", createSecret));
  },
};
