/**
 * An offline Vault ACL: the merge of several policies and the allow/deny decision for one request, following
 * vault/acl.go (`NewACL`, `AllowOperation`, `CheckAllowedFromNonExactPaths`, `Capabilities`) rule for rule.
 * Enterprise-only parts (Sentinel, MFA, control groups, namespaces) are out of scope: they can only narrow
 * what the ACL allows.
 */
import { type JsonValue, valueInAllowedParameterList, valueInDeniedParameterList } from "./glob";
import { type AclPermissions, type AclPolicy, type Capability, CAPABILITY_BITS, pathFlags } from "./policy";
import { type Entity, populatePath } from "./template";

export const OPERATIONS = [
  "read",
  "list",
  "create",
  "update",
  "patch",
  "delete",
  "help",
  "recover",
  "revoke",
  "renew",
  "rollback",
] as const;

export type Operation = (typeof OPERATIONS)[number];

/** The capability an operation needs (help needs none; revoke, renew and rollback reuse update). */
const REQUIRED_CAPABILITY: Record<Exclude<Operation, "help">, Capability> = {
  read: "read",
  list: "list",
  create: "create",
  update: "update",
  patch: "patch",
  delete: "delete",
  recover: "recover",
  revoke: "update",
  renew: "update",
  rollback: "update",
};

/** Operations whose request parameters are checked against allowed/denied/required parameters. */
const PARAMETER_CHECKED = new Set<Operation>(["read", "update", "create", "patch", "recover"]);

export interface AclRequest {
  /** Request path, as after `/v1/`; leading slashes are ignored. */
  readonly path: string;
  readonly operation: Operation;
  /** Request parameters. */
  readonly data?: Readonly<Record<string, JsonValue>>;
  /** The requested response-wrapping TTL (`X-Vault-Wrap-TTL`); absent when the response is not wrapped. */
  readonly wrapTtlSeconds?: number;
}

export interface AclResult {
  readonly allowed: boolean;
  /** The rule chosen for the path has `sudo`, so root-protected endpoints are reachable (even if denied here). */
  readonly rootPrivs: boolean;
  /**
   * When allowed, the policies whose rules for the chosen path grant the capability the operation needs (Vault's
   * `GrantingPolicies`, as audit logs and `sys/capabilities-self` report them), sorted; otherwise empty.
   */
  readonly grantingPolicies: readonly string[];
}

/** Priority of one non-exact match (vault/acl.go `wcPathDescr`). */
interface WildcardMatch {
  readonly firstWildcardOrGlob: number;
  readonly wildcards: number;
  readonly isPrefix: boolean;
  readonly path: string;
  readonly permissions: AclPermissions;
}

/** Vault's `less`: true when `a` has lower priority than `b`. */
function lowerPriority(a: WildcardMatch, b: WildcardMatch): boolean {
  // An earlier first `+` or `*` loses (foo/a* beats foo/+; foo/bar/+/baz beats foo/+/bar/baz).
  if (a.firstWildcardOrGlob !== b.firstWildcardOrGlob) return a.firstWildcardOrGlob < b.firstWildcardOrGlob;
  // A glob loses to an exact-length match (foo/+/bar beats foo/+/ba*).
  if (a.isPrefix !== b.isPrefix) return a.isPrefix;
  // More `+` segments lose.
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards;
  // A shorter pattern loses (foo/+/bar/ba* beats foo/+/bar/b*).
  if (a.path.length !== b.path.length) return a.path.length < b.path.length;
  return a.path < b.path;
}

function clonePermissions(p: AclPermissions): AclPermissions {
  return {
    capabilities: p.capabilities,
    minWrappingTtl: p.minWrappingTtl,
    maxWrappingTtl: p.maxWrappingTtl,
    allowedParameters: p.allowedParameters && new Map([...p.allowedParameters].map(([k, v]) => [k, [...v]])),
    deniedParameters: p.deniedParameters && new Map([...p.deniedParameters].map(([k, v]) => [k, [...v]])),
    requiredParameters: [...p.requiredParameters],
  };
}

