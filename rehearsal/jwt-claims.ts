/**
 * Vault's JWT login decision for a GitHub Actions OIDC token, as hashicorp/vault-plugin-auth-jwt decides it
 * (claims.go validateAudience and validateBoundClaims, matchFound; globs by ryanuber/go-glob: `*` matches any
 * run of characters), on a role as terraform-provider-vault writes it (resource_jwt_auth_backend_role.go:
 * bound_claims values are comma-separated lists unless disable_bound_claims_parsing).
 */
export interface JwtRole {
  readonly role_name: string;
  readonly bound_audiences?: readonly string[];
  readonly bound_claims?: Readonly<Record<string, string>>;
  readonly bound_claims_type?: string;
  readonly disable_bound_claims_parsing?: boolean;
}

/** go-glob: `*` is the only special character. */
export function glob(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const parts = pattern.split("*");
  if (!value.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return value.length - last.length >= at && value.endsWith(last);
}

/** Why Vault refuses the login (its error text), or undefined when the token's claims satisfy the role. */
export function loginRefusal(role: JwtRole, claims: Readonly<Record<string, unknown>>): string | undefined {
  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if ((role.bound_audiences ?? []).length > 0 && !(role.bound_audiences ?? []).some((a) => aud.includes(a))) {
    return "error validating claims: aud claim does not match any bound audience";
  }
  const useGlobs = role.bound_claims_type === "glob";
  for (const [claim, raw] of Object.entries(role.bound_claims ?? {})) {
    const actual = claims[claim];
    if (actual === undefined || actual === null) return `error validating claims: claim "${claim}" is missing`;
    const expected = role.disable_bound_claims_parsing ? [raw] : raw.split(",").map((v) => v.trim());
    const actuals = (Array.isArray(actual) ? actual : [actual]).map(String);
    const found = expected.some((e) => actuals.some((a) => (useGlobs ? glob(e, a) : e === a)));
    if (!found) return `error validating claims: claim "${claim}" does not match any associated bound claim values`;
  }
  return undefined;
}
