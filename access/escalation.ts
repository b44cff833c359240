/**
 * Identities equivalent to an administrator: a role whose token can change what grants access (ACL policies, auth
 * roles and auth method configuration, auth mounts, identity groups and entities, token roles) or what records and
 * guards it (audit devices, seal, raw storage) can grant itself anything. Decided by the ACL evaluator on probe paths
 * built from the synthesized model (every policy, auth mount, role, audit device and mount, plus a name that does not
 * exist yet), never from a list of identity names. Each is shown with what protects its login, read from its role.
 */
import { grantingPolicies, grants, type TestedCapability } from "./policy-tests";
import { type AccessModel, type AuthRole, byCodeUnit, roleAcl } from "./model";

/** A name no resource has: a probe for "a new one" (a policy, role, mount or device the token would create). */
export const NEW_NAME = "any-new-name";

/** What a write on the probe would let the token change, and the probe paths of that area. */
export interface ControlArea {
  readonly area: string;
  readonly paths: readonly string[];
}

/** The capabilities that change something; `sudo` is reported with them (alone it changes nothing). */
const WRITES: readonly TestedCapability[] = ["create", "update", "delete"];

/** The control plane of one environment, as concrete probe paths. */
export function controlAreas(model: AccessModel): ControlArea[] {
  const mounts = model.mounts ?? { auth: [], secrets: [], audit: [] };
  const authMounts = [...new Set([...mounts.auth, ...model.roles.map((r) => r.mount)])].sort(byCodeUnit);
  const policyNames = [...model.policies.keys(), NEW_NAME];
  const withNew = (names: readonly string[]) => [...names, NEW_NAME];
  return [
    { area: "ACL policies", paths: policyNames.flatMap((p) => [`sys/policies/acl/${p}`, `sys/policy/${p}`]) },
    {
      area: "auth roles and auth method configuration",
      paths: [
        ...authMounts.flatMap((m) => [`auth/${m}/role/${NEW_NAME}`, `auth/${m}/config`]),
        ...model.roles.map((r) => `auth/${r.mount}/role/${r.name}`),
        `auth/token/roles/${NEW_NAME}`,
      ],
    },
    { area: "auth mounts", paths: withNew(authMounts).flatMap((m) => [`sys/auth/${m}`, `sys/auth/${m}/tune`]) },
    { area: "identity groups and entities (their policies)", paths: ["group", "entity", "group-alias", "entity-alias"].flatMap((k) => [`identity/${k}`, `identity/${k}/id/${NEW_NAME}`, `identity/${k}/name/${NEW_NAME}`]) },
    { area: "audit devices", paths: [...withNew(mounts.audit).map((d) => `sys/audit/${d}`), `sys/config/auditing/request-headers/${NEW_NAME}`] },
    { area: "secrets engine mounts and their tuning", paths: withNew(mounts.secrets).flatMap((m) => [`sys/mounts/${m}`, `sys/mounts/${m}/tune`]) },
    { area: "seal and raw storage", paths: ["sys/seal", `sys/raw/${NEW_NAME}`, "sys/rotate/config"] },
  ];
}

export interface EscalationGrant {
  readonly area: string;
  readonly path: string;
  readonly capabilities: readonly TestedCapability[];
  readonly policies: readonly string[];
}

export interface Escalation {
  readonly environment: string;
  readonly role: AuthRole;
  /** Every probe path the role can write, by area (at least one). */
  readonly grants: readonly EscalationGrant[];
  /** What stands between a person and this role's login, read from its bindings. */
  readonly protection: readonly string[];
}

/** What protects a role's login, from its bindings in the synthesized role. */
export function protectionOf(role: AuthRole): string[] {
  const claims = role.boundClaims ?? {};
  const out: string[] = [];
  if (role.method === "jwt" && role.roleType === "oidc") {
    const groups = claims.groups;
    out.push(groups ? `people in the identity provider group \`${groups}\` (OIDC login, client ${role.bindings.bound_audiences ?? "?"})` : "**any person the identity provider authenticates** (no group bound)");
    for (const [k, v] of Object.entries(claims)) if (k !== "groups") out.push(`claim ${k} = \`${v}\``);
    return out;
  }
  if (role.method === "jwt") {
    out.push(claims.environment ? `GitHub environment \`${claims.environment}\` (its required reviewers approve each job)` : "**no GitHub environment bound** (no reviewer approves a job)");
    out.push(claims.workflow_ref ? `workflow \`${claims.workflow_ref}\`` : "any workflow of the repository (no `workflow_ref` bound)");
    if (claims.ref) out.push(`ref \`${claims.ref}\``);
    if (claims.repository) out.push(`repository \`${claims.repository}\``);
    return out;
  }
  if (role.method === "kubernetes") {
    return [`service account ${role.bindings.bound_service_account_names ?? "?"} in namespace ${role.bindings.bound_service_account_namespaces ?? "?"}`];
  }
  return [role.bindings.bind_secret_id === "false" ? "**no secret ID required**" : "holders of a secret ID issued for this role"];
}

/** What a role's token can change in the control plane (empty: not equivalent to an administrator). */
export function escalationGrants(model: AccessModel, role: AuthRole): EscalationGrant[] {
  const acl = roleAcl(model, role);
  const out: EscalationGrant[] = [];
  for (const { area, paths } of controlAreas(model)) {
    for (const path of paths) {
      const writes = WRITES.filter((c) => grants(acl, path, c));
      if (writes.length === 0) continue;
      const capabilities = grants(acl, path, "sudo") ? [...writes, "sudo" as const] : writes;
      const policies = [...new Set(capabilities.flatMap((c) => grantingPolicies(acl, path, c)))].sort(byCodeUnit);
      out.push({ area, path, capabilities, policies });
    }
  }
  return out;
}

/** The roles of an environment equivalent to an administrator, sorted by role key. */
export function adminEquivalents(model: AccessModel): Escalation[] {
  return model.roles.flatMap((role) => {
    const found = escalationGrants(model, role);
    return found.length === 0 ? [] : [{ environment: model.environment, role, grants: found, protection: protectionOf(role) }];
  });
}

/** One line per area: `ACL policies (sys/policies/acl/x, …: create, update, delete via terraform-ci)`. */
export function escalationSummary(e: Escalation, perArea = 2): string {
  const areas = [...new Set(e.grants.map((g) => g.area))];
  return areas
    .map((area) => {
      const gs = e.grants.filter((g) => g.area === area);
      const shown = gs.slice(0, perArea).map((g) => `\`${g.path}\``).join(", ");
      const caps = [...new Set(gs.flatMap((g) => g.capabilities))].join(", ");
      const policies = [...new Set(gs.flatMap((g) => g.policies))].join(", ");
      return `${area} (${shown}${gs.length > perArea ? ` and ${gs.length - perArea} more` : ""}: ${caps} by ${policies})`;
    })
    .join("; ");
}

/** Said wherever the list is shown: the way in that no role models. */
export const BREAK_GLASS_NOTE =
  "Besides these roles, a root token generated with the recovery keys (quorum of the key holders, docs/runbooks.md " +
  "section 0) is the break-glass path: it bypasses every policy.";
