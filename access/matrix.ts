/**
 * "Who can do what": each auth role's capabilities on every path the environment's policies name, and the same
 * read by path. Decided by the ACL evaluator (rule choice by Vault's priority, deny, `+` and `*`), never by
 * comparing path strings.
 */
import type { Acl } from "./acl/acl";
import { grantingPolicies, grants, TESTED_CAPABILITIES, type TestedCapability } from "./policy-tests";
import { isTemplated, TEMPLATED_NOTE } from "./default-policy";
import { heading, paragraph, table, type Block } from "../document/document";
import { adminEquivalents, BREAK_GLASS_NOTE, escalationSummary } from "./escalation";
import { type AccessModel, type AuthRole, DEFAULT_POLICY_NOTE, missingPolicies, namedPaths, roleAcl, tokenPolicies } from "./model";

const tick = (s: string) => `\`${s}\``;

/** Seconds as the largest whole unit (`3600` → `1h`); `-` when unset. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return "-";
  if (seconds !== 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds !== 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds !== 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The capabilities a role's token has on a concrete path: each operation checked as Vault checks a request with no
 * parameters and no response wrapping (`sudo`: the chosen rule has sudo). A `+` or `*` in the path is a literal
 * segment name, so a path as written in a policy stands for "some path it matches".
 */
export function effectiveCapabilities(acl: Acl, path: string): TestedCapability[] {
  return TESTED_CAPABILITIES.filter((c) => grants(acl, path, c));
}

export interface GrantedCapability {
  readonly capability: TestedCapability;
  /** The policies granting it in the rule Vault chooses (Vault's granting policies), sorted. */
  readonly policies: readonly string[];
}

/** The capabilities a token has on a path, each with the policies that grant it. */
export function grantedCapabilities(acl: Acl, path: string): GrantedCapability[] {
  const granted: GrantedCapability[] = [];
  for (const capability of TESTED_CAPABILITIES) {
    if (capability === "sudo") {
      if (grants(acl, path, "sudo")) granted.push({ capability, policies: grantingPolicies(acl, path, "sudo") });
      continue;
    }
    // One decision gives both the answer and its granting policies.
    const result = acl.allowOperation({ path, operation: capability });
    if (result.allowed) granted.push({ capability, policies: result.grantingPolicies });
  }
  return granted;
}

/** `read, list (app); update (app, default)`: capabilities grouped by the policies that grant them. */
export function grantedText(granted: readonly GrantedCapability[]): string {
  const groups = new Map<string, string[]>();
  for (const g of granted) {
    const by = g.policies.join(", ");
    groups.set(by, [...(groups.get(by) ?? []), g.capability]);
  }
  return [...groups].map(([by, caps]) => `${caps.join(", ")} (${by})`).join("; ");
}

/** True when a rule chosen for a granted capability also restricts parameters or wrapping TTLs. */
function constrained(acl: Acl, path: string, caps: readonly TestedCapability[]): boolean {
  return caps.some((c) => {
    const p = acl.permissionsFor(path, c === "sudo" ? "update" : c);
    return !!p && (p.allowedParameters !== undefined || p.deniedParameters !== undefined || p.requiredParameters.length > 0 || p.minWrappingTtl > 0 || p.maxWrappingTtl > 0);
  });
}

/** A matrix cell: the capabilities with their granting policies, and whether constraints apply. */
export function capabilityText(acl: Acl, path: string): string {
  const granted = grantedCapabilities(acl, path);
  if (granted.length === 0) return "";
  const caps = granted.map((g) => g.capability);
  return `${grantedText(granted)}${constrained(acl, path, caps) ? " [parameter or wrapping constraints]" : ""}`;
}

/** A path as shown in a table: a templated one says whose entity it means. */
export function pathLabel(path: string): string {
  return isTemplated(path) ? `${tick(path)} (${TEMPLATED_NOTE})` : tick(path);
}

function roleLabel(role: AuthRole): string {
  return `${tick(role.key)}${role.defaultPolicy ? " + default" : ""}`;
}

function bindingsText(role: AuthRole): string {
  return Object.entries(role.bindings)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
}

/** The roles, their logins, TTLs and policies. */
export function rolesTable(model: AccessModel): Block[] {
  if (model.roles.length === 0) return [paragraph("No auth role in this environment.")];
  const rows = model.roles.map((r) => {
    const missing = missingPolicies(model, r);
    return [
      roleLabel(r),
      r.method,
      bindingsText(r),
      duration(r.ttls.token_ttl),
      duration(r.ttls.token_max_ttl),
      r.method === "approle" ? duration(r.ttls.secret_id_ttl) : "n/a",
      `${r.policies.join(", ")}${missing.length > 0 ? ` (not in the synthesized output, not evaluated: ${missing.join(", ")})` : ""}`,
    ];
  });
  return [table(["role", "method", "bindings", "token TTL", "token max TTL", "secret id TTL", "policies"], rows)];
}

