/**
 * What a change does to access, from two synthesized outputs (base and head of a pull request): roles added and
 * removed, TTLs, policy attachments, binding changes, and capabilities gained and lost per role and path. Prints
 * only role names, policy names, paths, capabilities, TTLs and login bindings (who may log in: service accounts,
 * namespaces, claims; never a credential), so it is safe to post as a pull-request comment.
 */
import { heading, list, paragraph, table, type Block } from "../document/document";
import { Acl } from "./acl/acl";
import { defaultPolicy } from "./default-policy";
import { duration, effectiveCapabilities } from "./matrix";
import { type AccessModel, type AuthRole, DEFAULT_POLICY_NOTE, namedPaths, roleAcl, tokenPolicies, TTL_FIELDS } from "./model";

const tick = (s: string) => `\`${s}\``;

export interface CapabilityChange {
  readonly role: string;
  readonly path: string;
  readonly capabilities: readonly string[];
  /** Those of `capabilities` Vault's built-in `default` policy alone grants there, when the role carries it. */
  readonly fromDefault?: readonly string[];
}

export interface EnvironmentChanges {
  readonly environment: string;
  readonly rolesAdded: readonly AuthRole[];
  readonly rolesRemoved: readonly AuthRole[];
  readonly ttls: readonly { role: string; setting: string; before?: number; after?: number }[];
  readonly attachments: readonly { role: string; attached: readonly string[]; detached: readonly string[] }[];
  /** Binding attributes that changed, with their values before and after (undefined: not set). */
  readonly bindings: readonly { role: string; changed: readonly { name: string; before?: string; after?: string }[] }[];
  readonly policiesAdded: readonly string[];
  readonly policiesRemoved: readonly string[];
  readonly gained: readonly CapabilityChange[];
  readonly lost: readonly CapabilityChange[];
}

const EMPTY = (environment: string): AccessModel => ({ environment, roles: [], policies: new Map() });

/** Policies a role's token carries, with Vault's `default` when the role does not opt out. */
function attached(role: AuthRole | undefined): Set<string> {
  return new Set(role ? tokenPolicies(role) : []);
}

let defaultAcl: Acl | undefined;

/** Marks the capabilities of a change that Vault's `default` policy alone grants, when the role carries it. */
function withDefault(change: CapabilityChange, role: AuthRole | undefined): CapabilityChange {
  if (!role || !attached(role).has("default")) return change;
  defaultAcl ??= new Acl([defaultPolicy().compiled], { ownEntity: true });
  const granted = effectiveCapabilities(defaultAcl, change.path);
  const fromDefault = change.capabilities.filter((c) => (granted as string[]).includes(c));
  return fromDefault.length > 0 ? { ...change, fromDefault } : change;
}

export function diffEnvironment(baseModel: AccessModel | undefined, headModel: AccessModel | undefined): EnvironmentChanges {
  const environment = (headModel ?? baseModel)!.environment;
  const base = baseModel ?? EMPTY(environment);
  const head = headModel ?? EMPTY(environment);
  const baseRoles = new Map(base.roles.map((r) => [r.key, r]));
  const headRoles = new Map(head.roles.map((r) => [r.key, r]));
  const keys = [...new Set([...baseRoles.keys(), ...headRoles.keys()])].sort();
  const paths = [...new Set([...namedPaths(base), ...namedPaths(head)])].sort();

  const ttls: EnvironmentChanges["ttls"][number][] = [];
  const attachments: EnvironmentChanges["attachments"][number][] = [];
  const bindings: EnvironmentChanges["bindings"][number][] = [];
  const gainedAll: CapabilityChange[] = [];
  const lostAll: CapabilityChange[] = [];

  for (const key of keys) {
    const b = baseRoles.get(key);
    const h = headRoles.get(key);
    if (b && h) {
      for (const f of TTL_FIELDS) {
        if (b.ttls[f] !== h.ttls[f]) ttls.push({ role: key, setting: f, before: b.ttls[f], after: h.ttls[f] });
      }
      const [was, now] = [attached(b), attached(h)];
      const on = [...now].filter((p) => !was.has(p)).sort();
      const off = [...was].filter((p) => !now.has(p)).sort();
      if (on.length + off.length > 0) attachments.push({ role: key, attached: on, detached: off });
      const names = [...new Set([...Object.keys(b.bindings), ...Object.keys(h.bindings)])].sort();
      const changed = names.filter((n) => b.bindings[n] !== h.bindings[n]).map((name) => ({ name, before: b.bindings[name], after: h.bindings[name] }));
      if (changed.length > 0) bindings.push({ role: key, changed });
    }
    const before = b ? roleAcl(base, b) : undefined;
    const after = h ? roleAcl(head, h) : undefined;
    for (const path of paths) {
      const was: string[] = before ? effectiveCapabilities(before, path) : [];
      const now: string[] = after ? effectiveCapabilities(after, path) : [];
      const gained = now.filter((c) => !was.includes(c));
      const lost = was.filter((c) => !now.includes(c));
      if (gained.length > 0) gainedAll.push(withDefault({ role: key, path, capabilities: gained }, h));
      if (lost.length > 0) lostAll.push(withDefault({ role: key, path, capabilities: lost }, b));
    }
  }
  return {
    environment,
    rolesAdded: head.roles.filter((r) => !baseRoles.has(r.key)),
    rolesRemoved: base.roles.filter((r) => !headRoles.has(r.key)),
    ttls,
    attachments,
    bindings,
    policiesAdded: [...head.policies.keys()].filter((p) => !base.policies.has(p)),
    policiesRemoved: [...base.policies.keys()].filter((p) => !head.policies.has(p)),
    gained: gainedAll,
    lost: lostAll,
  };
}

