/**
 * Vault server configurations (the HCL in the Helm values' `server.ha.raft.config`), parsed as Vault parses them.
 * Vault reads its server config with HCL 1: vault/command/server/config.go `ParseConfig` and go-secure-stdlib's
 * configutil `ParseConfig` call `hcl.Parse` of github.com/hashicorp/hcl (v1) and decode with its decoder. Here the
 * same HCL 1 parser the policies go through (config/hcl1) and its generic decode (hcl's `decodeMap` into a
 * `map[string]interface{}`), as plain values: `listener "tcp" { ... }` reads `listener: [{ tcp: [{ ... }] }]`. HCL 2
 * syntax Vault refuses (a conditional, a reference, a function call) is a parse error here, as it is when Vault
 * starts.
 */
import { HclError } from "./hcl1/parser";
import { parseHcl1Ast } from "./hcl1/vault-decode";
import { decodeInterface, decodeMap, type GoValue, jsonOf } from "./hcl1/value";

type Parsed = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };
const cache = new Map<string, Parsed>();

/** hcl.Decode of `text` into a map[string]interface{}, with Go's types; throws an HclError (or a GoPanic). */
export function decodeHclGeneric(text: string): Map<string, GoValue> {
  return decodeMap("root", parseHcl1Ast(text), new Map<string, GoValue>(), (name, node, old) => decodeInterface(name, node, old, false));
}

/** Vault's reading of a server config `text` (memoized), or the parser's error. */
export function parsedHcl(text: string): Parsed {
  const hit = cache.get(text);
  if (hit) return hit;
  let parsed: Parsed;
  try {
    parsed = { ok: true, value: jsonOf({ t: "map", v: decodeHclGeneric(text) }) as Record<string, unknown> };
  } catch (e) {
    if (!(e instanceof HclError)) throw e;
    parsed = { ok: false, error: e.message };
  }
  cache.set(text, parsed);
  return parsed;
}