/** Role × path matrix: one row per path named by any policy, one column per role; empty cell = nothing. */
export function matrixTable(model: AccessModel): Block[] {
  const acls = model.roles.map((r) => roleAcl(model, r));
  const rows = namedPaths(model).map((path) => [pathLabel(path), ...acls.map((acl) => capabilityText(acl, path))]);
  return [table(["path", ...model.roles.map((r) => tick(r.key))], rows)];
}

/** By path: which roles can do what there (the "who can read X?" index). */
export function byPathTable(model: AccessModel): Block[] {
  const acls = model.roles.map((r) => roleAcl(model, r));
  const rows = namedPaths(model).map((path) => {
    const who = model.roles
      .map((r, i) => ({ r, caps: effectiveCapabilities(acls[i], path) }))
      .filter((x) => x.caps.length > 0);
    return [
      pathLabel(path),
      ...TESTED_CAPABILITIES.map((c) => who.filter((x) => x.caps.includes(c)).map((x) => tick(x.r.key)).join(", ")),
    ];
  });
  return [table(["path", ...TESTED_CAPABILITIES], rows)];
}

const HOW =
  "Capabilities are decided by the Vault ACL evaluator (access/acl) on each path as written in a policy, " +
  "the way Vault decides a request with no parameters and no response wrapping: the rule chosen by Vault's " +
  "priority wins, `deny` wins over every grant, and a `+` or `*` in the path stands for some name it matches. " +
  "Each capability is followed by the policies that grant it in the chosen rule (Vault's granting policies). " +
  "An empty cell means no capability. `sudo` means root-protected endpoints at that path are reachable.";

/** The whole "who can do what" of one environment, under a heading of `level`. */
export function accessMatrix(model: AccessModel, level: 2 | 3 = 2): Block[] {
  const sub = (level + 1) as 3 | 4;
  return [
    heading(level, `Who can do what: ${model.environment}`),
    paragraph(HOW),
    paragraph(DEFAULT_POLICY_NOTE),
    heading(sub, `Roles, logins and policies: ${model.environment}`),
    ...rolesTable(model),
    heading(sub, `Capabilities by role and path: ${model.environment}`),
    ...matrixTable(model),
    heading(sub, `Who can do what, by path: ${model.environment}`),
    ...byPathTable(model),
  ];
}

export interface WhoAnswer {
  readonly environment: string;
  readonly role: AuthRole;
  readonly capabilities: readonly TestedCapability[];
  /** The same capabilities with the policies that grant each. */
  readonly granted: readonly GrantedCapability[];
}

/** Which roles have which capabilities on one concrete path (optionally only those holding `capability`). */
export function whoCan(model: AccessModel, path: string, capability?: TestedCapability): WhoAnswer[] {
  return model.roles
    .map((role) => {
      const granted = grantedCapabilities(roleAcl(model, role), path);
      return { environment: model.environment, role, capabilities: granted.map((g) => g.capability), granted };
    })
    .filter((a) => a.capabilities.length > 0 && (capability === undefined || a.capabilities.includes(capability)));
}

export function whoReport(models: readonly AccessModel[], path: string, capability?: TestedCapability): Block[] {
  const answers = models.flatMap((m) => whoCan(m, path, capability));
  const blocks: Block[] = [heading(2, `Who can ${capability ?? "do anything"} on ${pathLabel(path)}`)];
  if (answers.length === 0) {
    blocks.push(paragraph(`No role${capability ? ` has ${capability}` : " has any capability"} on ${tick(path)} in ${models.map((m) => m.environment).join(", ") || "no environment"}.`));
  } else {
    blocks.push(
      table(
        ["environment", "role", "method", "policies", "capabilities (granted by)"],
        answers.map((a) => [a.environment, roleLabel(a.role), a.role.method, tokenPolicies(a.role).join(", "), grantedText(a.granted)]),
      ),
    );
  }
  const escalations = models.flatMap(adminEquivalents);
  blocks.push(heading(3, `Also anything on ${tick(path)}, by escalation (equivalent to administrator)`));
  if (escalations.length === 0) blocks.push(paragraph(`No role can change policies, roles, auth mounts, identity groups, audit devices or seal in ${models.map((m) => m.environment).join(", ")}.`));
  else {
    blocks.push(
      paragraph("These roles can change what grants access (or what records it), so they can grant themselves any capability here, whatever the table above says."),
      table(
        ["environment", "role", "by escalation: can change", "login protected by"],
        escalations.map((e) => [e.environment, roleLabel(e.role), escalationSummary(e, 1), e.protection.join("; ")]),
      ),
    );
  }
  blocks.push(paragraph(BREAK_GLASS_NOTE), paragraph(DEFAULT_POLICY_NOTE));
  return blocks;
}
