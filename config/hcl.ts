/**
 * HCL 2 parsed ahead of time, for Terraform's side (Vault server configs in Helm values). HashiCorp's parser
 * (`@cdktf/hcl2json`, WebAssembly) is asynchronous, while Aspects and rule checks are synchronous: whoever
 * evaluates rules first primes the cache with every HCL text the rules will read, then rules look them up.
 * Vault policies are HCL 1 and are parsed as Vault parses them (config/hcl1.ts, config/policies.ts).
 *
 * The parser is loaded only when a text is not in the on-disk parse cache (config/parse-cache.ts): requiring it
 * instantiates its WebAssembly module at once (about 0.3 s and 100 MB), which a synth with unchanged server
 * configs does not need.
 */
import { version } from "@cdktf/hcl2json/package.json";
import { readParsed, storeParsed } from "./parse-cache";

const HCL = `hcl2json@${version}`;
let parser: Promise<typeof import("@cdktf/hcl2json")> | undefined;

/** HashiCorp's parse of one HCL 2 text (`file` names it in error messages); rejects with the parser's message. */
export async function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const hit = readParsed(HCL, text);
  if (hit !== undefined) return hit as Record<string, unknown>;
  parser ??= import("@cdktf/hcl2json");
  const value = (await (await parser).parse(file, text)) as Record<string, unknown>;
  storeParsed(HCL, text, value);
  return value;
}

type Parsed = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };
const cache = new Map<string, Parsed>();

export async function primeHcl(texts: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(texts)]
      .filter((t) => !cache.has(t))
      .map(async (text) => {
        try {
          cache.set(text, { ok: true, value: await parseHcl("input.hcl", text) });
        } catch (e) {
          cache.set(text, { ok: false, error: String((e as Error).message ?? e) });
        }
      }),
  );
}

/** The parsed form of an HCL text primed before; throws if it was never primed (a wiring bug, not input). */
export function parsedHcl(text: string): Parsed {
  const hit = cache.get(text);
  if (!hit) throw new Error("HCL text was not primed before rule evaluation (call primeHcl first)");
  return hit;
}
