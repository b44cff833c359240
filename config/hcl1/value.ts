/**
 * Values of HCL 1 tokens and nodes as hashicorp/hcl's decoder produces them (hcl/token/token.go `Value`,
 * hcl/strconv/quote.go `Unquote`, decoder.go `decodeInterface`, `decodeString`, `decodeInt`), written for this
 * project after v1.0.1-vault-7. Go values keep their Go type, since Vault's checks depend on it: an `int` (64-bit,
 * kept as bigint), a `float64`, a string, a bool, a `[]interface{}`, a `map[string]interface{}` or a
 * `[]map[string]interface{}` (what an object decodes to where its parent is not a slice).
 */
import type { LiteralType, Node, ObjectItem, ObjectList } from "./parser";
import { HclError, nodePos } from "./parser";
import { posString, type Token } from "./scanner";
import { GoPanic } from "./token";

export type GoValue =
  | { readonly t: "int"; readonly v: bigint }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "string"; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "slice"; readonly v: GoValue[] }
  | { readonly t: "map"; readonly v: Map<string, GoValue> }
  | { readonly t: "maps"; readonly v: Map<string, GoValue>[] };

/** A JSON value: what a decoded HCL value reads as outside the decoder (jsonOf). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A decoded HCL value as the ACL compares it (Go ints beyond 2^53 lose precision; no request number equals one). */
export function jsonOf(value: GoValue): JsonValue {
  switch (value.t) {
    case "int":
      return Number(value.v);
    case "slice":
      return value.v.map(jsonOf);
    case "maps":
      return value.v.map((m) => objectOf(m));
    case "map":
      return objectOf(value.v);
    default:
      return value.v;
  }
}

function objectOf(map: Map<string, GoValue>): JsonValue {
  // A null-prototype object keeps `__proto__` as an ordinary key.
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, v] of map) out[k] = jsonOf(v);
  return out;
}

const SYNTAX = "invalid syntax";
const INT64_MAX = (1n << 63n) - 1n;

export { GoPanic } from "./token";

/** hcl/strconv `Unquote` (HCL strings) or Go's strconv.Unquote (JSON strings); bytes decoded as UTF-8 at the end. */
export function unquote(text: string, json: boolean): string {
  const src = Buffer.from(text, "utf8");
  const n = src.length;
  if (n < 2 || src[0] !== 0x22 || src[n - 1] !== 0x22) throw new Error(SYNTAX);
  let s = src.subarray(1, n - 1);
  const has = (c: number) => s.includes(c);
  if (json ? has(0x0a) : !has(0x24) && !has(0x7b) && has(0x0a)) throw new Error(SYNTAX);
  if (!has(0x5c) && !has(0x22) && (json || !has(0x24))) return s.toString("utf8");
  const out: number[] = [];
  const pushRune = (r: number) => out.push(...Buffer.from(String.fromCodePoint(r >= 0xd800 && r <= 0xdfff ? 0xfffd : r), "utf8"));
  while (s.length > 0) {
    if (!json && s[0] === 0x24 && s.length > 1 && s[1] === 0x7b) {
      out.push(0x24, 0x7b);
      s = s.subarray(2);
      let braces = 1;
      const rest = s.toString("utf8");
      let used = 0;
      for (const ch of rest) {
        if (braces <= 0) break;
        if (ch === "\ufffd") throw new Error(SYNTAX);
        out.push(...Buffer.from(ch, "utf8"));
        used += Buffer.byteLength(ch, "utf8");
        if (ch === "{") braces++;
        else if (ch === "}") braces--;
      }
      s = s.subarray(used);
      if (braces !== 0) throw new Error(SYNTAX);
      continue;
    }
    if (s[0] === 0x0a) throw new Error(SYNTAX);
    const c = s[0];
    if (c === 0x22) throw new Error(SYNTAX);
    if (c >= 0x80) {
      const ch = String.fromCodePoint(s.toString("utf8").codePointAt(0)!);
      const size = ch === "\ufffd" && !(s[0] === 0xef && s[1] === 0xbf && s[2] === 0xbd) ? 1 : Buffer.byteLength(ch, "utf8");
      out.push(...s.subarray(0, size));
      s = s.subarray(size);
      continue;
    }
    if (c !== 0x5c) {
      out.push(c);
      s = s.subarray(1);
      continue;
    }
    if (s.length <= 1) throw new Error(SYNTAX);
    const e = String.fromCharCode(s[1]);
    s = s.subarray(2);
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 0x5c, '"': 0x22 };
    if (e in simple) {
      out.push(simple[e]);
    } else if (e === "x" || e === "u" || e === "U") {
      const digits = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.subarray(0, digits).toString("latin1");
      if (hex.length < digits || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error(SYNTAX);
      const v = parseInt(hex, 16);
      s = s.subarray(digits);
      if (e === "x") out.push(v);
      else if (v > 0x10ffff || (json && v >= 0xd800 && v <= 0xdfff)) throw new Error(SYNTAX);
      else pushRune(v);
    } else if (e >= "0" && e <= "7") {
      const oct = e + s.subarray(0, 2).toString("latin1");
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(SYNTAX);
      const v = parseInt(oct, 8);
      if (v > 255) throw new Error(SYNTAX);
      out.push(v);
      s = s.subarray(2);
    } else {
      throw new Error(SYNTAX);
    }
  }
  return Buffer.from(out).toString("utf8");
}

