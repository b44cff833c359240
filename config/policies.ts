/**
 * Loads `policies/*.hcl`: the file name is the policy name. Each file is parsed with HashiCorp's own HCL parser
 * (`@cdktf/hcl2json`), so a syntax error fails synth with the file and line before any stack is built.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { rememberHcl } from "./hcl";
import { ConfigError } from "./load";

/** One rule of a Vault ACL policy, as written in the file. */
export interface PolicyPathRule {
  readonly capabilities?: string[];
  /** Legacy form: `policy = "read"`. */
  readonly policy?: string;
  readonly allowed_parameters?: Record<string, unknown[]>;
  readonly denied_parameters?: Record<string, unknown[]>;
  readonly required_parameters?: string[];
  readonly min_wrapping_ttl?: string;
  readonly max_wrapping_ttl?: string;
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

const POLICY_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Parses one policy document; throws with the file and line on a syntax error. */
export async function parsePolicy(name: string, file: string, text: string): Promise<VaultPolicy> {
  let json: Record<string, unknown>;
  try {
    json = (await parse(file, text)) as Record<string, unknown>;
  } catch (e) {
    const detail = String((e as Error).message ?? e).replace(/^parse config: \[?/, "").replace(/\]$/, "");
    throw new ConfigError([`${file}: HCL syntax error: ${detail}`]);
  }
  const problems: string[] = [];
  for (const key of Object.keys(json)) {
    if (key !== "path") problems.push(`${file}: unexpected top-level block or attribute "${key}" (a policy holds only path blocks)`);
  }
  const rules: { path: string; rule: PolicyPathRule }[] = [];
  const paths = (json.path ?? {}) as Record<string, PolicyPathRule[]>;
  for (const [path, blocks] of Object.entries(paths)) {
    for (const rule of blocks) {
      if (rule.capabilities === undefined && rule.policy === undefined) {
        problems.push(`${file}: path "${path}" has neither capabilities nor policy`);
      }
      rules.push({ path, rule });
    }
  }
  if (rules.length === 0) problems.push(`${file}: holds no path rule`);
  if (problems.length > 0) throw new ConfigError(problems);
  // The vault_policy resources carry this exact text; the compliance rules read it parsed.
  rememberHcl(text, json);
  return { name, file, text, rules };
}

/** Reads and parses every `.hcl` file in `dir`, reporting the problems of all files together. */
export async function loadPolicies(dir: string): Promise<PolicySet> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".hcl")).sort();
  const problems: string[] = [];
  const policies = new Map<string, VaultPolicy>();
  await Promise.all(
    files.map(async (f) => {
      const name = f.slice(0, -".hcl".length);
      const file = join(dir, f);
      if (!POLICY_NAME.test(name)) {
        problems.push(`${file}: file name must be a policy name of lower-case letters, digits, '-' and '_'`);
        return;
      }
      try {
        policies.set(name, await parsePolicy(name, file, readFileSync(file, "utf8")));
      } catch (e) {
        if (e instanceof ConfigError) problems.push(...e.problems);
        else throw e;
      }
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems.sort());
  return new Map([...policies.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
