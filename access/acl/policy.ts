/**
 * Turns a parsed Vault ACL policy (the path blocks of `config/policies.ts`, parsed as Vault parses them) into
 * the rules Vault's ACL is built from, validating it the way Vault's `parsePaths` does (vault/policy.go):
 * leading `/` stripped, a trailing `*` makes a prefix rule, `+` segments make a segment-wildcard rule, legacy
 * `policy = "..."` values become capabilities, `deny` wipes the other capabilities of its block, parameter names
 * are lower-cased, wrapping TTLs are durations in seconds.
 */
import { PATH_BLOCK_KEYS, parsePolicy, type PolicyPathRule, type VaultPolicy } from "../../config/policies";
import { ConfigError } from "../../config/load";
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
}

export interface AclPolicy {
  readonly name: string;
  readonly rules: readonly AclPathRule[];
}

/** Keys Vault accepts in a path block (vault/policy.go `parsePaths`). */
const VALID_KEYS: ReadonlySet<string> = new Set(PATH_BLOCK_KEYS);

/** Legacy `policy = "..."` values (vault/policy.go `OldReadPathPolicy` ...). There is no legacy "list". */
const LEGACY_POLICIES: Record<string, Capability[]> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * A duration as go-secure-stdlib `parseutil.ParseDurationSecond` reads it: a number or integer string is
 * seconds, `<n>d` is days, anything else is a Go duration (`90s`, `1h30m`). Returns seconds.
 */
export function parseDurationSeconds(value: unknown): number {
  if (value === null || value === undefined || value === "") return 0;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") throw new Error(`not a duration: ${JSON.stringify(value)}`);
  if (/^[-+]?\d+$/.test(value)) return Number(value);
  if (/^[-+]?\d+d$/.test(value)) return Number(value.slice(0, -1)) * 86400;
  if (!GO_DURATION.test(value)) throw new Error(`not a duration: ${JSON.stringify(value)}`);
  const sign = value.startsWith("-") ? -1 : 1;
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(n) * GO_UNIT_SECONDS[unit];
  }
  return sign * total;
}

function parameterMap(where: string, raw: unknown, problems: string[]): Map<string, JsonValue[]> | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push(`${where} must be a map of parameter name to a list of values`);
    return undefined;
  }
  const map = new Map<string, JsonValue[]>();
  for (const [key, values] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(values)) {
      problems.push(`${where}: "${key}" must be a list of values (got ${JSON.stringify(values)})`);
      continue;
    }
    map.set(key.toLowerCase(), values as JsonValue[]);
  }
  return map;
}

/** One path block as Vault's `parsePaths` reads it; problems are appended, prefixed with the file. */
function compileRule(file: string, key: string, block: PolicyPathRule, problems: string[]): AclPathRule | undefined {
  const raw = block as unknown as Record<string, unknown>;
  const where = `${file}: path "${key}"`;
  const before = problems.length;
  for (const k of Object.keys(raw)) {
    if (!VALID_KEYS.has(k)) problems.push(`${where}: invalid key "${k}"`);
  }

  let path = key.startsWith("/") ? key.slice(1) : key;
  if (path.includes("+*")) problems.push(`${where}: invalid use of wildcards ('+*' is forbidden)`);
  const hasSegmentWildcards = path === "+" || path.includes("/+") || path.startsWith("+/");
  let isPrefix = false;
  if (path.endsWith("*") && !hasSegmentWildcards) {
    path = path.slice(0, -1);
    isPrefix = true;
  }

  let names: unknown[] = [];
  if (raw.capabilities !== undefined) {
    if (Array.isArray(raw.capabilities)) names = [...raw.capabilities];
    else problems.push(`${where}: capabilities must be a list`);
  }
  if (raw.policy !== undefined && raw.policy !== "") {
    const legacy = typeof raw.policy === "string" ? LEGACY_POLICIES[raw.policy] : undefined;
    if (!legacy) problems.push(`${where}: invalid policy ${JSON.stringify(raw.policy)}`);
    else if (raw.policy === "deny") names = ["deny"];
    else names.push(...legacy);
  }

  const permissions: AclPermissions = { capabilities: 0, minWrappingTtl: 0, maxWrappingTtl: 0, requiredParameters: [] };
  for (const name of names) {
    if (name === "deny") {
      // A deny block keeps nothing else, not even its parameter constraints.
      permissions.capabilities = CAPABILITY_BITS.deny;
      return problems.length > before ? undefined : { path, isPrefix, hasSegmentWildcards, permissions };
    }
    if (typeof name !== "string" || !Object.hasOwn(CAPABILITY_BITS, name)) {
      problems.push(`${where}: invalid capability ${JSON.stringify(name)}`);
      continue;
    }
    permissions.capabilities |= CAPABILITY_BITS[name as Capability];
  }

  permissions.allowedParameters = parameterMap(`${where}: allowed_parameters`, raw.allowed_parameters, problems);
  permissions.deniedParameters = parameterMap(`${where}: denied_parameters`, raw.denied_parameters, problems);
  for (const field of ["min_wrapping_ttl", "max_wrapping_ttl"] as const) {
    try {
      const seconds = parseDurationSeconds(raw[field]);
      if (field === "min_wrapping_ttl") permissions.minWrappingTtl = seconds;
      else permissions.maxWrappingTtl = seconds;
    } catch (e) {
      problems.push(`${where}: error parsing ${field}: ${(e as Error).message}`);
    }
  }
  if (permissions.minWrappingTtl !== 0 && permissions.maxWrappingTtl !== 0 && permissions.maxWrappingTtl < permissions.minWrappingTtl) {
    problems.push(`${where}: max_wrapping_ttl cannot be less than min_wrapping_ttl`);
  }
  if (raw.required_parameters !== undefined) {
    const required = raw.required_parameters;
    if (!Array.isArray(required) || required.some((p) => typeof p !== "string")) {
      problems.push(`${where}: required_parameters must be a list of parameter names`);
    } else {
      permissions.requiredParameters = [...(required as string[])];
    }
  }
  return problems.length > before ? undefined : { path, isPrefix, hasSegmentWildcards, permissions };
}

/** Compiles the path blocks of one policy; throws a ConfigError listing every problem of the policy. */
export function compilePolicy(policy: Pick<VaultPolicy, "name" | "file" | "rules">): AclPolicy {
  const problems: string[] = [];
  const rules: AclPathRule[] = [];
  for (const { path, rule } of policy.rules) {
    const compiled = compileRule(policy.file, path, rule, problems);
    if (compiled) rules.push(compiled);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { name: policy.name, rules };
}

/** Parses policy text with the project's policy loader (HCL syntax and shape checks), then compiles it. */
export async function parseAclPolicy(name: string, text: string, file = `${name}.hcl`): Promise<AclPolicy> {
  return compilePolicy(await parsePolicy(name, file, text));
}
