import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const jwtRoles: ComplianceRule = {
  id: "VCF-AUTH-003",
  title: "JWT/OIDC roles bind an audience and at least one claim",
  severity: "high",
  rationale:
    "Vault JWT/OIDC auth method documentation: without bound_audiences a token issued for any other audience of the same issuer " +
    "is accepted, and without bound claims (or bound_subject) every identity the issuer vouches for (e.g. every GitHub Actions " +
    "workflow of every repository) can log in with the role.",
  fix: "Set bound_audiences and bound_claims (e.g. repository and ref, or environment) on the vault_jwt_auth_backend_role.",
  appliesTo: ["vault_jwt_auth_backend_role"],
  check(role) {
    const a = role.attributes;
    const audiences = Array.isArray(a.bound_audiences) ? (a.bound_audiences as unknown[]) : [];
    const claims = a.bound_claims && typeof a.bound_claims === "object" ? Object.keys(a.bound_claims as object) : [];
    const subject = typeof a.bound_subject === "string" && a.bound_subject !== "" ? a.bound_subject : undefined;
    const found: string[] = [];
    if (audiences.length === 0) found.push(`bound_audiences = ${JSON.stringify(a.bound_audiences) ?? "(unset)"}`);
    if (claims.length === 0 && !subject) found.push(`bound_claims = ${JSON.stringify(a.bound_claims) ?? "(unset)"} and bound_subject unset`);
    if (found.length > 0) return nonCompliant(`${role.address} ${found.join(", ")}`);
    return compliant(
      `${role.address} bound_audiences = ${JSON.stringify(audiences)}, ${claims.length > 0 ? `bound_claims = ${JSON.stringify(a.bound_claims)}` : `bound_subject = ${subject!}`}`,
    );
  },
};
