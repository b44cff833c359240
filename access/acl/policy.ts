/**
 * Turns a decoded Vault ACL policy (the path items of `config/policies.ts`, decoded as Vault decodes them) into
 * the rules Vault's ACL is built from, validating it in the order of Vault's `parsePaths` (vault/policy.go): leading
 * `/` stripped, `+*` refused, a trailing `*` makes a prefix rule, `+` segments a segment-wildcard rule, legacy
 * `policy = "..."` values become capabilities, `deny` ends the block (nothing after it is read or checked),
 * parameter names are lower-cased, TTLs are parseutil.ParseDurationSecond durations, control groups are checked.
 * Errors carry Vault's own message, prefixed as Vault prefixes them ("failed to parse policy: ...").
 */
import { parsePolicy, type PolicyPathRule, type VaultPolicy } from "../../config/policies";
import { ConfigError } from "../../config/load";
import { type GoValue, jsonOf } from "../../config/hcl1/value";
import { parseDurationSecond } from "./duration";
import type { JsonValue } from "./glob";

/** Capability bits, in Vault's order (vault/policy.go `DenyCapabilityInt` ...). */
export const CAPABILITY_BITS = {
  deny: 1 << 0,
  create: 1 << 1,
  read: 1 << 2,
  update: 1 << 3,
  delete: 1 << 4,
  list: 1 << 5,
  sudo: 1 << 6,
  patch: 1 << 7,
  subscribe: 1 << 8,
  recover: 1 << 9,
} as const;

export type Capability = keyof typeof CAPABILITY_BITS;

export const CAPABILITIES = Object.keys(CAPABILITY_BITS) as Capability[];

/** What one rule (or several merged rules of one path) grants. */
export interface AclPermissions {
  /** Bitmap of CAPABILITY_BITS; exactly `deny` when denied. */
  capabilities: number;
  /** Seconds; 0 when unset. */
  minWrappingTtl: number;
  /** Seconds; 0 when unset. */
  maxWrappingTtl: number;
  /** Lower-cased parameter name to allowed values; undefined when the policy sets none. */
  allowedParameters?: Map<string, JsonValue[]>;
  /** Lower-cased parameter name to denied values; undefined when the policy sets none. */
  deniedParameters?: Map<string, JsonValue[]>;
  requiredParameters: string[];
}

export interface AclPathRule {
  /** The path without its leading `/`, and without the trailing `*` of a plain prefix rule. */
  readonly path: string;
  /** A trailing-`*` rule without `+` segments (matched by longest prefix). */
  readonly isPrefix: boolean;
  /** Holds a `+` segment (matched segment by segment; keeps its trailing `*`). */
  readonly hasSegmentWildcards: boolean;
  readonly permissions: AclPermissions;
  /** The label as written when it holds `{{ }}` identity templating: the ACL fills it in per entity. */
  readonly template?: string;
  /** The wrapping TTLs exactly, in nanoseconds (absent on a deny rule). */
  readonly minWrappingTtlNs?: bigint;
  readonly maxWrappingTtlNs?: bigint;
}

export interface AclPolicy {
  readonly name: string;
  readonly rules: readonly AclPathRule[];
}

