/**
 * Declarative policy tests: `policies/tests/<name>.yaml` states what a token with some policies must and must not
 * be able to do, and the ACL evaluator decides it offline.
 *
 * ```yaml
 * policies: [phoenix-guardian-app]   # optional; default: the policy named like the file
 * allow:
 *   - { path: transit/encrypt/patient-data, capability: update }
 * deny:
 *   - { path: sys/mounts, capability: read }
 * ```
 * `sudo` means the rule chosen for the path has sudo (root-protected endpoints are reachable); every other
 * capability means that operation is allowed on the path with no parameters and no response wrapping, or with the
 * response wrapped for `wrapTtl` (a Vault duration) when the expectation gives one:
 * `{ path: auth/approle/role/app/secret-id, capability: update, wrapTtl: 5m }`.
 */
import { basename, join } from "node:path";
import { listDirectory, readTextFile } from "../config/files";
import { readYamlCached } from "../config/parse-cache";
import { MAX_EXPECTATIONS, MAX_POLICY_TEST_BYTES } from "../config/limits";
import { durationSeconds } from "../config/format-rules";
import { ConfigError } from "../config/load";
import type { PolicySet } from "../config/policies";
import { Acl } from "./acl/acl";
import { type AclPolicy, compilePolicy } from "./acl/policy";

export const TESTED_CAPABILITIES = ["read", "list", "create", "update", "patch", "delete", "sudo"] as const;
export type TestedCapability = (typeof TESTED_CAPABILITIES)[number];

export interface Expectation {
  readonly path: string;
  readonly capability: TestedCapability;
  /** The request asks for a response wrapped for this many seconds (`X-Vault-Wrap-TTL`). */
  readonly wrapTtlSeconds?: number;
}

/** Whether the ACL grants `capability` on `path` (to a request wrapped for `wrapTtlSeconds`, when given). */
export function grants(acl: Acl, path: string, capability: TestedCapability, wrapTtlSeconds?: number): boolean {
  if (capability === "sudo") return acl.allowOperation({ path, operation: "update", wrapTtlSeconds }).rootPrivs;
  return acl.allowOperation({ path, operation: capability, wrapTtlSeconds }).allowed;
}

/** The policies granting `capability` on `path` in the rule Vault chooses (empty when not granted). */
export function grantingPolicies(acl: Acl, path: string, capability: TestedCapability): string[] {
  if (capability === "sudo") return acl.grantingPolicies(path, "update", "sudo");
  return acl.allowOperation({ path, operation: capability }).grantingPolicies.slice();
}

