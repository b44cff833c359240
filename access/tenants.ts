/**
 * "Who can read or write this tenant's secrets?": for each application (tenant) the synthesized output onboards, the
 * path prefixes it owns and every auth role that can read or write under them, directly (with the policies that
 * grant it, decided by the ACL evaluator) or by escalation (the role can change policies or roles, so it can grant
 * itself anything: access/escalation.ts).
 *
 * A prefix is probed on every path a synthesized policy names under it (as written: `+` and `*` are literal names,
 * so each stands for "some path it matches") and on a name no policy mentions (`<prefix>any-new-name`), which only a
 * glob reaches. An exact owned path is probed as written.
 */
import type { Tenant } from "../synthesized/manifest";
import { adminEquivalents, type Escalation, NEW_NAME } from "./escalation";
import { grantedCapabilities } from "./matrix";
import { type AccessModel, type AuthRole, byCodeUnit, namedPaths, roleAcl } from "./model";
import type { TestedCapability } from "./policy-tests";

const READS: readonly TestedCapability[] = ["read", "list"];
const WRITES: readonly TestedCapability[] = ["create", "update", "patch", "delete"];

export interface TenantGrant {
  readonly role: AuthRole;
  /** Owned prefixes (as configured) the role can read (read or list) under, and write (create/update/patch/delete). */
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** Policies granting those capabilities in the rules Vault chooses. */
  readonly policies: readonly string[];
  /** The tenant's own login role. */
  readonly own: boolean;
}

export interface TenantAccess {
  readonly environment: string;
  readonly tenant: Tenant;
  /** Its login role, when the synthesized output holds it. */
  readonly role?: AuthRole;
  /** Roles with a direct grant under an owned prefix, the tenant's own first. */
  readonly direct: readonly TenantGrant[];
  /** Roles that can grant themselves anything (administrator-equivalent), with what they can change. */
  readonly escalation: readonly Escalation[];
}

/** Does the config's method name this synthesized role's method (`oidc` logins are `jwt` roles)? */
function sameLogin(tenant: Tenant, role: AuthRole): boolean {
  return role.name === tenant.role && (role.method === tenant.method || (tenant.method === "oidc" && role.method === "jwt"));
}

/** The concrete paths probed for one owned prefix or path. */
export function probePaths(model: AccessModel, owned: string): string[] {
  if (!owned.endsWith("/")) return [owned, ...namedPaths(model).filter((p) => p.startsWith(`${owned}/`))];
  return [...new Set([...namedPaths(model).filter((p) => p.startsWith(owned) && p !== owned), `${owned}${NEW_NAME}`])];
}

/** The access to each tenant of `tenants` in one environment. */
export function tenantAccess(model: AccessModel, tenants: readonly Tenant[]): TenantAccess[] {
  const escalation = adminEquivalents(model);
  const probes = new Map(tenants.flatMap((t) => t.ownedPaths).map((o) => [o, probePaths(model, o)]));
  const acls = new Map(model.roles.map((r) => [r.key, roleAcl(model, r)]));
  return tenants.map((tenant) => {
    const role = model.roles.find((r) => sameLogin(tenant, r));
    const direct: TenantGrant[] = [];
    for (const r of model.roles) {
      const reads = new Set<string>();
      const writes = new Set<string>();
      const policies = new Set<string>();
      for (const owned of tenant.ownedPaths) {
        for (const path of probes.get(owned) ?? []) {
          for (const g of grantedCapabilities(acls.get(r.key)!, path)) {
            const read = READS.includes(g.capability);
            if (!read && !WRITES.includes(g.capability)) continue;
            (read ? reads : writes).add(owned);
            g.policies.forEach((p) => policies.add(p));
          }
        }
      }
      if (reads.size + writes.size === 0) continue;
      const inOrder = (s: Set<string>) => tenant.ownedPaths.filter((o) => s.has(o));
      direct.push({ role: r, reads: inOrder(reads), writes: inOrder(writes), policies: [...policies].sort(byCodeUnit), own: r === role });
    }
    direct.sort((a, b) => Number(b.own) - Number(a.own) || byCodeUnit(a.role.key, b.role.key));
    return { environment: model.environment, tenant, role, direct, escalation };
  });
}

/** The roles that can read a tenant's secrets: directly, and by escalation (those not already direct readers). */
export function tenantReaders(access: TenantAccess): { direct: string[]; escalation: string[] } {
  const direct = access.direct.filter((g) => g.reads.length > 0).map((g) => g.role.key);
  return { direct, escalation: access.escalation.map((e) => e.role.key).filter((k) => !direct.includes(k)) };
}
