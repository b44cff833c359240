/**
 * Who can log in to Vault and with which policies, read back from the SYNTHESIZED stacks (never from config):
 * the auth roles (Kubernetes, AppRole, JWT) with their bindings and TTLs, and the `vault_policy` texts compiled by
 * the ACL evaluator. What cdktf wrote is what Terraform applies, so this is what reviewers must see.
 */
import { listDirectory } from "../config/files";
import { join } from "node:path";
import { parsePolicyText } from "../config/policies";
import { Acl } from "./acl/acl";
import { type AclPolicy, compilePolicy } from "./acl/policy";
import { DEFAULT_POLICY_NAME, DEFAULT_POLICY_VAULT_VERSION, defaultPolicy } from "./default-policy";
import { readSynthesized } from "../synthesized/manifest";
import { asList, literalText, type StackView } from "../synthesized/stack-view";

export type AuthMethod = "kubernetes" | "approle" | "jwt";

/** Terraform resource type of each auth role kind. */
export const ROLE_TYPES: Readonly<Record<AuthMethod, string>> = {
  kubernetes: "vault_kubernetes_auth_backend_role",
  approle: "vault_approle_auth_backend_role",
  jwt: "vault_jwt_auth_backend_role",
};

/** What every access output says about Vault's built-in `default` policy. */
export const DEFAULT_POLICY_NOTE =
  "Roles marked `+ default` also receive Vault's built-in `default` policy (their role does not set " +
  "`token_no_default_policy`; the config option `tokenNoDefaultPolicy` sets it). Its grants are **included**, from " +
  `the text Vault ${DEFAULT_POLICY_VAULT_VERSION} creates (access/vault-default-policy.hcl); a cluster first initialised ` +
  "by an older Vault keeps that release's text, so compare with `vault policy read default`. Its templated paths " +
  "(`{{identity.entity.id}}`, `{{identity.entity.name}}`) stand for the role's own entity only, never for another's.";

/** The TTLs of a role, in seconds; undefined when the role leaves it to the mount default. */
export interface RoleTtls {
  readonly token_ttl?: number;
  readonly token_max_ttl?: number;
  /** AppRole only. */
  readonly secret_id_ttl?: number;
}

export const TTL_FIELDS = ["token_ttl", "token_max_ttl", "secret_id_ttl"] as const;

export interface AuthRole {
  /** `<mount>/<role name>`, e.g. `kubernetes/phoenix-guardian-app`: unique in an environment, stable across synths. */
  readonly key: string;
  readonly method: AuthMethod;
  readonly mount: string;
  readonly name: string;
  /** Stack id and Terraform address it was read from. */
  readonly stack: string;
  readonly address: string;
  /** Who may log in as this role: binding attribute name to its value(s), rendered as text. Never a credential. */
  readonly bindings: Readonly<Record<string, string>>;
  readonly ttls: RoleTtls;
  /** Names of the policies in `token_policies`, sorted. */
  readonly policies: readonly string[];
  /** Vault also attaches its built-in `default` policy (the role does not set `token_no_default_policy`). */
  readonly defaultPolicy: boolean;
  /** JWT/OIDC roles: `role_type` (`jwt` or `oidc`) and the `bound_claims` a login must carry. */
  readonly roleType?: string;
  readonly boundClaims?: Readonly<Record<string, string>>;
}

export interface AccessPolicy {
  readonly name: string;
  /** Terraform address, or `built-in (Vault <version>)` for Vault's `default` policy. */
  readonly address: string;
  /** Vault's built-in policy rather than a synthesized `vault_policy`. */
  readonly builtin: boolean;
  /** Paths as written in the policy, in file order (deduplicated). */
  readonly paths: readonly string[];
  readonly compiled: AclPolicy;
}

export interface AccessModel {
  readonly environment: string;
  /** Sorted by key. */
  readonly roles: readonly AuthRole[];
  /** By policy name, sorted. */
  readonly policies: ReadonlyMap<string, AccessPolicy>;
  /** Paths of the auth mounts, secrets engine mounts and audit devices the stacks create (for the escalation probes). */
  readonly mounts?: { readonly auth: readonly string[]; readonly secrets: readonly string[]; readonly audit: readonly string[] };
}

/** Locale-independent ordering (as `Array.prototype.sort`), so output is identical on every machine. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);


function numberOrUndefined(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** A value that may be a reference to another block's attribute (`${vault_policy.x.name}`), resolved. */
function resolveAttribute(stack: StackView, value: unknown, attribute: string): string {
  const target = stack.resolve(value);
  if (target && typeof target.attributes[attribute] === "string") return target.attributes[attribute];
  return String(value);
}

/** Binding attributes per method; only who may log in, never a credential. */
const BINDINGS: Readonly<Record<AuthMethod, readonly string[]>> = {
  kubernetes: ["bound_service_account_names", "bound_service_account_namespaces", "audience"],
  approle: ["bind_secret_id", "secret_id_num_uses", "token_bound_cidrs", "secret_id_bound_cidrs"],
  jwt: ["bound_audiences", "bound_claims", "user_claim"],
};

function bindingText(value: unknown): string {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value)
      .sort(([a], [b]) => byCodeUnit(a, b))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(", ");
  }
  return asList(value).map(String).join(", ");
}

function claimsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asList(v).map(String).join(", ")]));
}