/** hcl/token `unindentHeredoc`, byte for byte (its slicing assumes the closing line is the bare anchor). */
function unindentHeredoc(text: string): string {
  const h = Buffer.from(text, "utf8");
  const idx = h.indexOf(0x0a);
  if (idx === -1) throw new GoPanic("heredoc doesn't contain newline");
  const slice = (lo: number, hi: number) => {
    if (lo > hi || hi > h.length || lo < 0) throw new GoPanic(`runtime error: slice bounds out of range [${lo}:${hi}]`);
    return h.subarray(lo, hi).toString("utf8");
  };
  if (h[2] !== 0x2d) return slice(idx + 1, h.length - idx + 1);
  const lines = slice(idx + 1, h.length - idx + 2).split("\n");
  const prefix = lines[lines.length - 1];
  if (!lines.every((l) => l.startsWith(prefix))) return slice(idx + 1, h.length - idx + 1).replace(/[ \t]+$/, "");
  return lines.map((l, k) => (k === lines.length - 1 ? "" : l.slice(prefix.length))).join("\n");
}

/** `Token.Value()` for a string-like token (IDENT, STRING, HEREDOC); a Go panic where Go panics. */
export function tokenString(t: Token): string {
  if (t.type === "IDENT") return t.text;
  if (t.type === "HEREDOC") return unindentHeredoc(t.text);
  if (t.type === "STRING") {
    if (t.text === "") return "";
    try {
      return unquote(t.text, t.json === true);
    } catch (e) {
      throw new GoPanic(`unquote ${t.text} err: ${(e as Error).message}`);
    }
  }
  throw new GoPanic(`unimplemented Value for type: ${t.type}`);
}

/** Go's strconv.ParseInt(s, 0, 64) on the forms the scanner produces (decimal, 0x hex, 0-prefixed octal). */
export function parseGoInt(s: string): bigint {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m || /__|_$|^[+-]?_/.test(s)) throw new HclError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const body = m[2].replace(/_/g, "");
  const magnitude = /^0[xX]/.test(body) ? BigInt(body) : body.length > 1 && body.startsWith("0") ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  const v = m[1] === "-" ? -magnitude : magnitude;
  if (v > INT64_MAX || v < -INT64_MAX - 1n) throw new HclError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

