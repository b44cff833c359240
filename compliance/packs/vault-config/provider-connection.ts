import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { asList, type StackView } from "../../../synthesized/stack-view";

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

/**
 * The addresses a provider attribute can take: a literal, or a variable (`${var.x}`) whose default and every value
 * its `contains([...], var.x)` validation allows. An unconstrained variable yields undefined (anything possible).
 */
function possibleValues(value: unknown, stack: StackView): unknown[] | undefined {
  const ref = typeof value === "string" ? /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(value) : null;
  if (!ref) return [value];
  const variable = stack.json.variable?.[ref[1]];
  const conditions = asList(variable?.validation).map((v: { condition?: unknown }) => String(v.condition ?? ""));
  for (const condition of conditions) {
    const m = /^\$\{contains\((\[.*\]), var\.([A-Za-z0-9_-]+)\)\}$/.exec(condition);
    if (m && m[2] === ref[1]) {
      try {
        const allowed = JSON.parse(m[1]) as unknown[];
        return variable.default === undefined ? allowed : [variable.default, ...allowed];
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export const providerConnection: ComplianceRule = {
  id: "VCF-PRV-001",
  title: "The Vault provider connects over HTTPS, verifies Vault's certificate with a CA file, and holds no token or literal login secret",
  severity: "critical",
  rationale:
    "HashiCorp Vault production hardening: end-to-end TLS, and avoid long-lived (root) tokens; Terraform Vault provider " +
    "documentation: a token or login secret written in the provider block is stored in the configuration and plan, while " +
    "VAULT_TOKEN or an auth_login block fed by the CI's OIDC identity leaves nothing to leak. Vault's certificate comes from " +
    "a private CA, which no runner trusts by default: the block names the CA file (ca_cert_file), and skip_tls_verify stays off.",
  fix:
    "Set the provider address to https://... (a variable must be limited to https values by a contains([...]) validation); set " +
    "ca_cert_file to Vault's CA; remove token from the provider block (use VAULT_TOKEN for bootstrap) and log in " +
    "with auth_login_jwt whose jwt comes from the environment (TERRAFORM_VAULT_AUTH_JWT) or a sensitive variable.",
  appliesTo: ["provider.vault"],
  check(provider, stack) {
    const a = provider.attributes;
    const found: string[] = [];
    const addresses = possibleValues(a.address, stack);
    if (!addresses || addresses.some((v) => typeof v !== "string" || !v.startsWith("https://"))) {
      found.push(`address = ${JSON.stringify(a.address) ?? "(unset)"} (https:// required${addresses ? "" : ", and a variable must be limited to https values"})`);
    }
    if (typeof a.ca_cert_file !== "string" || a.ca_cert_file === "") found.push("ca_cert_file is not set (Vault's CA is private)");
    if (a.skip_tls_verify !== undefined && a.skip_tls_verify !== false) found.push("skip_tls_verify is set");
    if (a.token !== undefined) found.push("token is set in the provider block");
    // token is reported above whatever its value; look for literal credentials everywhere else.
    const literals = literalSecrets(Object.fromEntries(Object.entries(a).filter(([k]) => k !== "token")), "", []);
    if (literals.length > 0) found.push(`literal credential at ${literals.join(", ")}`);
    if (found.length > 0) return nonCompliant(`${provider.address} ${found.join("; ")}`);
    const shown = addresses!.length === 1 ? String(addresses![0]) : `one of ${[...new Set(addresses)].join(", ")}`;
    return compliant(`${provider.address} address = ${shown}, ca_cert_file = ${a.ca_cert_file as string}, no token, no literal login secret`);
  },
};