/** Merges allowed or denied parameters: values are appended, and an empty list (any value) wins. */
function mergeParameters(existing: Map<string, JsonValue[]> | undefined, added: Map<string, JsonValue[]> | undefined) {
  if (!added || added.size === 0) return existing;
  if (!existing) return new Map([...added].map(([k, v]) => [k, [...v]]));
  for (const [key, values] of added) {
    const current = existing.get(key);
    if (values.length === 0 || (current !== undefined && current.length === 0)) existing.set(key, []);
    else existing.set(key, [...values, ...(current ?? [])]);
  }
  return existing;
}

/** Folds one more rule for the same path into the merged permissions (vault/acl.go `NewACL`). */
function mergeInto(existing: AclPermissions, added: AclPermissions): void {
  if (existing.capabilities & CAPABILITY_BITS.deny) return;
  if (added.capabilities & CAPABILITY_BITS.deny) {
    existing.capabilities = CAPABILITY_BITS.deny;
    existing.allowedParameters = undefined;
    existing.deniedParameters = undefined;
    return;
  }
  existing.capabilities |= added.capabilities;
  // Vault prefers the shorter lifetime for both bounds: the lesser of two set maxima and of two set minima.
  if (added.maxWrappingTtl > 0 && (existing.maxWrappingTtl === 0 || added.maxWrappingTtl < existing.maxWrappingTtl)) {
    existing.maxWrappingTtl = added.maxWrappingTtl;
  }
  if (added.minWrappingTtl > 0 && (existing.minWrappingTtl === 0 || added.minWrappingTtl < existing.minWrappingTtl)) {
    existing.minWrappingTtl = added.minWrappingTtl;
  }
  existing.allowedParameters = mergeParameters(existing.allowedParameters, added.allowedParameters);
  existing.deniedParameters = mergeParameters(existing.deniedParameters, added.deniedParameters);
  for (const p of added.requiredParameters) {
    if (!existing.requiredParameters.includes(p)) existing.requiredParameters.push(p);
  }
}

export class Acl {
  private readonly exact = new Map<string, AclPermissions>();
  private readonly prefix = new Map<string, AclPermissions>();
  private readonly segmentWildcard = new Map<string, AclPermissions>();
  /** Per merged rule: capability bit to the policies that granted it (vault/policy.go `addGrantingPoliciesToMap`). */
  private readonly granting = new Map<AclPermissions, Map<number, string[]>>();

  /**
   * Merges the policies a token carries. Rules of one path, from one policy or several, are merged. A templated
   * path is filled in for the token's `entity` (vault/policy_store.go re-parses templated policies with it); where
   * that fails, and always without an entity, Vault leaves the path out: it is never matched literally.
   * `ownEntity` is the analysis's symbolic token instead (matrix, who, diff, policy tests): its own entity, written as
   * the template, so a templated rule answers only a query path holding the same template ("the role's own entity").
   */
  constructor(policies: readonly AclPolicy[], options: { readonly entity?: Entity; readonly ownEntity?: boolean } = {}) {
    for (const policy of policies) {
      for (const written of policy.rules) {
        let rule = written;
        if (written.template !== undefined && !options.ownEntity) {
          const key = populatePath(written.template, options.entity);
          if (key === undefined) continue;
          rule = { ...written, ...pathFlags(key) };
        }
        const table = rule.hasSegmentWildcards ? this.segmentWildcard : rule.isPrefix ? this.prefix : this.exact;
        let merged = table.get(rule.path);
        if (merged) {
          // Vault keeps nothing more once a path is denied.
          if (merged.capabilities & CAPABILITY_BITS.deny) continue;
          mergeInto(merged, rule.permissions);
        } else {
          merged = clonePermissions(rule.permissions);
          table.set(rule.path, merged);
          this.granting.set(merged, new Map());
        }
        const byBit = this.granting.get(merged)!;
        for (const bit of Object.values(CAPABILITY_BITS)) {
          if ((rule.permissions.capabilities & bit) === 0) continue;
          const names = byBit.get(bit) ?? [];
          if (!names.includes(policy.name)) names.push(policy.name);
          byBit.set(bit, names);
        }
      }
    }
  }

