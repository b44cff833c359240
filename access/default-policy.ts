/**
 * Vault's built-in `default` policy as the pinned Vault release creates it (access/vault-default-policy.hcl, the
 * text of hashicorp/vault vault/policy_store.go `defaultPolicy`), parsed and compiled like any other policy.
 * Vault attaches it to every token whose auth role does not set `token_no_default_policy`.
 *
 * Two of its paths are identity-templated (`identity/entity/id/{{identity.entity.id}}`): Vault fills in the
 * requesting token's own entity. A request is decided for a given entity (access/acl/template.ts; without one the
 * path is left out, as Vault does); the matrix, `who` and `diff` ask for the role's own entity, so such a rule
 * answers the template itself, read as "the role's own entity", and never stands for another entity's path.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePolicyText } from "../config/policies";
import { type AclPolicy, compilePolicy } from "./acl/policy";

export const DEFAULT_POLICY_NAME = "default";

/** The Vault release whose `default` policy the data file holds; a test keeps it equal to the pinned image tag. */
export const DEFAULT_POLICY_VAULT_VERSION = "2.0.4";

export const DEFAULT_POLICY_FILE = join(__dirname, "vault-default-policy.hcl");

export interface BuiltinPolicy {
  readonly name: typeof DEFAULT_POLICY_NAME;
  readonly text: string;
  /** Paths as written, in file order. */
  readonly paths: readonly string[];
  readonly compiled: AclPolicy;
}

let builtin: BuiltinPolicy | undefined;

/** The built-in `default` policy, parsed once. */
export function defaultPolicy(): BuiltinPolicy {
  if (!builtin) {
    const text = readFileSync(DEFAULT_POLICY_FILE, "utf8");
    const { rules } = parsePolicyText(DEFAULT_POLICY_FILE, text);
    builtin = {
      name: DEFAULT_POLICY_NAME,
      text,
      paths: [...new Set(rules.map((r) => r.path))],
      compiled: compilePolicy({ name: DEFAULT_POLICY_NAME, file: DEFAULT_POLICY_FILE, rules }),
    };
  }
  return builtin;
}

/** A path holding an identity template (`{{identity.entity.id}}`): Vault substitutes the token's own identity. */
export function isTemplated(path: string): boolean {
  return /\{\{[^{}]+\}\}/.test(path);
}

/** How a templated path is labelled in outputs. */
export const TEMPLATED_NOTE = "templated: the role's own entity only";