/** Legacy `policy = "..."` values (vault/policy.go `OldReadPathPolicy` ...); "deny" is handled apart. */
const LEGACY_POLICIES: Record<string, Capability[]> = {
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

/** A duration given as seconds or text (a test and CLI convenience), through ParseDurationSecond; seconds. */
export function parseDurationSeconds(value: number | string): number {
  const go: GoValue = typeof value === "number" ? (Number.isInteger(value) ? { t: "int", v: BigInt(value) } : { t: "float", v: value }) : { t: "string", v: value };
  try {
    return Number(parseDurationSecond(go)) / 1e9;
  } catch (e) {
    throw new Error(`not a duration: ${JSON.stringify(value)} (${(e as Error).message})`);
  }
}

/** Vault's loop over a parameter map: keys lower-cased (two spellings of one name: the later one is kept). */
function parameters(raw: Map<string, GoValue[]> | undefined): Map<string, JsonValue[]> | undefined {
  if (raw === undefined) return undefined;
  return new Map([...raw].map(([k, v]) => [k.toLowerCase(), v.map(jsonOf)]));
}

function durationOf(field: string, value: GoValue | undefined): bigint {
  try {
    return parseDurationSecond(value);
  } catch (e) {
    throw new Error(`error parsing ${field}: ${(e as Error).message}`);
  }
}

/** One decoded path item checked and compiled as Vault's `parsePaths`; throws Vault's message for the first error. */
/** How parsePaths reads a label: `/` stripped, `+*` refused, `+` segments and a trailing `*` recognised. */
export function pathFlags(key: string): Pick<AclPathRule, "path" | "isPrefix" | "hasSegmentWildcards"> {
  let path = key.startsWith("/") ? key.slice(1) : key;
  if (path.includes("+*")) throw new Error(`path ${JSON.stringify(path)}: invalid use of wildcards ('+*' is forbidden)`);
  const hasSegmentWildcards = path === "+" || path.includes("/+") || path.startsWith("+/");
  let isPrefix = false;
  if (path.endsWith("*") && !hasSegmentWildcards) {
    path = path.slice(0, -1);
    isPrefix = true;
  }
  return { path, isPrefix, hasSegmentWildcards };
}

function compileRule(key: string, pc: PolicyPathRule): AclPathRule {
  const { path, isPrefix, hasSegmentWildcards } = pathFlags(key);
  const template = key.includes("{{") ? key : undefined;
  let names = [...(pc.capabilities ?? [])];
  if (pc.policy !== undefined && pc.policy.length > 0) {
    if (pc.policy === "deny") names = ["deny"];
    else if (Object.hasOwn(LEGACY_POLICIES, pc.policy)) names.push(...LEGACY_POLICIES[pc.policy]);
    else throw new Error(`path ${JSON.stringify(key)}: invalid policy ${JSON.stringify(pc.policy)}`);
  }
  const permissions: AclPermissions = { capabilities: 0, minWrappingTtl: 0, maxWrappingTtl: 0, requiredParameters: [] };
  for (const name of names) {
    if (name === "deny") {
      // Vault's `goto PathFinished`: a deny block keeps nothing else, and nothing after it is checked.
      permissions.capabilities = CAPABILITY_BITS.deny;
      return { path, isPrefix, hasSegmentWildcards, permissions, template };
    }
    if (!Object.hasOwn(CAPABILITY_BITS, name)) {
      // Vault's message, then the field and what it takes.
      const expected = `${CAPABILITIES.slice(0, -1).join(", ")} or ${CAPABILITIES[CAPABILITIES.length - 1]}`;
      throw new Error(`path ${JSON.stringify(key)}: invalid capability ${JSON.stringify(name)} (capabilities[${names.indexOf(name)}]: expected ${expected})`);
    }
    permissions.capabilities |= CAPABILITY_BITS[name as Capability];
  }
  permissions.allowedParameters = parameters(pc.allowedParameters);
  permissions.deniedParameters = parameters(pc.deniedParameters);
  const min = durationOf("min_wrapping_ttl", pc.minWrappingTtl);
  const max = durationOf("max_wrapping_ttl", pc.maxWrappingTtl);
  permissions.minWrappingTtl = Number(min) / 1e9;
  permissions.maxWrappingTtl = Number(max) / 1e9;
  if (pc.controlGroup !== undefined) checkControlGroup(pc.controlGroup, names);
  if (min !== 0n && max !== 0n && max < min) throw new Error("max_wrapping_ttl cannot be less than min_wrapping_ttl");
  if (pc.requiredParameters !== undefined && pc.requiredParameters.length > 0) permissions.requiredParameters = [...pc.requiredParameters];
  return { path, isPrefix, hasSegmentWildcards, permissions, template, minWrappingTtlNs: min, maxWrappingTtlNs: max };
}

/** vault/policy.go's control group checks (an Enterprise feature the open-source server still parses and checks). */
function checkControlGroup(cg: NonNullable<PolicyPathRule["controlGroup"]>, capabilities: readonly string[]): void {
  durationOf("control group max ttl", cg.ttl);
  for (const factor of cg.factors?.values() ?? []) {
    if (factor.identity === undefined) throw new Error("no control_group factor provided");
    const id = factor.identity;
    if ((id.approvals ?? 0n) <= 0n || ((id.groupIds ?? []).length === 0 && (id.groupNames ?? []).length === 0)) {
      throw new Error("must provide more than one identity group and approvals > 0");
    }
    for (const c of factor.controlledCapabilities ?? []) {
      if (!capabilities.includes(c)) throw new Error("control group factor capabilities must be a subset of the policy's capabilities");
    }
  }
  if ((cg.factors?.size ?? 0) === 0) throw new Error("no control group factors provided");
}

/** Compiles the path items of one policy; throws a ConfigError with Vault's message for the first bad item. */
export function compilePolicy(policy: Pick<VaultPolicy, "name" | "file" | "rules">): AclPolicy {
  const rules: AclPathRule[] = [];
  for (const { path, rule } of policy.rules) {
    try {
      rules.push(compileRule(path, rule));
    } catch (e) {
      // Vault's checks throw plain Errors with its messages; a TypeError or the like is a bug here, not input.
      if (!(e instanceof Error) || e instanceof TypeError || e instanceof ReferenceError) throw e;
      throw new ConfigError([`${policy.file}: failed to parse policy: ${e.message}`]);
    }
  }
  return { name: policy.name, rules };
}

/** Parses policy text as Vault does (config/policies.ts), then compiles it. */
export async function parseAclPolicy(name: string, text: string, file = `${name}.hcl`): Promise<AclPolicy> {
  return compilePolicy(await parsePolicy(name, file, text));
}