/** The mount paths a stack creates, by kind. */
function mountsOf(stacks: readonly StackView[]): { auth: string[]; secrets: string[]; audit: string[] } {
  const paths = (types: readonly string[]) =>
    [...new Set(stacks.flatMap((s) => types.flatMap((t) => s.of(t).map((r) => String(r.attributes.path ?? r.attributes.type ?? "").replace(/^\/+|\/+$/g, "")))))]
      .filter((p) => p !== "")
      .sort(byCodeUnit);
  return {
    auth: paths(["vault_auth_backend", "vault_jwt_auth_backend"]),
    secrets: paths(["vault_mount", "vault_kv_secret_backend_v2", "vault_aws_secret_backend"]).filter((p) => !p.includes("${")),
    audit: paths(["vault_audit"]),
  };
}

function rolesOf(stack: StackView): AuthRole[] {
  const roles: AuthRole[] = [];
  for (const method of Object.keys(ROLE_TYPES) as AuthMethod[]) {
    for (const r of stack.of(ROLE_TYPES[method])) {
      const a = r.attributes;
      const mount = resolveAttribute(stack, a.backend ?? method, "path").replace(/^\/+|\/+$/g, "");
      const bindings: Record<string, string> = {};
      for (const b of BINDINGS[method]) if (a[b] !== undefined) bindings[b] = bindingText(a[b]);
      const ttls: Record<string, number | undefined> = {};
      for (const f of TTL_FIELDS) if (numberOrUndefined(a[f]) !== undefined) ttls[f] = numberOrUndefined(a[f]);
      roles.push({
        key: `${mount}/${a.role_name}`,
        method,
        mount,
        name: String(a.role_name),
        stack: stack.id,
        address: r.address,
        bindings,
        ttls,
        policies: [...new Set(asList(a.token_policies).map((p) => resolveAttribute(stack, p, "name")))].sort(),
        defaultPolicy: a.token_no_default_policy !== true,
        ...(method === "jwt" ? { roleType: String(a.role_type ?? "jwt"), boundClaims: claimsOf(a.bound_claims) } : {}),
      });
    }
  }
  return roles;
}

/** A synthesized policy text parsed as Vault parses it (HCL 1, Vault's key checks), compiled by the ACL evaluator. */
function compileSynthesizedPolicy(name: string, where: string, text: string): { compiled: AclPolicy; paths: string[] } {
  const { rules } = parsePolicyText(where, text);
  return { compiled: compilePolicy({ name, file: where, rules }), paths: [...new Set(rules.map((r) => r.path))] };
}

/** The access model of one synthesized environment. */
export function accessModel(env: { readonly environment: string; readonly stacks: readonly StackView[] }): AccessModel {
  const roles = env.stacks.flatMap(rolesOf).sort((a, b) => byCodeUnit(a.key, b.key));
  const policies = new Map<string, AccessPolicy>();
  for (const stack of env.stacks) {
    for (const p of stack.of("vault_policy")) {
      const name = String(p.attributes.name);
      const { compiled, paths } = compileSynthesizedPolicy(name, `${stack.id} ${p.address}`, literalText(p.attributes.policy));
      policies.set(name, { name, address: p.address, builtin: false, paths, compiled });
    }
  }
  // A synthesized `vault_policy` named default would replace the built-in text; otherwise Vault's own applies.
  if (roles.some((r) => r.defaultPolicy) && !policies.has(DEFAULT_POLICY_NAME)) {
    const builtin = defaultPolicy();
    const address = `built-in (Vault ${DEFAULT_POLICY_VAULT_VERSION})`;
    policies.set(DEFAULT_POLICY_NAME, { name: DEFAULT_POLICY_NAME, address, builtin: true, paths: builtin.paths, compiled: builtin.compiled });
  }
  return { environment: env.environment, roles, policies: new Map([...policies].sort(([a], [b]) => byCodeUnit(a, b))), mounts: mountsOf(env.stacks) };
}

/** The policies a role's token carries: its `token_policies`, and `default` unless the role opts out. */
export function tokenPolicies(role: AuthRole): string[] {
  return role.defaultPolicy && !role.policies.includes(DEFAULT_POLICY_NAME) ? [...role.policies, DEFAULT_POLICY_NAME] : [...role.policies];
}

/**
 * The ACL of a role's token, from the policies in the model (a policy not in the model adds nothing), for the
 * role's own entity: a templated path answers for the same template, never for a concrete entity's path.
 */
export function roleAcl(model: AccessModel, role: AuthRole): Acl {
  return new Acl(
    tokenPolicies(role).flatMap((p) => model.policies.get(p)?.compiled ?? []),
    { ownEntity: true },
  );
}

/** Policies a role names that are not in the synthesized output (reported, never silently ignored). */
export function missingPolicies(model: AccessModel, role: AuthRole): string[] {
  return role.policies.filter((p) => !model.policies.has(p));
}

/** Every path named by any policy of the model, sorted. */
export function namedPaths(model: AccessModel): string[] {
  return [...new Set([...model.policies.values()].flatMap((p) => p.paths))].sort();
}

/**
 * Reads `cdktf.out` and builds each environment's access model, sorted by environment. An output whose `stacks/`
 * is empty (what CI makes for the base of a first pull request) yields no environment; a directory that does not
 * exist, or is not a synth output, is an error (a typo must not read as "every role removed").
 */
export async function loadAccessModels(outdir: string): Promise<AccessModel[]> {
  const stacksDir = join(outdir, "stacks");
  if (listDirectory(stacksDir).entries?.length === 0) return [];
  const environments = readSynthesized(outdir);
  return environments.map(accessModel).sort((a, b) => byCodeUnit(a.environment, b.environment));
}
