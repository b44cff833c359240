// Runs the TypeScript sources directly: `node --require ./scripts/register-ts.js main.ts`.
// Each .ts file is stripped of its types by @swc/core (the transform jest uses too) as Node loads it; nothing else
// is hooked, so package resolution stays Node's own. Type checking is `npm run typecheck`'s job, once.
//
// The output is cached on disk under node_modules/.cache/vault-platform-ts/, keyed by a hash of the source, the
// swc version and the options, so a run after an edit transpiles only the edited files, and a run with nothing
// edited loads neither @swc/core nor its native binding. A cache that cannot be written (read-only checkout) only
// costs speed. VAULT_PLATFORM_CACHE=0 turns it off.
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { join, resolve } = require("node:path");

const OPTIONS = { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } };
const SWC_VERSION = require("@swc/core/package.json").version;
// VAULT_PLATFORM_CACHE_DIR moves both caches (this one and config/parse-cache.ts) out of node_modules, which
// `npm ci` deletes: CI restores them there with actions/cache after npm ci.
const CACHE_ROOT = process.env.VAULT_PLATFORM_CACHE_DIR ? resolve(process.env.VAULT_PLATFORM_CACHE_DIR) : join(__dirname, "..", "node_modules", ".cache");
const CACHE_DIR = process.env.VAULT_PLATFORM_CACHE === "0" ? undefined : join(CACHE_ROOT, "vault-platform-ts");
const SALT = JSON.stringify([SWC_VERSION, OPTIONS]);

let swc;
function transpile(source, filename) {
  swc ??= require("@swc/core");
  return swc.transformSync(source, { ...OPTIONS, filename }).code;
}

function cached(source, filename) {
  if (!CACHE_DIR) return transpile(source, filename);
  const file = join(CACHE_DIR, `${createHash("sha256").update(SALT).update("\0").update(source).digest("hex")}.js`);
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Not cached yet.
  }
  const code = transpile(source, filename);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Write then rename, so a concurrent run never reads a half-written entry.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  } catch {
    // The cache is an optimisation only.
  }
  return code;
}

Module._extensions[".ts"] = (module, filename) => {
  module._compile(cached(readFileSync(filename, "utf8"), filename), filename);
};
