import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const pkiKeyInternal: ComplianceRule = {
  id: "VCF-PKI-001",
  title: "PKI root and intermediate CA keys are generated inside Vault and never exported",
  severity: "critical",
  rationale:
    "Vault PKI secrets engine considerations: keep the root key in Vault (type \"internal\"); type \"exported\" returns the CA " +
    "private key in the response, which then sits in Terraform state and plan output, where anyone who reads them can mint " +
    "certificates the whole platform trusts.",
  fix: "Set type = \"internal\" on vault_pki_secret_backend_root_cert and vault_pki_secret_backend_intermediate_cert_request.",
  appliesTo: ["vault_pki_secret_backend_root_cert", "vault_pki_secret_backend_intermediate_cert_request"],
  check(ca) {
    const type = ca.attributes.type;
    if (type === "internal") return compliant(`${ca.address} type = internal`);
    return nonCompliant(`${ca.address} type = ${JSON.stringify(type) ?? "(unset)"} (internal required)`);
  },
};
