/**
 * Loads `policies/*.hcl` (the file name is the policy name) and parses Vault ACL policy text the way Vault does
 * (vault/policy.go `ParseACLPolicy`): HCL 1 as Vault's pinned fork of hashicorp/hcl reads it (config/hcl1/), then
 * Vault's key checks and decoding (config/hcl1/vault-decode.ts). A syntax error or a key Vault rejects fails synth
 * with the file before any stack is built. The ACL compiler (access/acl/policy.ts) checks the values.
 */
import { join } from "node:path";
import { listDirectory, readTextFile } from "./files";
import { HclError } from "./hcl1/parser";
import { GoPanic } from "./hcl1/value";
import { decodeVaultPolicy, type DecodedPath, PATH_KEYS } from "./hcl1/vault-decode";
import { ConfigError, type LoadedEnvironment } from "./load";
import { expandPolicyText, expandVariables, policyVariables, usesVariables } from "./policy-variables";
import type { EnvironmentConfig } from "./schema";
import { RESERVED_POLICY_NAMES } from "./vault-reserved";
import { MAX_POLICY_BYTES } from "./limits";

/** One path item of a Vault ACL policy, decoded as Vault's `PathRules` (config/hcl1/vault-decode.ts). */
export type PolicyPathRule = DecodedPath;

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

/** Keys Vault accepts in a path block (vault/policy.go `parsePaths`). */
export const PATH_BLOCK_KEYS: readonly string[] = PATH_KEYS;

const POLICY_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * The text as Vault parses it (`hcl.Parse` with the fork's duplicate check, the key checks, the decoding into
 * `PathRules`): path items in order and the optional `name`; a rejection carries Vault's message.
 */
export function parsePolicyText(where: string, text: string): { rules: VaultPolicy["rules"]; declaredName?: string } {
  let decoded;
  try {
    decoded = decodeVaultPolicy(text);
  } catch (e) {
    if (e instanceof HclError || e instanceof GoPanic) throw new ConfigError([`${where}: failed to parse policy: ${e.message}`]);
    throw e;
  }
  return { rules: decoded.paths.map((rule) => ({ path: rule.path!, rule })), declaredName: decoded.name };
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
    const reserved = RESERVED_POLICY_NAMES.get(name);
    if (reserved !== undefined) {
      problems.push(`${file}: the policy name "${name}" is reserved by Vault: ${reserved}; rename the file (vault/policy_store.go)`);
      continue;
    }
    const read = readTextFile(file, { bytes: MAX_POLICY_BYTES, what: "a policy file" });
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