  /** The policies granting `capability` in the rule chosen for a request (empty when that rule lacks it). */
  grantingPolicies(path: string, operation: Operation, capability: Capability): string[] {
    const permissions = this.lookup(path.replace(/^\/+/, ""), operation === "list");
    if (!permissions || (permissions.capabilities & CAPABILITY_BITS.deny) !== 0) return [];
    return [...(this.granting.get(permissions)?.get(CAPABILITY_BITS[capability]) ?? [])].sort();
  }

  /** Vault's `AllowOperation`: whether the request is allowed, and whether the chosen rule has sudo. */
  allowOperation(request: AclRequest): AclResult {
    const op = request.operation;
    if (op === "help") return { allowed: true, rootPrivs: false, grantingPolicies: [] };
    const permissions = this.lookup(request.path.replace(/^\/+/, ""), op === "list");
    if (!permissions) return { allowed: false, rootPrivs: false, grantingPolicies: [] };
    const caps = permissions.capabilities;
    const rootPrivs = (caps & CAPABILITY_BITS.sudo) !== 0;
    const deny = { allowed: false, rootPrivs, grantingPolicies: [] };
    const required = CAPABILITY_BITS[REQUIRED_CAPABILITY[op]];
    const allow = { allowed: true, rootPrivs, grantingPolicies: [...(this.granting.get(permissions)?.get(required) ?? [])].sort() };
    if ((caps & required) === 0) return deny;

    const wrapTtl = request.wrapTtlSeconds;
    if (permissions.maxWrappingTtl > 0 && (wrapTtl === undefined || wrapTtl > permissions.maxWrappingTtl)) return deny;
    if (permissions.minWrappingTtl > 0 && (wrapTtl === undefined || wrapTtl < permissions.minWrappingTtl)) return deny;
    // Merging can leave min above max even though each block was checked on its own.
    if (permissions.minWrappingTtl !== 0 && permissions.maxWrappingTtl !== 0 && permissions.maxWrappingTtl < permissions.minWrappingTtl) {
      return deny;
    }
    if (!PARAMETER_CHECKED.has(op)) return allow;
    return parametersAllowed(permissions, request.data ?? {}) ? allow : deny;
  }

  /**
   * Vault's `Capabilities` (what `sys/capabilities` answers): the capabilities of the rule chosen for `path`,
   * looked up as for a list operation; `["deny"]` when denied or when nothing matches.
   */
  capabilities(path: string): Capability[] {
    const caps = this.lookup(path.replace(/^\/+/, ""), true)?.capabilities ?? 0;
    const order: Capability[] = ["sudo", "read", "list", "update", "delete", "create", "patch", "subscribe", "recover"];
    const granted = order.filter((c) => (caps & CAPABILITY_BITS[c]) !== 0);
    return caps & CAPABILITY_BITS.deny || granted.length === 0 ? ["deny"] : granted;
  }

  /** The merged permissions of the rule chosen for a request (what `allowOperation` checks against). */
  permissionsFor(path: string, operation: Operation): Readonly<AclPermissions> | undefined {
    return this.lookup(path.replace(/^\/+/, ""), operation === "list");
  }

  /**
   * The rule for a path (vault/acl.go `AllowOperation`): an exact rule; for a list, the exact rule without the
   * trailing slash; for a list of `foo/`, the non-exact candidates of `foo` and of `foo/` ranked together, the most
   * specific deny first (`resolveACLPermsForListOp`, the fix of the LIST deny bypass); then non-exact rules.
   */
  private lookup(path: string, isList: boolean): AclPermissions | undefined {
    const exact = this.exact.get(path) ?? (isList ? this.exact.get(path.replace(/\/$/, "")) : undefined);
    if (exact) return exact;
    if (isList && path.endsWith("/")) return resolveForList([...this.candidates(path.slice(0, -1)), ...this.candidates(path)]);
    const all = this.candidates(path);
    return all.reduce<WildcardMatch | undefined>((best, c) => (!best || lowerPriority(best, c) ? c : best), undefined)?.permissions;
  }

