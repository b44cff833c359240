/**
 * Parse results kept on disk, so a synth whose inputs did not change runs no parser and loads none: `yaml` spends
 * about 0.2 s compiling itself on the first documents (config/validated-cache.ts keeps validated configs the same
 * way). Entries live under node_modules/.cache/vault-platform/, keyed by a hash of the parser, its version
 * and the text, so an upgrade or an edit misses. Only JSON values are stored (anything else is parsed each time),
 * errors never are (they are parsed again, with their message). VAULT_PLATFORM_CACHE=0 turns the cache off.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { stringify } from "yaml";
import { version as yamlVersion } from "yaml/package.json";

/** `yaml` and the strict reader, loaded on the first miss: a synth whose inputs all hit never loads them. */
const yaml = () => require("yaml") as typeof import("yaml");
const strict = () => require("./yaml") as typeof import("./yaml");

/** VAULT_PLATFORM_CACHE_DIR moves it (and the transpile cache, scripts/register-ts.js) out of node_modules. */
const DIR = join(process.env.VAULT_PLATFORM_CACHE_DIR ? resolve(process.env.VAULT_PLATFORM_CACHE_DIR) : join(__dirname, "..", "node_modules", ".cache"), "vault-platform");

const enabled = () => process.env.VAULT_PLATFORM_CACHE !== "0";

function entry(kind: string, text: string): string {
  return join(DIR, `${createHash("sha256").update(kind).update("\0").update(text).digest("hex")}.json`);
}

/** True for values that survive JSON.stringify/parse unchanged (but for undefined properties, which both omit). */
function isJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  // An undefined property is left out by JSON and by `yaml` alike.
  return (proto === Object.prototype || proto === null) && Object.values(value).every((v) => v === undefined || isJson(v));
}

/** The stored result for `text`, or undefined. */
export function readParsed(kind: string, text: string): unknown {
  if (!enabled()) return undefined;
  try {
    return JSON.parse(readFileSync(entry(kind, text), "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores a successful parse; a cache that cannot be written (read-only checkout) only costs speed. */
export function storeParsed(kind: string, text: string, value: unknown): void {
  if (!enabled() || !isJson(value)) return;
  try {
    mkdirSync(DIR, { recursive: true });
    const file = entry(kind, text);
    // Write then rename, so a concurrent run (jest workers) never reads a half-written entry.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(value));
    renameSync(partial, file);
  } catch {
    // Only an optimisation.
  }
}

/** The cache kind of documents parsed by `yaml` as they are (generated documents: the Helm values). */
export const YAML = `yaml@${yamlVersion}`;

/** `yaml`'s parse of a document, from the cache when the same text was parsed before. Throws as `parse` does. */
export function parseYaml(text: string): unknown {
  const hit = readParsed(YAML, text);
  if (hit !== undefined) return hit;
  const value = yaml().parse(text);
  storeParsed(YAML, text, value);
  return value;
}

/**
 * The cache kind of documents a person wrote, read by config/yaml.ts (tags checked, duplicate keys refused, aliases
 * and nesting bounded): only a document that passed those checks is stored, so a hit never skips them.
 */
export const STRICT_YAML = `yaml@${yamlVersion} strict`;

/** config/yaml.ts's reading of a document a person wrote, from the cache when the same text was read before. */
export function readYamlCached(text: string): { value: unknown; problems: string[] } {
  const hit = readParsed(STRICT_YAML, text);
  if (hit !== undefined) return { value: hit, problems: [] };
  const read = strict().readYaml(text);
  if (read.problems.length === 0) storeParsed(STRICT_YAML, text, read.value);
  return read;
}

/**
 * `yaml`'s stringify of a JSON value, from the cache when the same value was written with the same options before
 * (the Helm values: `yaml` is slow on its first documents). A value JSON cannot carry is stringified each time.
 */
export function stringifyYaml(value: unknown, options: Extract<Parameters<typeof stringify>[2], object>): string {
  if (!isJson(value)) return yaml().stringify(value, options);
  const kind = `${YAML} stringify ${JSON.stringify(options)}`;
  const key = JSON.stringify(value);
  const hit = readParsed(kind, key);
  if (typeof hit === "string") return hit;
  const text = yaml().stringify(value, options);
  storeParsed(kind, key, text);
  return text;
}
