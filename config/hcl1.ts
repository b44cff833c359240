/**
 * HCL 1, the grammar Vault parses ACL policies with (hashicorp/hcl v1: `hcl.Parse` in vault/policy.go). It comes
 * from js-hcl-parser, which is HashiCorp's Go package compiled to JavaScript with GopherJS: its source map lists
 * github.com/hashicorp/hcl's scanner, parser, JSON parser and decoder, and its Go entry point calls `hcl.Unmarshal`
 * into an interface{} and prints the value as JSON. HCL 2 (@cdktf/hcl2json) stays for Terraform's side: it accepts
 * what HCL 1 rejects (expressions, `for`, function calls) and rejects what Vault accepts (object items without
 * commas on one line). Synchronous, and memoized by text: a policy is parsed once however often it is read.
 */
import { version } from "js-hcl-parser/package.json";
import { readParsed, storeParsed } from "./parse-cache";

/**
 * The compiled parser is 1.5 MB of JavaScript that takes about 0.3 s to load, so it is required only when a text
 * is in neither this process's memo nor the on-disk parse cache (config/parse-cache.ts): a synth with unchanged
 * policies never loads it. Only successful parses are stored on disk.
 */
const HCL1 = `js-hcl-parser@${version}`;
let parser: typeof import("js-hcl-parser") | undefined;
function unmarshal(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on a cache miss only (see above)
  parser ??= require("js-hcl-parser") as typeof import("js-hcl-parser");
  return parser.parse(text);
}

export type Hcl1Parsed = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };

const FAILED = "unable to parse JSON: ";
const cache = new Map<string, Hcl1Parsed>();

export function parseHcl1(text: string): Hcl1Parsed {
  const hit = cache.get(text);
  if (hit) return hit;
  const stored = readParsed(HCL1, text);
  if (stored !== undefined) {
    const parsed: Hcl1Parsed = { ok: true, value: stored as Record<string, unknown> };
    cache.set(text, parsed);
    return parsed;
  }
  let parsed: Hcl1Parsed;
  try {
    const out = unmarshal(text);
    if (out.startsWith(FAILED)) {
      parsed = { ok: false, error: out.slice(FAILED.length) };
    } else {
      const value: unknown = JSON.parse(out);
      parsed =
        value !== null && typeof value === "object" && !Array.isArray(value)
          ? { ok: true, value: value as Record<string, unknown> }
          : { ok: false, error: "does not contain a root object" };
    }
  } catch (e) {
    // A Go panic inside the compiled parser surfaces as a JavaScript error; it is still a rejection of the text.
    parsed = { ok: false, error: String((e as Error).message ?? e) };
  }
  cache.set(text, parsed);
  if (parsed.ok) storeParsed(HCL1, text, parsed.value);
  return parsed;
}

/**
 * hcl.Unmarshal decodes an HCL object into a list of maps (one per occurrence: `a = {..}` twice gives two), the
 * way Go decodes it into a struct field by merging them. Returns undefined for anything that is not an object.
 */
export function mergedObject(value: unknown): Record<string, unknown> | undefined {
  const parts = Array.isArray(value) ? value : [value];
  if (parts.length === 0 || parts.some((p) => p === null || typeof p !== "object" || Array.isArray(p))) return undefined;
  return Object.assign({}, ...(parts as Record<string, unknown>[]));
}
