/**
 * HCL 2 parsed ahead of time, for Terraform's side (Vault server configs in Helm values). HashiCorp's parser
 * (`@cdktf/hcl2json`, WebAssembly) is asynchronous, while Aspects and rule checks are synchronous: whoever
 * evaluates rules first primes the cache with every HCL text the rules will read, then rules look them up.
 * Vault policies are HCL 1 and are parsed as Vault parses them (config/hcl1.ts, config/policies.ts).
 */
import { parse } from "@cdktf/hcl2json";

type Parsed = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };
const cache = new Map<string, Parsed>();

export async function primeHcl(texts: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(texts)]
      .filter((t) => !cache.has(t))
      .map(async (text) => {
        try {
          cache.set(text, { ok: true, value: (await parse("input.hcl", text)) as Record<string, unknown> });
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
