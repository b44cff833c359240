/**
 * Loads `policies/*.hcl` (the file name is the policy name) and parses Vault ACL policy text the way Vault does
 * (vault/policy.go `ParseACLPolicy`): HCL 1 grammar (config/hcl1.ts), then Vault's key checks, top-level `name`
 * and `path` only, and in a path block only the keys Vault decodes. A syntax error or a key Vault rejects fails
 * synth with the file before any stack is built. The ACL compiler (access/acl/policy.ts) checks the values.
 */
import { join } from "node:path";
import { listDirectory, readTextFile } from "./files";
import { mergedObject, parseHcl1 } from "./hcl1";
import { ConfigError, type LoadedEnvironment } from "./load";
import { expandPolicyText, expandVariables, policyVariables, usesVariables } from "./policy-variables";
import type { EnvironmentConfig } from "./schema";

/** One rule of a Vault ACL policy, as written in the file (objects merged as Vault's decoder merges them). */
export interface PolicyPathRule {
  readonly capabilities?: string[];
  /** Legacy form: `policy = "read"`. */
  readonly policy?: string;
  readonly allowed_parameters?: Record<string, unknown[]>;
  readonly denied_parameters?: Record<string, unknown[]>;
  readonly required_parameters?: string[];
  readonly min_wrapping_ttl?: string | number;
  readonly max_wrapping_ttl?: string | number;
}

export interface VaultPolicy {
  readonly name: string;
  /** Path of the file as given, for messages. */
  readonly file: string;
  /** The policy text exactly as in the file; this is what Vault receives. */
  readonly text: string;
  /** Path rules in file order (a path written twice keeps each block). */
  readonly rules: readonly { readonly path: string; readonly rule: PolicyPathRule }[];
}

export type PolicySet = ReadonlyMap<string, VaultPolicy>;

/** Top-level keys Vault accepts (vault/policy.go `parseACLPolicyWithTemplating`). */
export const TOP_LEVEL_KEYS = ["name", "path"] as const;

/**
 * Keys Vault accepts in a path block (vault/policy.go `parsePaths`): `comment` and the deprecated `policy`
 * included; `mfa_methods` and `control_group` are Enterprise features the open-source server still parses.
 */
export const PATH_BLOCK_KEYS = [
  "comment",
  "policy",
  "capabilities",
  "allowed_parameters",
  "denied_parameters",
  "required_parameters",
  "min_wrapping_ttl",
  "max_wrapping_ttl",
  "mfa_methods",
  "control_group",
  "subscribe_event_types",
] as const;

const POLICY_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * ` on line N` for the first line at or after `from` where `key` is assigned or opens a block, as Vault's
 * messages say it; the parsed value carries no positions, so this finds the key in the text.
 */
function onLine(text: string, key: string, from = 1): string {
  const pattern = new RegExp(`(^|[\\s{,])"?${escapeRegExp(key)}"?\\s*[={"]`);
  const lines = text.split(/\r?\n/);
  for (let i = from - 1; i < lines.length; i++) if (pattern.test(lines[i])) return ` on line ${i + 1}`;
  return "";
}

/** The line of the path block labelled `path`, or 1. */
function lineOfPath(text: string, path: string): number {
  const pattern = new RegExp(`(^|\\s)path\\s+"${escapeRegExp(path)}"`);
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? 1 : index + 1;
}
const OBJECT_KEYS = new Set(["allowed_parameters", "denied_parameters", "control_group"]);

/** The text as Vault parses it: path rules in order and the optional `name`, or every problem at once. */
export function parsePolicyText(where: string, text: string): { rules: VaultPolicy["rules"]; declaredName?: string } {
  const parsed = parseHcl1(text);
  if (!parsed.ok) throw new ConfigError([`${where}: HCL syntax error: ${parsed.error}`]);
  const problems: string[] = [];
  const top = parsed.value;
  for (const key of Object.keys(top)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      problems.push(`${where}: invalid key "${key}"${onLine(text, key)} (a policy holds only path blocks and an optional name)`);
    }
  }
  let declaredName: string | undefined;
  if (top.name !== undefined) {
    if (typeof top.name === "string" || typeof top.name === "number") declaredName = String(top.name);
    else problems.push(`${where}: name must be a string (got ${JSON.stringify(top.name)})`);
  }
  const rules: { path: string; rule: PolicyPathRule }[] = [];
  const blocks = top.path === undefined ? [] : Array.isArray(top.path) ? top.path : [top.path];
  for (const block of blocks) {
    const labelled = mergedObject(block);
    if (!labelled) {
      problems.push(`${where}: path must be a block, path "<path>" { capabilities = [...] } (got ${JSON.stringify(block)})`);
      continue;
    }
    for (const [path, bodies] of Object.entries(labelled)) {
      for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
        const rule = pathRule(`${where}: path "${path}"`, body, problems, (key) => onLine(text, key, lineOfPath(text, path)));
        if (rule) rules.push({ path, rule });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { rules, declaredName };
}

/** One path block with Vault's key check; nested objects merged as Vault's decoder merges them. */
function pathRule(where: string, body: unknown, problems: string[], line: (key: string) => string): PolicyPathRule | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    problems.push(`${where}: must be a block of capabilities (got ${JSON.stringify(body)})`);
    return undefined;
  }
  const rule: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(PATH_BLOCK_KEYS as readonly string[]).includes(key)) {
      problems.push(`${where}: invalid key "${key}"${line(key)} (a path block holds ${PATH_BLOCK_KEYS.join(", ")})`);
      continue;
    }
    if (OBJECT_KEYS.has(key)) {
      const merged = mergedObject(value);
      if (!merged) problems.push(`${where}: ${key} must be an object (got ${JSON.stringify(value)})`);
      else rule[key] = merged;
    } else {
      rule[key] = value;
    }
  }
  return rule as PolicyPathRule;
}