  /** Vault's `prefixAndWCCandidatesForPath`: the longest prefix rule and every matching `+` rule. */
  private candidates(path: string): WildcardMatch[] {
    const out: WildcardMatch[] = [];
    let longest: string | undefined;
    for (const p of this.prefix.keys()) {
      if (path.startsWith(p) && (longest === undefined || p.length > longest.length)) longest = p;
    }
    if (longest !== undefined) out.push({ firstWildcardOrGlob: longest.length, wildcards: 0, isPrefix: true, path: longest, permissions: this.prefix.get(longest)! });
    const parts = path.split("/");
    for (const [full, permissions] of this.segmentWildcard) {
      const match = matchSegments(full, parts, permissions);
      if (match) out.push(match);
    }
    return out;
  }
}

/** vault/acl.go `resolveACLPermsForListOp`: a deny at least as specific as the best list grant wins. */
function resolveForList(all: readonly WildcardMatch[]): AclPermissions | undefined {
  let bestDeny: WildcardMatch | undefined;
  let bestList: WildcardMatch | undefined;
  let best: WildcardMatch | undefined;
  for (const c of all) {
    if (c.permissions.capabilities & CAPABILITY_BITS.deny && (!bestDeny || lowerPriority(bestDeny, c))) bestDeny = c;
    if (c.permissions.capabilities & CAPABILITY_BITS.list && (!bestList || lowerPriority(bestList, c))) bestList = c;
    if (!best || lowerPriority(best, c)) best = c;
  }
  if (bestDeny && (!bestList || lowerPriority(bestList, bestDeny))) return bestDeny.permissions;
  return (bestList ?? best)?.permissions;
}

/** Matches one `+` pattern (possibly ending in `*`) against the request path's segments. */
function matchSegments(full: string, parts: readonly string[], permissions: AclPermissions): WildcardMatch | undefined {
  if (full === "") return undefined;
  const isPrefix = full.endsWith("*");
  const pattern = isPrefix ? full.slice(0, -1) : full;
  const segments = pattern.split("/");
  if (parts.length < segments.length) return undefined;
  if (!isPrefix && parts.length !== segments.length) return undefined;
  let wildcards = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === "+") wildcards++;
    else if (seg === parts[i]) continue;
    else if (isPrefix && i === segments.length - 1 && parts[i].startsWith(seg)) continue;
    else return undefined;
  }
  return { firstWildcardOrGlob: full.indexOf("+"), wildcards, isPrefix, path: pattern, permissions };
}

/**
 * vault/acl.go `normalizePolicyParameterValue`: Vault lower-cases policy names, so the values of `policies` and
 * `token_policies` (a string, or the strings of a list) are lower-cased before they are matched.
 */
function normalizePolicyParameterValue(name: string, value: JsonValue): JsonValue {
  const lower = name.toLowerCase();
  if (lower !== "policies" && lower !== "token_policies") return value;
  if (typeof value === "string") return value.toLowerCase();
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v.toLowerCase() : v));
  return value;
}

/** The parameter checks of `AllowOperation`, in Vault's order. */
function parametersAllowed(permissions: AclPermissions, data: Readonly<Record<string, JsonValue>>): boolean {
  for (const p of permissions.requiredParameters) {
    if (!Object.hasOwn(data, p.toLowerCase())) return false;
  }
  const entries = Object.entries(data);
  if (entries.length === 0) return true;

  const denied = permissions.deniedParameters;
  if (denied && denied.size > 0) {
    if (denied.has("*")) return false;
    for (const [name, value] of entries) {
      const values = denied.get(name.toLowerCase());
      if (values && valueInDeniedParameterList(normalizePolicyParameterValue(name, value), values)) return false;
    }
  }

  const allowed = permissions.allowedParameters;
  if (!allowed || allowed.size === 0) return true;
  const allowedAll = allowed.has("*");
  if (allowed.size === 1 && allowedAll) return true;
  for (const [name, value] of entries) {
    const values = allowed.get(name.toLowerCase());
    if (values === undefined && !allowedAll) return false;
    if (values !== undefined && !valueInAllowedParameterList(normalizePolicyParameterValue(name, value), values)) return false;
  }
  return true;
}

/** The capabilities a set of policies grants on a path (Vault's `sys/capabilities`), for matrices and diffs. */
export function capabilitiesOn(policies: readonly AclPolicy[], path: string): Capability[] {
  return new Acl(policies).capabilities(path);
}
