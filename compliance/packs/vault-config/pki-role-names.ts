import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const pkiRoleNames: ComplianceRule = {
  id: "VCF-PKI-002",
  title: "PKI roles restrict certificate names (no allow_any_name, hostnames enforced)",
  severity: "high",
  rationale:
    "Vault PKI secrets engine API (roles): allow_any_name lets the role issue a certificate for any common name, including other " +
    "services' and public hostnames, and enforce_hostnames = false accepts names that are not valid hostnames; either turns one " +
    "application's role into a way to impersonate others inside the trust domain.",
  fix: "On the vault_pki_secret_backend_role leave allow_any_name false, keep enforce_hostnames true, and list allowed_domains.",
  appliesTo: ["vault_pki_secret_backend_role"],
  check(role) {
    const a = role.attributes;
    const found: string[] = [];
    if (a.allow_any_name !== undefined && a.allow_any_name !== false) found.push(`allow_any_name = ${JSON.stringify(a.allow_any_name)}`);
    if (a.enforce_hostnames !== undefined && a.enforce_hostnames !== true) found.push(`enforce_hostnames = ${JSON.stringify(a.enforce_hostnames)}`);
    if (found.length > 0) return nonCompliant(`${role.address} ${found.join(", ")}`);
    return compliant(
      `${role.address} allow_any_name = ${JSON.stringify(a.allow_any_name) ?? "(unset, default false)"}, enforce_hostnames = ${JSON.stringify(a.enforce_hostnames) ?? "(unset, default true)"}, allowed_domains = ${JSON.stringify(a.allowed_domains)}`,
    );
  },
};
