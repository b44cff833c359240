/**
 * Policy variables: `{{config.<name>}}` in a policy's path label, or in an identity's `ownedPaths` and
 * `managesPaths`, stands for every value of a list the environment's config defines. A path block whose label
 * names a variable is written once per value (and not at all when the list is empty), so grants that follow the
 * config (the CI identities' grants on every mount, a tenant's list of environments) are never hand-copied.
 *
 * Built in, from the `vault` section: `kv_mounts`, `database_mount`, `transit_mount`, `pki_root_mount`,
 * `pki_intermediate_mount`, `aws_mount` (none without `vault.aws`), `kubernetes_auth_mount`, `approle_auth_mount`,
 * `jwt_auth_mount`, `oidc_auth_mount` (none without `vault.auth.oidc`), `restore_drill_canary` (the canary's KV v2 data path). Others come from
 * `vault.policyVariables`. Vault's own templates (`{{identity.entity.id}}`) are left alone.
 */
import type { EnvironmentConfig } from "./schema";

/** `{{config.name}}`, with optional spaces inside the braces. */
const VARIABLE = /\{\{\s*config\.([A-Za-z0-9_]+)\s*\}\}/g;

export const BUILT_IN_VARIABLES = [
  "kv_mounts",
  "database_mount",
  "transit_mount",
  "pki_root_mount",
  "pki_intermediate_mount",
  "aws_mount",
  "kubernetes_auth_mount",
  "approle_auth_mount",
  "jwt_auth_mount",
  "oidc_auth_mount",
  "restore_drill_canary",
] as const;

export type PolicyVariables = ReadonlyMap<string, readonly string[]>;

/** The variables of one environment: the built-in ones from its mounts, then `vault.policyVariables`. */
export function policyVariables(config: Pick<EnvironmentConfig, "vault">): PolicyVariables {
  const v = config.vault;
  const vars = new Map<string, readonly string[]>([
    ["kv_mounts", v.kv.map((m) => m.path)],
    ["database_mount", v.database ? [v.database.path] : []],
    ["transit_mount", v.transit ? [v.transit.path] : []],
    ["pki_root_mount", v.pki ? [v.pki.rootPath] : []],
    ["pki_intermediate_mount", v.pki ? [v.pki.intermediatePath] : []],
    ["aws_mount", v.aws ? [v.aws.path] : []],
    ["kubernetes_auth_mount", [v.auth.kubernetes.path]],
    ["approle_auth_mount", [v.auth.approle.path]],
    ["jwt_auth_mount", [v.auth.jwt.path]],
    ["oidc_auth_mount", v.auth.oidc ? [v.auth.oidc.path] : []],
    ["restore_drill_canary", [`${v.restoreDrill.canary.mount}/data/${v.restoreDrill.canary.path}`]],
  ]);
  for (const [name, values] of Object.entries(v.policyVariables ?? {})) vars.set(name, values);
  return vars;
}

/** Whether a text names any `{{config.*}}` variable. */
export function usesVariables(text: string): boolean {
  return new RegExp(VARIABLE.source).test(text);
}

/** The names of the variables a text uses that `vars` does not define. */
export function unknownVariables(text: string, vars: PolicyVariables): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]).filter((n) => !vars.has(n)))];
}

/** Every expansion of a text: one per combination of the values of the variables it names. */
export function expandVariables(text: string, vars: PolicyVariables): string[] {
  const m = new RegExp(VARIABLE.source).exec(text);
  if (!m) return [text];
  const values = vars.get(m[1]);
  if (values === undefined) throw new Error(`unknown policy variable {{config.${m[1]}}}`);
  return values.flatMap((value) => expandVariables(text.slice(0, m.index) + value + text.slice(m.index + m[0].length), vars));
}

/** A path list (`ownedPaths`, `managesPaths`) with every variable expanded; unknown variables are reported. */
export function expandPathList(paths: readonly string[], vars: PolicyVariables): { paths: string[]; unknown: { index: number; names: string[] }[] } {
  const out: string[] = [];
  const unknown: { index: number; names: string[] }[] = [];
  paths.forEach((p, index) => {
    const names = unknownVariables(p, vars);
    if (names.length > 0) unknown.push({ index, names });
    else out.push(...expandVariables(p, vars));
  });
  return { paths: [...new Set(out)], unknown };
}

/** Where a `path "<label>" {` block starts: the label and the offset just after its opening brace. */
const PATH_BLOCK = /^[ \t]*path[ \t]+"([^"\n]*)"[ \t]*\{/gm;

/**
 * Expands the variables of a policy text: each path block whose label names a variable is replaced by one copy
 * per value. Returns the problems (with line numbers) instead of a text when a variable is unknown, or stands
 * anywhere but in a path label.
 */
export function expandPolicyText(text: string, file: string, vars: PolicyVariables): { text?: string; problems: string[] } {
  if (!usesVariables(text)) return { text, problems: [] };
  const problems: string[] = [];
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const known = [...vars.keys()].join(", ");
  let out = "";
  let done = 0;
  for (const block of text.matchAll(PATH_BLOCK)) {
    const start = block.index;
    const end = blockEnd(text, start + block[0].length);
    if (end < 0) return { problems: [`${file}:${lineOf(start)}: path block "${block[1]}" is not closed`] };
    const label = block[1];
    const body = text.slice(start, end);
    const inBody = body.slice(block[0].length);
    if (usesVariables(withoutComments(inBody))) problems.push(`${file}:${lineOf(start)}: {{config.*}} may appear only in a path label, not inside the block`);
    const unknown = unknownVariables(label, vars);
    if (unknown.length > 0) {
      problems.push(`${file}:${lineOf(start)}: ${unknown.map((n) => `{{config.${n}}}`).join(", ")} is not a policy variable (known: ${known})`);
      continue;
    }
    out += text.slice(done, start);
    out += usesVariables(label)
      ? expandVariables(label, vars)
          .map((l) => `path "${l}" {${inBody}`)
          .join("\n")
      : body;
    done = end;
  }
  out += text.slice(done);
  // What is left after expanding the labels stands outside them (a comment is fine: it grants nothing).
  if (problems.length === 0 && usesVariables(withoutComments(out))) problems.push(`${file}: {{config.*}} may appear only in a path label`);
  return problems.length > 0 ? { problems } : { text: out, problems };
}

const withoutComments = (text: string) => text.replace(/#[^\n]*|\/\/[^\n]*/g, "");

/** The offset just after the `}` that closes a block whose body starts at `from` (strings and comments skipped). */
function blockEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}
