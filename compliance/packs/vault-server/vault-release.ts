/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values and parsed HCL are untyped by nature */
/**
 * What the Vault server rules read from a `helm_release` of the `vault` chart: the effective values (the `values`
 * documents, then `set`, `set_list` and `set_sensitive`, as Helm applies them) and the server configuration in
 * `server.ha.raft.config`, parsed by HashiCorp's HCL parser.
 */
import { parsedHcl } from "../../../config/hcl";
import { blocksOf, helmValues, type ResourceView } from "../../../synthesized/stack-view";

/** True for a release of HashiCorp's chart: `vault`, `hashicorp/vault` or an OCI/URL reference ending in `/vault`. */
export function isVaultChart(release: ResourceView): boolean {
  const chart = release.attributes.chart;
  return typeof chart === "string" && (chart === "vault" || /\/vault(-\d[\w.-]*\.tgz)?$/.test(chart));
}

/** `a.b\.c.d` → ["a", "b.c", "d"] (Helm's `--set` path syntax, dots escaped with a backslash). */
function setPath(name: string): string[] {
  return name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, "."));
}

/** A `--set` value as Helm reads it with type `auto`: booleans, numbers and null are typed, the rest is a string. */
function autoValue(value: unknown, type: unknown): unknown {
  if (typeof value !== "string" || type === "string") return value;
  if (value === "true" || value === "false") return value === "true";
  if (value === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function assign(into: Record<string, any>, path: string[], value: unknown): void {
  let node = into;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

/** `set`, `set_list` and `set_sensitive` entries of a release, in the order Helm applies them. */
function setEntries(release: ResourceView): { name: string; value: unknown }[] {
  const a = release.attributes;
  return [
    ...blocksOf(a.set).map((s) => ({ name: String(s.name), value: autoValue(s.value, s.type) })),
    ...blocksOf(a.set_list).map((s) => ({ name: String(s.name), value: s.value })),
    ...blocksOf(a.set_sensitive).map((s) => ({ name: String(s.name), value: autoValue(s.value, s.type) })),
  ].filter((s) => s.name !== "undefined");
}

/** The values Helm renders the chart with: the `values` documents merged, then the `set*` entries. */
export function effectiveValues(release: ResourceView): Record<string, any> {
  const entries = setEntries(release);
  if (entries.length === 0) return helmValues(release);
  // helmValues() is shared by every rule: apply the set entries to a copy.
  const values = structuredClone(helmValues(release));
  for (const s of entries) assign(values, setPath(s.name), s.value);
  return values;
}

/** The value at a dotted path (`server.ha.replicas`), or undefined when any step is missing. */
export function valueAt(values: unknown, path: string): unknown {
  let node: any = values;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[key];
  }
  return node;
}

/** `path = value` for findings and evidence; `path is not set` when missing. */
export function show(path: string, value: unknown): string {
  return value === undefined ? `values ${path} is not set` : `values ${path} = ${JSON.stringify(value)}`;
}

export type ServerConfig =
  | { readonly ok: true; readonly text: string; readonly hcl: Record<string, any> }
  | { readonly ok: false; readonly problem: string };

const CONFIG_PATH = "server.ha.raft.config";

/**
 * The server configuration of a Vault release, parsed. A missing, overridden or unparsable config is a problem
 * the rule reports as its finding (the rules cannot vouch for a config they cannot read).
 */
export function serverConfig(release: ResourceView): ServerConfig {
  if (setEntries(release).some((s) => s.name === CONFIG_PATH || s.name.startsWith(`${CONFIG_PATH}.`))) {
    return { ok: false, problem: `${CONFIG_PATH} is set through a set/set_sensitive entry; the rules only read it from values` };
  }
  const text = valueAt(helmValues(release), CONFIG_PATH);
  if (typeof text !== "string") return { ok: false, problem: `${show(CONFIG_PATH, text)} (no server configuration)` };
  const parsed = parsedHcl(text);
  if (!parsed.ok) return { ok: false, problem: `${CONFIG_PATH} does not parse: ${parsed.error}` };
  return { ok: true, text, hcl: parsed.value as Record<string, any> };
}

/** Every `listener "<type>" { ... }` block, labelled `listener "tcp"[0]` for findings. */
export function listenersOf(hcl: Record<string, any>): { label: string; attrs: Record<string, any> }[] {
  const out: { label: string; attrs: Record<string, any> }[] = [];
  // HCL 1 decodes each `listener "<type>"` block into its own map: count them per type across all of them.
  const seen = new Map<string, number>();
  for (const byType of blocksOf(hcl.listener)) {
    for (const [type, blocks] of Object.entries(byType)) {
      for (const attrs of blocksOf(blocks)) {
        const i = seen.get(type) ?? 0;
        seen.set(type, i + 1);
        out.push({ label: `listener "${type}"[${i}]`, attrs });
      }
    }
  }
  return out;
}

/** The blocks `<kind> "<label>" { ... }` of a labelled block kind (`seal "awskms"`, `storage "raft"`). */
export function labelledBlocks(hcl: Record<string, any>, kind: string, label: string): Record<string, any>[] {
  return blocksOf(hcl[kind]).flatMap((byLabel) => blocksOf(byLabel[label]));
}

/** HCL truthiness of a flag that Vault reads as a boolean (`true`, `"true"`, `1`, `"1"`). */
export function isTrueFlag(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === "string" && ["true", "t", "1"].includes(value.trim().toLowerCase()));
}
