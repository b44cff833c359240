import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

/** Login fields that carry a credential; a literal value here would land in cdk.tf.json and the plan. */
const SECRET_FIELDS = new Set(["password", "secret_id", "jwt", "token", "aws_secret_access_key", "aws_session_token", "client_secret"]);

/** Literal (non-reference) credentials anywhere under the provider's login blocks, as attribute paths. */
function literalSecrets(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => literalSecrets(v, `${path}[${i}]`, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue;
      const at = path ? `${path}.${k}` : k;
      if (SECRET_FIELDS.has(k) && typeof v === "string" && v !== "" && !v.startsWith("${")) out.push(at);
      else literalSecrets(v, at, out);
    }
  }
  return out;
}

export const providerConnection: ComplianceRule = {
  id: "VCF-PRV-001",
  title: "The Vault provider connects over HTTPS and holds no token or literal login secret",
  severity: "critical",
  rationale:
    "HashiCorp Vault production hardening: end-to-end TLS, and avoid long-lived (root) tokens; Terraform Vault provider " +
    "documentation: a token or login secret written in the provider block is stored in the configuration and plan, while " +
    "VAULT_TOKEN or an auth_login block fed by the CI's OIDC identity leaves nothing to leak.",
  fix:
    "Set the provider address to https://...; remove token from the provider block (use VAULT_TOKEN for bootstrap) and log in " +
    "with auth_login_jwt whose jwt comes from the environment (TERRAFORM_VAULT_AUTH_JWT) or a sensitive variable.",
  appliesTo: ["provider.vault"],
  check(provider) {
    const a = provider.attributes;
    const found: string[] = [];
    if (typeof a.address !== "string" || !a.address.startsWith("https://")) found.push(`address = ${JSON.stringify(a.address) ?? "(unset)"} (https:// required)`);
    if (a.token !== undefined) found.push("token is set in the provider block");
    // token is reported above whatever its value; look for literal credentials everywhere else.
    const literals = literalSecrets(Object.fromEntries(Object.entries(a).filter(([k]) => k !== "token")), "", []);
    if (literals.length > 0) found.push(`literal credential at ${literals.join(", ")}`);
    if (found.length > 0) return nonCompliant(`${provider.address} ${found.join("; ")}`);
    return compliant(`${provider.address} address = ${a.address as string}, no token, no literal login secret`);
  },
};
