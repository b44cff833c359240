import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

const positive = (v: unknown) => typeof v === "number" && v > 0;

export const approleRoles: ComplianceRule = {
  id: "VCF-AUTH-002",
  title: "AppRole roles require a secret ID that expires and is limited in uses or bound to networks, and tokens with a finite max TTL",
  severity: "high",
  rationale:
    "Vault AppRole auth method documentation and the AppRole usage best practices guide: bind_secret_id = false makes the " +
    "role ID (not a secret) sufficient to log in; secret_id_ttl = 0 and secret_id_num_uses = 0 mean a leaked secret ID works " +
    "forever and any number of times; token_max_ttl = 0 falls back to the mount's maximum (32 days by default). A secret ID " +
    "shared by the workers of one application for its life (unlimited uses) is acceptable only when secret_id_bound_cidrs " +
    "confines its use to that application's network.",
  fix: "Set bind_secret_id = true, secret_id_ttl > 0, secret_id_num_uses > 0 (or secret_id_bound_cidrs with 0) and token_max_ttl > 0 on the vault_approle_auth_backend_role.",
  appliesTo: ["vault_approle_auth_backend_role"],
  check(role) {
    const a = role.attributes;
    const found: string[] = [];
    if (a.bind_secret_id !== undefined && a.bind_secret_id !== true) found.push(`bind_secret_id = ${JSON.stringify(a.bind_secret_id)}`);
    const cidrBound = Array.isArray(a.secret_id_bound_cidrs) && a.secret_id_bound_cidrs.length > 0;
    for (const k of ["secret_id_ttl", "secret_id_num_uses", "token_max_ttl"]) {
      if (k === "secret_id_num_uses" && a[k] === 0 && cidrBound) continue;
      const need = k === "secret_id_num_uses" ? "> 0 required, or 0 with secret_id_bound_cidrs" : "> 0 required";
      if (!positive(a[k])) found.push(`${k} = ${JSON.stringify(a[k]) ?? "(unset, unlimited)"} (${need})`);
    }
    if (found.length > 0) return nonCompliant(`${role.address} ${found.join(", ")}`);
    return compliant(
      `${role.address} bind_secret_id = ${JSON.stringify(a.bind_secret_id) ?? "(unset, default true)"}, secret_id_ttl = ${a.secret_id_ttl as number}, secret_id_num_uses = ${a.secret_id_num_uses as number}${cidrBound ? ` (secret_id_bound_cidrs ${(a.secret_id_bound_cidrs as string[]).join(", ")})` : ""}, token_max_ttl = ${a.token_max_ttl as number}`,
    );
  },
};
