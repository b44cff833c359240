/**
 * What vault/policy.go `parseACLPolicyWithTemplating` and `parsePaths` do between `hcl.Parse` and the value
 * checks, written for this project after hashicorp/vault vault/policy.go (the version with
 * `subscribe_event_types`), sdk/helper/hclutil/hcl.go `CheckHCLKeys` and sdk/helper/identitytpl/templating.go
 * `PopulateString`: the root must be an object list, top-level keys are `name` and `path` (exact case), `name`
 * decodes as a string, each `path` item takes its first label (`path` itself when it has none) and must be an
 * object of the known keys; each field decodes with hcl's decoder (decoder.go, v1.0.1-vault-7): a key matched
 * case-insensitively, every occurrence decoded into the same field (lists appended, maps merged, a pointer
 * reused: the fork's `decodePtr`), labelled blocks decoded before plain ones.
 */
import { HclError, type Node, type ObjectItem, type ObjectList, parseHclText } from "./parser";
import { parseJsonText } from "./json";
import { asList, decodeError, decodeInt, decodeInterface, decodeMap, decodeString, filter, type GoValue, tokenString } from "./value";

export interface ControlGroupFactorHcl {
  name?: string;
  identity?: { groupIds?: string[]; groupNames?: string[]; approvals?: bigint };
  controlledCapabilities?: string[];
}

/** One `path` item as decoded into Vault's `PathRules` (fields absent when the policy does not set them). */
export interface DecodedPath {
  /** The label as written (the first one), before Vault strips `/` and `*`. */
  readonly path?: string;
  policy?: string;
  capabilities?: string[];
  minWrappingTtl?: GoValue;
  maxWrappingTtl?: GoValue;
  allowedParameters?: Map<string, GoValue[]>;
  deniedParameters?: Map<string, GoValue[]>;
  requiredParameters?: string[];
  mfaMethods?: string[];
  controlGroup?: { ttl?: GoValue; factors?: Map<string, ControlGroupFactorHcl> };
  subscribeEventTypes?: string[];
}

export interface DecodedPolicy {
  readonly name?: string;
  readonly paths: DecodedPath[];
  /** Some path label holds `{{ }}` identity templating. */
  readonly templated: boolean;
}

const TOP_LEVEL_KEYS = ["name", "path"];
export const PATH_KEYS = [
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
];

/**
 * The deepest nesting of `{` and `[` a policy may have. Vault's Go parser recurses without a bound (Go stacks grow
 * to 1 GB); this one would overflow JavaScript's stack long before, so depth is bounded here, far above what a
 * policy needs (a path block with allowed_parameters lists is 4 levels deep).
 */
export const MAX_POLICY_NESTING = 64;

/**
 * Where `{`/`[` nesting first goes deeper than `max`, outside strings and comments, as "line N", or undefined.
 * A plain character scan (no recursion), run before the parsers so a 100,000-deep list is refused at once.
 */
export function nestingTooDeep(text: string, max = MAX_POLICY_NESTING): string | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n"; i++) if (text[i] === "\\") i++;
      if (text[i] === "\n") line++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 1;
      for (; i < stop; i++) if (text[i] === "\n") line++;
    } else if (c === "{" || c === "[") {
      if (++depth > max) return `line ${line}`;
    } else if (c === "}" || c === "]") depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** hcl.Parse: the JSON form when the first non-space character is `{` (lex.go `lexMode`). */
