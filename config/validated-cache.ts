/**
 * Configs that validated before, kept beside the parse cache (config/parse-cache.ts): a synth whose config text and
 * validation code did not change takes the validated config from there, and so loads neither zod nor the schema
 * (about a fifth of a warm synth: zod's modules and walking the schema over both configs).
 *
 * The key is the text and a fingerprint of everything that decides the result: every TypeScript source under
 * config/ (the schema, its formats and the identity-path expansion; the schema imports nothing outside config/) and
 * the installed zod's version. An edit of any of them misses. Only a config that validated without a problem is
 * stored, and only when it survives JSON unchanged, so a hit never skips a check that would have failed; the checks
 * against other files (policies, rule ids, the stacks' preflight) run on every synth.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readParsed, storeParsed } from "./parse-cache";
import type { EnvironmentConfig } from "./schema";

/** Hash of the validation code in `dir` (config/) and zod's version. */
export function validationFingerprint(dir: string = __dirname): string {
  const hash = createHash("sha256");
  const sources = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort();
  for (const f of sources) hash.update(f).update("\0").update(readFileSync(join(dir, f))).update("\0");
  hash.update(JSON.parse(readFileSync(require.resolve("zod/package.json"), "utf8")).version);
  return hash.digest("hex");
}

let fingerprint: string | undefined;
const kind = () => `validated config ${(fingerprint ??= validationFingerprint())}`;

/** The config `text` validated to before, if it did without problems under the same validation code. */
export function readValidated(text: string): EnvironmentConfig | undefined {
  const hit = readParsed(kind(), text);
  return hit !== null && typeof hit === "object" && !Array.isArray(hit) ? (hit as EnvironmentConfig) : undefined;
}

/** Records that `text` validated to `config` without problems. */
export function storeValidated(text: string, config: EnvironmentConfig): void {
  storeParsed(kind(), text, config);
}