/** Parses one policy document as Vault would store it; throws a ConfigError naming the file. */
export async function parsePolicy(name: string, file: string, text: string): Promise<VaultPolicy> {
  return { name, file, text, rules: parsePolicyText(file, text).rules };
}

/**
 * Reads and parses every `.hcl` file in `dir`, reporting the problems of all files together. Beyond what Vault
 * checks, a file here must hold a path rule, and a `name` in it (Vault ignores it) must be the file's name.
 */
export async function loadPolicies(dir: string): Promise<PolicySet> {
  const listing = listDirectory(dir);
  if (listing.problem !== undefined) throw new ConfigError([`${dir}: the policy directory ${listing.problem}`]);
  const files = listing.entries.filter((f) => f.endsWith(".hcl"));
  const problems: string[] = [];
  const policies = new Map<string, VaultPolicy>();
  for (const f of files) {
    const name = f.slice(0, -".hcl".length);
    const file = join(dir, f);
    if (!POLICY_NAME.test(name)) {
      problems.push(`${file}: file name must be a policy name of lower-case letters, digits, '-' and '_'`);
      continue;
    }
    const read = readTextFile(file);
    if (read.problem !== undefined) {
      problems.push(`${file}: ${read.problem}`);
      continue;
    }
    try {
      const text = read.text;
      const { rules, declaredName } = parsePolicyText(file, text);
      if (rules.length === 0) problems.push(`${file}: holds no path rule`);
      if (declaredName !== undefined && declaredName !== name) {
        problems.push(`${file}: name = "${declaredName}" differs from the file name "${name}" (Vault ignores it; remove it or make them equal)`);
      }
      policies.set(name, { name, file, text, rules });
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return policies;
}

/**
 * The policies as one environment's Vault receives them: `{{config.*}}` variables in path labels expanded from
 * that environment's config (text for Vault, rules for the access checks, expanded the same way). Policies
 * without variables are returned as they are. Throws one ConfigError with every problem.
 */
export function policiesFor(policies: PolicySet, config: Pick<EnvironmentConfig, "vault">): PolicySet {
  const vars = policyVariables(config);
  const problems: string[] = [];
  const out = new Map<string, VaultPolicy>();
  for (const p of policies.values()) {
    if (!usesVariables(p.text)) {
      out.set(p.name, p);
      continue;
    }
    const { text, problems: own } = expandPolicyText(p.text, p.file, vars);
    problems.push(...own);
    if (text === undefined) continue;
    const rules = p.rules.flatMap((r) => expandVariables(r.path, vars).map((path) => ({ path, rule: r.rule })));
    if (rules.length === 0) problems.push(`${p.file}: holds no path rule once its variables are expanded (every list it names is empty)`);
    out.set(p.name, { ...p, text, rules });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

/**
 * Policy files no identity attaches in any environment: dead weight a reviewer still has to read. A policy used
 * in only some environments (an application rolled out to dev first) is fine.
 */
export function unattachedPolicyProblems(configs: readonly Pick<EnvironmentConfig, "applications" | "platform">[], policies: PolicySet): string[] {
  const attached = new Set(configs.flatMap((c) => [...c.applications, ...c.platform].flatMap((i) => i.policies)));
  return [...policies.values()]
    .filter((p) => !attached.has(p.name))
    .map((p) => `${p.file}: is not attached by any identity in applications or platform of any environment (attach it or delete the file)`);
}

/**
 * The policy checks that need every environment: each policy file is attached somewhere, and its variables
 * expand in each environment. Throws one ConfigError with every problem.
 */
export function checkPoliciesAcrossEnvironments(environments: readonly LoadedEnvironment[], policies: PolicySet): void {
  const problems = unattachedPolicyProblems(
    environments.map((e) => e.config),
    policies,
  );
  for (const env of environments) {
    try {
      policiesFor(policies, env.config);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems.map((p) => `${p} (expanding for ${env.file})`));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
