import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export const kubernetesAuthRoles: ComplianceRule = {
  id: "VCF-AUTH-001",
  title: "Kubernetes auth roles bind named service accounts in named namespaces, with an audience",
  severity: "high",
  rationale:
    "Vault Kubernetes auth method documentation: bound_service_account_names and bound_service_account_namespaces decide which " +
    "pods may log in, so \"*\" lets any service account (or any namespace) of the cluster take the role; audience makes Vault " +
    "verify the token's aud claim, so a token minted for another system cannot be replayed against Vault.",
  fix: "List concrete names in bound_service_account_names and bound_service_account_namespaces and set audience (e.g. \"vault\").",
  appliesTo: ["vault_kubernetes_auth_backend_role"],
  check(role) {
    const a = role.attributes;
    const names = list(a.bound_service_account_names);
    const namespaces = list(a.bound_service_account_namespaces);
    const found: string[] = [];
    const wild = (v: unknown) => typeof v !== "string" || v.includes("*");
    if (names.length === 0 || names.some(wild)) found.push(`bound_service_account_names = ${JSON.stringify(a.bound_service_account_names)}`);
    if (a.bound_service_account_namespace_selector !== undefined && namespaces.length === 0) {
      found.push(`bound_service_account_namespace_selector = ${JSON.stringify(a.bound_service_account_namespace_selector)} instead of named namespaces`);
    } else if (namespaces.length === 0 || namespaces.some(wild)) {
      found.push(`bound_service_account_namespaces = ${JSON.stringify(a.bound_service_account_namespaces)}`);
    }
    if (typeof a.audience !== "string" || a.audience.trim() === "") found.push(`audience = ${JSON.stringify(a.audience) ?? "(unset)"}`);
    if (found.length > 0) return nonCompliant(`${role.address} ${found.join(", ")}`);
    return compliant(`${role.address} bound_service_account_names = ${JSON.stringify(names)}, bound_service_account_namespaces = ${JSON.stringify(namespaces)}, audience = ${a.audience as string}`);
  },
};