function readExpectations(file: string, key: "allow" | "deny", raw: unknown, problems: string[]): Expectation[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${file}: ${key} must be a list of { path, capability }`);
    return [];
  }
  const out: Expectation[] = [];
  raw.forEach((item: unknown, i) => {
    const at = `${file}: ${key}[${i}]`;
    const o = (item ?? {}) as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== "path" && k !== "capability" && k !== "wrapTtl");
    if (typeof item !== "object" || item === null || Array.isArray(item) || extra.length > 0) {
      problems.push(`${at} must be { path, capability, wrapTtl? }${extra.length > 0 ? ` (unknown key ${extra.map((k) => `"${k}"`).join(", ")})` : ""}`);
      return;
    }
    if (typeof o.path !== "string" || o.path === "") problems.push(`${at}.path must be a non-empty string`);
    if (!(TESTED_CAPABILITIES as readonly unknown[]).includes(o.capability)) {
      problems.push(`${at}.capability must be one of ${TESTED_CAPABILITIES.join(", ")} (got ${JSON.stringify(o.capability)})`);
    }
    let wrapTtlSeconds: number | undefined;
    if (o.wrapTtl !== undefined) {
      if (typeof o.wrapTtl === "string" && /^(\d+[smhd])+$/.test(o.wrapTtl) && durationSeconds(o.wrapTtl) > 0) wrapTtlSeconds = durationSeconds(o.wrapTtl);
      else problems.push(`${at}.wrapTtl must be a Vault duration such as 5m or 24h (got ${JSON.stringify(o.wrapTtl)})`);
    }
    if (typeof o.path === "string" && o.path !== "" && (TESTED_CAPABILITIES as readonly unknown[]).includes(o.capability)) {
      out.push({ path: o.path, capability: o.capability as TestedCapability, wrapTtlSeconds });
    }
  });
  return out;
}

/** Runs one test file; returns its failures (malformed file, unknown policy, or an unmet expectation). */
function runFile(policies: PolicySet, file: string, compiled: Map<string, AclPolicy>): string[] {
  const read = readTextFile(file, { bytes: MAX_POLICY_TEST_BYTES, what: "a policy test file" });
  if (read.problem !== undefined) return [`${file}: ${read.problem}`];
  const { value: doc, problems: yamlProblems } = readYamlCached(read.text);
  if (yamlProblems.length > 0) return yamlProblems.map((p) => `${file}: ${p}`);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [`${file}: must be a map with policies, allow and deny`];
  const o = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o)) {
    if (!["policies", "allow", "deny"].includes(k)) problems.push(`${file}: unknown key "${k}" (expected policies, allow, deny)`);
  }
  const names = o.policies ?? [basename(file).replace(/\.ya?ml$/, "")];
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== "string")) {
    problems.push(`${file}: policies must be a non-empty list of policy names`);
  }
  const listed = [o.allow, o.deny].reduce((n: number, l) => n + (Array.isArray(l) ? l.length : 0), 0);
  if (listed > MAX_EXPECTATIONS) {
    return [`${file}: holds ${listed.toLocaleString("en-US")} expectations (allow and deny); a policy test file may hold at most ${MAX_EXPECTATIONS.toLocaleString("en-US")} (docs/scaling.md): split it by the requests it checks`];
  }
  const allow = readExpectations(file, "allow", o.allow, problems);
  const deny = readExpectations(file, "deny", o.deny, problems);
  if (allow.length + deny.length === 0 && problems.length === 0) problems.push(`${file}: holds no allow or deny expectation`);
  if (problems.length > 0) return problems;

  const acls: AclPolicy[] = [];
  for (const name of names as string[]) {
    const policy = policies.get(name);
    if (!policy) {
      problems.push(`${file}: unknown policy "${name}" (known: ${[...policies.keys()].join(", ")})`);
      continue;
    }
    try {
      if (!compiled.has(name)) compiled.set(name, compilePolicy(policy));
      acls.push(compiled.get(name)!);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) return problems;

  // A templated path in an expectation means the token's own entity, as in the matrix.
  const acl = new Acl(acls, { ownEntity: true });
  const who = (names as string[]).join(" + ");
  const failures: string[] = [];
  for (const [list, expected] of [[allow, true], [deny, false]] as const) {
    for (const { path, capability, wrapTtlSeconds } of list) {
      if (grants(acl, path, capability, wrapTtlSeconds) !== expected) {
        const wrapped = wrapTtlSeconds === undefined ? "" : ` (response wrapped for ${wrapTtlSeconds}s)`;
        failures.push(`${file}: ${who} should ${expected ? "" : "not "}have ${capability} on "${path}"${wrapped} but ${expected ? "does not" : "does"}`);
      }
    }
  }
  return failures;
}

/** Runs every `*.yaml` test in `dir` against the parsed policies; returns all failures (empty when all pass). */
export function runPolicyTests(policies: PolicySet, dir: string): string[] {
  const listing = listDirectory(dir);
  if (listing.problem !== undefined) return [`${dir}: the policy tests directory ${listing.problem}`];
  const files = listing.entries.filter((f) => /\.ya?ml$/.test(f));
  const compiled = new Map<string, AclPolicy>();
  return files.flatMap((f) => runFile(policies, join(dir, f), compiled));
}