export function parseHcl1Ast(text: string): ObjectList {
  const deep = nestingTooDeep(text);
  if (deep !== undefined) throw new HclError(`nesting deeper than ${MAX_POLICY_NESTING} levels of { and [ at ${deep} (the most a policy here may have)`);
  return /^[\s\u0085\u00a0]*\{/u.test(text) ? parseJsonText(text) : parseHclText(text);
}

/** hclutil.CheckHCLKeys: every item's first key must be one of `valid` (exact case). */
function checkKeys(node: Node, valid: readonly string[]): void {
  let list: ObjectList;
  if (node.kind === "list") list = node;
  else if (node.kind === "object") list = node.list;
  else throw new HclError(`cannot check HCL keys of type ${node.kind === "array" ? "*ast.ListType" : "*ast.LiteralType"}`);
  const problems: string[] = [];
  for (const item of list.items) {
    const key = tokenString(item.keys[0].token);
    if (!valid.includes(key)) problems.push(`invalid key ${JSON.stringify(key)} on line ${item.assign?.line ?? 0}`);
  }
  if (problems.length > 0) throw new HclError(problems.join("; "));
}

/**
 * decodeStruct for one field: the labelled occurrences (`key "label" {...}`) as one list, then each plain
 * occurrence (an object's items as a list), in file order, all into the same value.
 */
function eachOccurrence(list: ObjectList, key: string, decode: (node: Node) => void): void {
  const filtered = filter(list, key);
  const labelled = filtered.items.filter((i) => i.keys.length > 0);
  if (labelled.length > 0) decode({ kind: "list", items: labelled });
  for (const item of filtered.items) if (item.keys.length === 0) decode(asList(item.val));
}

/** decodeSlice into a `[]string`. */
function stringSlice(name: string, node: Node, into: string[] | undefined): string[] {
  const items: (Node | ObjectItem)[] = node.kind === "list" ? node.items : node.kind === "object" ? [node] : node.kind === "array" ? node.list : [];
  if (node.kind === "literal") throw decodeError(node, `unknown slice type: *ast.LiteralType`);
  return [...(into ?? []), ...items.map((item, i) => decodeString(`${name}[${i}]`, item))];
}

/** decodeMap into a `map[string][]interface{}` (allowed_parameters, denied_parameters). */
function parameterMap(name: string, node: Node, into: Map<string, GoValue[]> | undefined): Map<string, GoValue[]> {
  return decodeMap(name, node, into ?? new Map<string, GoValue[]>(), (n, item, old) => {
    const value = decodeInterface(n, item, { t: "slice", v: old ?? [] }, false);
    return (value as { v: GoValue[] }).v;
  });
}

/** decodeStruct into `ControlGroupHCL` / `ControlGroupFactor` / `IdentityFactor`. */
function asStructList(name: string, node: Node | ObjectItem): ObjectList {
  if (!("kind" in node)) return node.val.kind === "literal" ? { kind: "list", items: [node] } : (asList(node.val) as ObjectList);
  const n = asList(node);
  if (n.kind !== "list") throw decodeError(n, `${name}: not an object type for struct (${n.kind === "array" ? "*ast.ListType" : "*ast.LiteralType"})`);
  return n;
}

function decodeFactor(name: string, node: Node | ObjectItem, into: ControlGroupFactorHcl | undefined): ControlGroupFactorHcl {
  const f = into ?? {};
  const list = asStructList(name, node);
  eachOccurrence(list, "Name", (n) => (f.name = decodeString(`${name}.Name`, n)));
  eachOccurrence(list, "identity", (n) => {
    const id = (f.identity ??= {});
    const l = asStructList(`${name}.identity`, n);
    eachOccurrence(l, "group_ids", (m) => (id.groupIds = stringSlice(`${name}.identity.group_ids`, m, id.groupIds)));
    eachOccurrence(l, "group_names", (m) => (id.groupNames = stringSlice(`${name}.identity.group_names`, m, id.groupNames)));
    eachOccurrence(l, "approvals", (m) => (id.approvals = decodeInt(`${name}.identity.approvals`, m)));
  });
  eachOccurrence(list, "controlled_capabilities", (n) => (f.controlledCapabilities = stringSlice(`${name}.controlled_capabilities`, n, f.controlledCapabilities)));
  return f;
}

function decodePath(key: string, body: Node): DecodedPath {
  const name = "root";
  const list = asList(body) as ObjectList;
  const pc: DecodedPath = { path: key };
  eachOccurrence(list, "Policy", (n) => (pc.policy = decodeString(`${name}.Policy`, n)));
  eachOccurrence(list, "Capabilities", (n) => (pc.capabilities = stringSlice(`${name}.Capabilities`, n, pc.capabilities)));
  eachOccurrence(list, "min_wrapping_ttl", (n) => (pc.minWrappingTtl = decodeInterface(`${name}.min_wrapping_ttl`, n, pc.minWrappingTtl, false)));
  eachOccurrence(list, "max_wrapping_ttl", (n) => (pc.maxWrappingTtl = decodeInterface(`${name}.max_wrapping_ttl`, n, pc.maxWrappingTtl, false)));
  eachOccurrence(list, "allowed_parameters", (n) => (pc.allowedParameters = parameterMap(`${name}.allowed_parameters`, n, pc.allowedParameters)));
  eachOccurrence(list, "denied_parameters", (n) => (pc.deniedParameters = parameterMap(`${name}.denied_parameters`, n, pc.deniedParameters)));
  eachOccurrence(list, "required_parameters", (n) => (pc.requiredParameters = stringSlice(`${name}.required_parameters`, n, pc.requiredParameters)));
  eachOccurrence(list, "mfa_methods", (n) => (pc.mfaMethods = stringSlice(`${name}.mfa_methods`, n, pc.mfaMethods)));
  eachOccurrence(list, "control_group", (n) => {
    const cg = (pc.controlGroup ??= {});
    const l = asStructList(`${name}.control_group`, n);
    eachOccurrence(l, "ttl", (m) => (cg.ttl = decodeInterface(`${name}.control_group.ttl`, m, cg.ttl, false)));
    eachOccurrence(l, "factor", (m) => (cg.factors = decodeMap(`${name}.control_group.factor`, m, cg.factors ?? new Map(), (fn, item, old) => decodeFactor(fn, item, old))));
  });
  eachOccurrence(list, "subscribe_event_types", (n) => (pc.subscribeEventTypes = stringSlice(`${name}.subscribe_event_types`, n, pc.subscribeEventTypes)));
  return pc;
}

/** identitytpl.PopulateString with ValidityCheckOnly: whether `s` holds templating; throws on unbalanced `{{ }}`. */
export function hasTemplating(s: string): boolean {
  const pieces = s.split("{{");
  if (pieces[0].includes("}}")) throw new HclError("failed to validate policy templating: unbalanced templating characters");
  for (const piece of pieces.slice(1)) {
    if (piece.split("}}").length !== 2) throw new HclError("failed to validate policy templating: unbalanced templating characters");
  }
  return pieces.length > 1;
}

/** The policy text decoded as Vault decodes it; throws an HclError (or GoPanic) with Vault's message. */
export function decodeVaultPolicy(text: string): DecodedPolicy {
  const root = parseHcl1Ast(text);
  checkKeys(root, TOP_LEVEL_KEYS);
  let name: string | undefined;
  eachOccurrence(root, "name", (n) => (name = decodeString("root.name", n)));
  const paths: DecodedPath[] = [];
  let templated = false;
  for (const item of filter(root, "path").items) {
    const key = item.keys.length > 0 ? tokenString(item.keys[0].token) : "path";
    if (hasTemplating(key)) templated = true;
    try {
      checkKeys(item.val, PATH_KEYS);
      paths.push(decodePath(key, item.val));
    } catch (e) {
      if (e instanceof HclError) throw new HclError(`path ${JSON.stringify(key)}: ${e.message}`);
      throw e;
    }
  }
  return { name, paths, templated };
}