/** Per environment present on either side, sorted by name. */
export function diffModels(base: readonly AccessModel[], head: readonly AccessModel[]): EnvironmentChanges[] {
  const names = [...new Set([...base, ...head].map((m) => m.environment))].sort();
  return names.map((n) => diffEnvironment(base.find((m) => m.environment === n), head.find((m) => m.environment === n)));
}

function isEmpty(c: EnvironmentChanges): boolean {
  return [c.rolesAdded, c.rolesRemoved, c.ttls, c.attachments, c.bindings, c.policiesAdded, c.policiesRemoved, c.gained, c.lost].every((l) => l.length === 0);
}

function roleRows(roles: readonly AuthRole[]): string[][] {
  return roles.map((r) => [
    tick(r.key),
    r.method,
    [...attached(r)].sort().join(", "),
    duration(r.ttls.token_ttl),
    duration(r.ttls.token_max_ttl),
    r.method === "approle" ? duration(r.ttls.secret_id_ttl) : "n/a",
  ]);
}

const ROLE_HEADER = ["role", "method", "policies", "token TTL", "token max TTL", "secret id TTL"];

export function environmentChangeBlocks(c: EnvironmentChanges): Block[] {
  const blocks: Block[] = [heading(3, c.environment)];
  if (isEmpty(c)) return [...blocks, paragraph("No access change.")];
  const section = (title: string, rows: string[][], header: string[]) => {
    if (rows.length > 0) blocks.push(heading(4, `${title} (${rows.length})`), table(header, rows));
  };
  section("Roles added", roleRows(c.rolesAdded), ROLE_HEADER);
  section("Roles removed", roleRows(c.rolesRemoved), ROLE_HEADER);
  section(
    "TTL changes",
    c.ttls.map((t) => [tick(t.role), t.setting, duration(t.before), duration(t.after)]),
    ["role", "setting", "before", "after"],
  );
  section(
    "Policy attachments changed",
    c.attachments.map((a) => [tick(a.role), a.attached.join(", "), a.detached.join(", ")]),
    ["role", "attached", "detached"],
  );
  const value = (v: string | undefined) => (v === undefined ? "(not set)" : tick(v));
  section(
    "Login bindings changed",
    c.bindings.flatMap((b) => b.changed.map((x) => [tick(b.role), x.name, `${value(x.before)} → ${value(x.after)}`])),
    ["role", "binding", "old → new"],
  );
  if (c.policiesAdded.length + c.policiesRemoved.length > 0) {
    blocks.push(
      heading(4, "Policies"),
      list([...c.policiesAdded.map((p) => `added ${tick(p)}`), ...c.policiesRemoved.map((p) => `removed ${tick(p)}`)]),
    );
  }
  capabilitySection(blocks, "Capabilities gained", c.gained, "gained");
  capabilitySection(blocks, "Capabilities lost", c.lost, "lost");
  return blocks;
}

/**
 * Capability changes: a row per role and path, except what Vault's `default` policy alone grants, folded into one
 * line per role (the same dozen paths for every role that receives it).
 */
function capabilitySection(blocks: Block[], title: string, changes: readonly CapabilityChange[], column: string): void {
  const rows = changes.flatMap((g) => {
    const rest = g.capabilities.filter((cap) => !(g.fromDefault ?? []).includes(cap));
    return rest.length > 0 ? [[tick(g.role), tick(g.path), rest.join(", ")]] : [];
  });
  const folded = new Map<string, number>();
  for (const g of changes) if (g.fromDefault) folded.set(g.role, (folded.get(g.role) ?? 0) + 1);
  if (rows.length + folded.size === 0) return;
  blocks.push(heading(4, `${title} (${rows.length}${folded.size > 0 ? `, and the default policy of ${folded.size} role${folded.size === 1 ? "" : "s"}` : ""})`));
  if (rows.length > 0) blocks.push(table(["role", "path", column], rows));
  if (folded.size > 0) {
    blocks.push(
      list([...folded].map(([role, n]) => `${tick(role)}: ${n} path${n === 1 ? "" : "s"} of Vault's built-in \`default\` policy (its own token, cubbyhole, response wrapping; access/vault-default-policy.hcl)`)),
    );
  }
}

/** The Markdown document CI posts: always starts with `## Access changes`. */
export function diffReport(base: readonly AccessModel[], head: readonly AccessModel[], labels: { base: string; head: string }): Block[] {
  const changes = diffModels(base, head);
  const blocks: Block[] = [
    heading(2, "Access changes"),
    paragraph(
      `Base ${tick(labels.base)}${base.length === 0 ? " (no synthesized stacks: everything is new)" : ""} against head ${tick(labels.head)}. ` +
        "Capabilities are decided by the Vault ACL evaluator on every path the policies of either side name, " +
        "Vault's built-in `default` policy included for the roles that receive it.",
    ),
  ];
  if (changes.every(isEmpty)) blocks.push(paragraph("No access change in any environment."));
  blocks.push(...changes.flatMap(environmentChangeBlocks), paragraph(DEFAULT_POLICY_NOTE));
  return blocks;
}
