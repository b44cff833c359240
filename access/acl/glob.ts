/**
 * Value matching for `allowed_parameters` / `denied_parameters`, as Vault does it (vault/acl.go
 * `valueInAllowedParameterList`, `valueInDeniedParameterList`, `valueInParameterList`; go-secure-stdlib
 * `strutil.GlobbedStringsMatch` and `parseutil.ParseCommaStringSlice`). Request values are JSON values as Vault's
 * HTTP API decodes them: a number is a json.Number, which matches no value of a policy.
 */

import type { JsonValue } from "../../config/hcl1/value";

/** A JSON value as found in request data and in parameter lists. */
export type { JsonValue };

/**
 * `item` may start and/or end with `*`: suffix, prefix or substring match. An item shorter than two characters
 * (so a lone `*`) is compared literally: in a value list, `*` matches only the string "*".
 */
export function globbedStringsMatch(item: string, val: string): boolean {
  if (item.length < 2) return val === item;
  const leading = item.startsWith("*");
  const trailing = item.endsWith("*");
  if (leading && trailing) return val.includes(item.slice(1, -1));
  if (leading) return val.endsWith(item.slice(1));
  if (trailing) return val.startsWith(item.slice(0, -1));
  return val === item;
}

/** A string read as a comma-separated list, elements trimmed; the empty string is the empty list. */
export function parseCommaStringSlice(value: string): string[] {
  if (value === "") return [];
  return value.split(",").map((s) => s.trim());
}

/**
 * Go's reflect.DeepEqual of a policy value `a` and a request value `b`. Request data reaches Vault over HTTP as
 * JSON decoded with UseNumber, so a number in it is a json.Number: equal to no policy value (an int or float64).
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (typeof b === "number") return false;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

/** Whether `v` matches one element of `list`: strings by glob, null only null, anything else by deep equality. */
export function valueInParameterList(v: JsonValue, list: readonly JsonValue[]): boolean {
  return list.some((el) => {
    if (el === null || v === null) return el === v;
    if (typeof el === "string") return typeof v === "string" && globbedStringsMatch(el, v);
    return deepEqual(el, v);
  });
}

/**
 * Allowed values: an empty list allows any value. Besides a whole-value match, an array passes when every
 * element is allowed, and a string passes when every element of it read as a comma-separated list is allowed
 * (Vault assumes the field may be a comma-string slice).
 */
export function valueInAllowedParameterList(v: JsonValue, list: readonly JsonValue[]): boolean {
  if (list.length === 0) return true;
  if (valueInParameterList(v, list)) return true;
  if (Array.isArray(v)) return v.every((x) => valueInParameterList(x, list));
  if (typeof v === "string") return parseCommaStringSlice(v).every((x) => valueInParameterList(x, list));
  return false;
}

/** Denied values: an empty list denies any value; an array or comma-string is denied if any element is. */
export function valueInDeniedParameterList(v: JsonValue, list: readonly JsonValue[]): boolean {
  if (list.length === 0) return true;
  if (valueInParameterList(v, list)) return true;
  if (Array.isArray(v)) return v.some((x) => valueInParameterList(x, list));
  if (typeof v === "string") return parseCommaStringSlice(v).some((x) => valueInParameterList(x, list));
  return false;
}