/** Go's strconv.ParseFloat(s, 64) on the scanner's FLOAT and NUMBER forms. */
export function parseGoFloat(s: string): number {
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
  if (Number.isNaN(v)) throw new HclError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
  if (!Number.isFinite(v)) throw new HclError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

const nodeType = (n: Node | ObjectItem) =>
  "kind" in n ? { list: "*ast.ObjectList", object: "*ast.ObjectType", array: "*ast.ListType", literal: "*ast.LiteralType" }[n.kind] : "*ast.ObjectItem";

export function decodeError(node: Node | ObjectItem, msg: string): HclError {
  const pos = "kind" in node ? nodePos(node) : node.keys[0]?.token.pos;
  return new HclError(`At ${posString(pos)}: ${msg}`);
}

/** decoder.go `decodeString`: a NUMBER keeps its text, a STRING or HEREDOC its value; anything else fails. */
export function decodeString(name: string, node: Node | ObjectItem): string {
  if ("kind" in node && node.kind === "literal") {
    if (node.token.type === "NUMBER") return node.token.text;
    if (node.token.type === "STRING" || node.token.type === "HEREDOC") return tokenString(node.token);
  }
  throw decodeError(node, `${name}: unknown type for string ${nodeType(node)}`);
}

/** decoder.go `decodeInt` into an int: a NUMBER, or a STRING holding an integer (base prefixes allowed). */
export function decodeInt(name: string, node: Node | ObjectItem): bigint {
  if ("kind" in node && node.kind === "literal") {
    if (node.token.type === "NUMBER") return parseGoInt(node.token.text);
    if (node.token.type === "STRING") return parseGoInt(tokenString(node.token));
  }
  throw decodeError(node, `${name}: unknown type ${nodeType(node)}`);
}

/** The items of a struct field's node as decodeStruct hands them on: an object's items, or the node itself. */
export function asList(node: Node): Node {
  return node.kind === "object" ? ({ kind: "list", items: node.list.items } as ObjectList) : node;
}

/**
 * decoder.go `decodeInterface` followed by its re-decode: `into` is what the interface already holds (a field
 * decoded twice decodes into its first value), `inSlice` whether the parent being decoded is a slice (then an
 * object is one map, otherwise a list of maps).
 */
export function decodeInterface(name: string, node: Node | ObjectItem, into: GoValue | undefined, inSlice: boolean): GoValue {
  if (into) return redecode(name, node, into);
  const test = "kind" in node && node.kind === "object" ? node.list : node;
  if (!("kind" in test)) throw new HclError(`${name}: cannot decode into interface: *ast.ObjectItem`);
  switch (test.kind) {
    case "list":
      return redecode(name, node, inSlice ? { t: "map", v: new Map() } : { t: "maps", v: [] });
    case "array":
      return redecode(name, node, { t: "slice", v: [] });
    case "literal": {
      const lit = test as LiteralType;
      switch (lit.token.type) {
        case "BOOL":
          return { t: "bool", v: lit.token.text === "true" };
        case "FLOAT":
          return { t: "float", v: parseGoFloat(lit.token.text) };
        case "NUMBER":
          return { t: "int", v: parseGoInt(lit.token.text) };
        case "STRING":
        case "HEREDOC":
          return { t: "string", v: tokenString(lit.token) };
        default:
          throw decodeError(node, `${name}: cannot decode into interface: *ast.LiteralType`);
      }
    }
    default:
      throw new HclError(`${name}: cannot decode into interface: ${nodeType(test)}`);
  }
}

/** Decoding into a value an interface already holds: the decoder goes by that value's kind. */
function redecode(name: string, node: Node | ObjectItem, into: GoValue): GoValue {
  const lit = "kind" in node && node.kind === "literal" ? node.token : undefined;
  switch (into.t) {
    case "bool":
      if (lit?.type === "BOOL") return { t: "bool", v: lit.text === "true" };
      throw decodeError(node, `${name}: unknown type ${nodeType(node)}`);
    case "float":
      if (lit?.type === "FLOAT" || lit?.type === "NUMBER") return { t: "float", v: parseGoFloat(lit.text) };
      throw decodeError(node, `${name}: unknown type ${nodeType(node)}`);
    case "int":
      return { t: "int", v: decodeInt(name, node) };
    case "string":
      return { t: "string", v: decodeString(name, node) };
    case "slice":
    case "maps":
      return decodeSlice(name, node, into);
    case "map":
      return { t: "map", v: decodeMap(name, node, into.v, (n, item, old) => decodeInterface(n, item, old, false)) };
  }
}

/** decoder.go `decodeSlice` into a `[]interface{}` or `[]map[string]interface{}`: elements are appended. */
function decodeSlice(name: string, node: Node | ObjectItem, into: GoValue & { t: "slice" | "maps" }): GoValue {
  let items: (Node | ObjectItem)[];
  if (!("kind" in node)) throw decodeError(node, `unknown slice type: *ast.ObjectItem`);
  if (node.kind === "list") items = node.items;
  else if (node.kind === "object") items = [node];
  else if (node.kind === "array") items = node.list;
  else throw decodeError(node, `unknown slice type: ${nodeType(node)}`);
  if (into.t === "maps") {
    const maps = [...into.v];
    items.forEach((item, i) => maps.push(decodeMap(`${name}[${i}]`, item, new Map(), (n, it, old) => decodeInterface(n, it, old, false))));
    return { t: "maps", v: maps };
  }
  return { t: "slice", v: [...into.v, ...items.map((item, i) => decodeInterface(`${name}[${i}]`, item, undefined, true))] };
}

/**
 * decoder.go `decodeMap` into a map with string keys: a key written twice decodes into its first value (lists are
 * appended to), a multi-key item decodes the items filtered by its first key.
 */
export function decodeMap<T>(name: string, node: Node | ObjectItem, map: Map<string, T>, decodeValue: (name: string, node: Node | ObjectItem, old: T | undefined) => T): Map<string, T> {
  let list: ObjectList;
  if (!("kind" in node)) list = { kind: "list", items: [node] };
  else if (node.kind === "object") list = node.list;
  else if (node.kind === "list") list = node;
  else throw decodeError(node, `${name}: not an object type for map (${nodeType(node)})`);
  const done = new Set<string>();
  for (const item of list.items) {
    if (item.keys.length === 0) throw decodeError(node, `${name}: map must have string keys`);
    const key = tokenString(item.keys[0].token);
    if (done.has(key)) continue;
    let val: Node | ObjectItem = item.val;
    if (item.keys.length > 1) {
      val = filter(list, key);
      done.add(key);
    }
    map.set(key, decodeValue(`${name}.${key}`, val, map.get(key)));
  }
  return map;
}

/** ast `ObjectList.Filter(key)`: items whose first key equals `key` case-insensitively, that key removed. */
export function filter(list: ObjectList, key: string): ObjectList {
  const items: ObjectItem[] = [];
  for (const item of list.items) {
    if (item.keys.length < 1) continue;
    const k = tokenString(item.keys[0].token);
    if (k !== key && k.toLowerCase() !== key.toLowerCase()) continue;
    items.push({ ...item, keys: item.keys.slice(1) });
  }
  return { kind: "list", items };
}
