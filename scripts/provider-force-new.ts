/**
 * Writes config/providers/force-new.json: for every stateful type (config/stateful.ts), the attributes whose change
 * makes its provider replace the resource, read from the provider's Go source at the version the project pins
 * (node_modules/@cdktf/provider-<name>/lib/provider/index.js `providerVersion`). The providers' JSON schema
 * (`terraform providers schema -json`) does not carry ForceNew, so the source is read:
 * - schema entries `"name": { ... ForceNew: true ... }` (and `consts.FieldX` / `names.AttrX` keys), at any depth,
 *   a nested block's attributes as `block.attribute`;
 * - entries built by a helper of the same files (`"metadata": metadataSchema(...)`), followed once;
 * - CustomizeDiff replacements: `customdiff.ForceNewIf("name"`, `ForceNewIfChange("name"`, `d.ForceNew("name")`.
 *
 *   node --require ./scripts/register-ts.js scripts/provider-force-new.ts <base directory>
 *
 * scripts/provider-force-new-sources.json maps each stateful type to { provider, version, commit, root, files,
 * prefixes?, exclude? }: `root` a directory under <base directory> holding the files at that commit (a checkout,
 * `git archive <tag> <files>`, or files saved from it), the first file the resource's, the others helper files whose
 * functions it reaches; `prefixes` the block a helper file's schema sits under (`{ "kubernetes/schema_metadata.go":
 * "metadata." }`). Consts are resolved from the `constsFiles` of the same entry.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ForceNewSource {
  readonly provider: string;
  readonly version: string;
  readonly commit: string;
  readonly root: string;
  readonly files: readonly string[];
  readonly constsFiles?: readonly string[];
  readonly prefixes?: Readonly<Record<string, string>>;
  /** Attributes a helper's caller removes (`getMountSchema("type")` deletes `type`), as the resource file says. */
  readonly exclude?: readonly string[];
}

/** The text between the brace at `open` and its match (Go strings, raw strings and comments skipped). */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i >= 0 && i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "`") i = text.indexOf("`", i + 1);
    else if (c === "/" && text[i + 1] === "/") i = text.indexOf("\n", i);
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** The text with every nested `{...}` blanked: what sits at the entry's own level. */
function ownLevel(body: string): string {
  let out = "";
  let depth = 0;
  for (const c of body) {
    if (c === "{") depth++;
    if (depth === 0) out += c;
    if (c === "}") depth--;
  }
  return out;
}

const KEY = /(?:("([a-z0-9_]+)"|consts\.(Field\w+)|names\.(Attr\w+))\s*:|\w+\[(?:"([a-z0-9_]+)"|consts\.(Field\w+))\]\s*=)\s*(&schema\.Schema\{|\{|(\w+)\()/g;

/** `names.AttrBucketPrefix` -> `bucket_prefix` (the AWS provider's names package spells each attribute so). */
const snake = (attr: string) => attr.replace(/^Attr/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** The ForceNew attribute names of one schema body, with `prefix` for nested blocks. */
function forceNewIn(body: string, prefix: string, consts: ReadonlyMap<string, string>, helpers: ReadonlyMap<string, string>, out: Set<string>, followed = new Set<string>()): void {
  const key = new RegExp(KEY.source, "g");
  for (let m = key.exec(body); m; m = key.exec(body)) {
    const name = m[2] ?? m[5] ?? (m[3] ? consts.get(m[3]) : undefined) ?? (m[6] ? consts.get(m[6]) : undefined) ?? (m[4] ? snake(m[4]) : undefined);
    let entry: string;
    if (m[8]) {
      const helper = helpers.get(m[8]);
      if (!name || !helper || followed.has(m[8])) continue;
      followed.add(m[8]);
      entry = helper;
    } else {
      entry = braced(body, m.index + m[0].length - 1);
      // The entry's own nested entries are read below, with its name as their prefix, never as top-level ones.
      key.lastIndex = m.index + m[0].length + entry.length;
      if (!name) continue;
    }
    if (/\bForceNew:\s*true\b/.test(ownLevel(entry))) out.add(`${prefix}${name}`);
    const nested = /\bSchema:\s*(map\[string\]\*schema\.Schema|schemaMap)\{/.exec(entry);
    if (nested) {
      const inner = entry.slice(nested.index);
      forceNewIn(braced(inner, inner.indexOf("{")), `${prefix}${name}.`, consts, helpers, out, followed);
    }
  }
}

/** Go source without comments (a `ForceNew: true` in a comment is not a schema). */
const uncommented = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"])\/\/[^\n]*/g, "$1");

/** The ForceNew attributes of one stateful type, from its source files. */
export function extractForceNew(source: ForceNewSource): string[] {
  const consts = new Map<string, string>();
  for (const f of source.constsFiles ?? []) {
    for (const m of readFileSync(join(source.root, f), "utf8").matchAll(/\b(Field\w+)\s*=\s*"([^"]+)"/g)) consts.set(m[1], m[2]);
  }
  const texts = source.files.map((f) => ({ f, text: uncommented(readFileSync(join(source.root, f), "utf8")) }));
  const helpers = new Map<string, string>();
  /** Functions of the helper files (all files but the first), by name, with the prefix of their file. */
  const functions = new Map<string, { body: string; prefix: string }>();
  for (const [i, { f, text }] of texts.entries()) {
    for (const m of text.matchAll(/^func (\w+)\([^)]*\)\s*\*schema\.Schema\s*\{/gm)) helpers.set(m[1], braced(text, m.index! + m[0].length - 1));
    if (i === 0) continue;
    for (const m of text.matchAll(/^func (\w+)\([^)]*\)[^{\n]*\{/gm)) functions.set(m[1], { body: braced(text, m.index! + m[0].length - 1), prefix: source.prefixes?.[f] ?? "" });
  }
  const out = new Set<string>();
  const read = (text: string, prefix: string) => {
    forceNewIn(text, prefix, consts, helpers, out);
    for (const m of text.matchAll(/(?:ForceNewIf(?:Change)?|\bd\.ForceNew)\(\s*(?:"([a-z0-9_]+)"|consts\.(Field\w+))/g)) {
      const name = m[1] ?? consts.get(m[2]);
      if (name) out.add(`${prefix}${name}`);
    }
  };
  // The resource's own file, then every helper function it reaches (transitively): a helper file's other
  // functions serve other resources and are not read.
  const reached = new Set<string>();
  const queue = [{ body: texts[0]!.text, prefix: "" }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    read(next.body, next.prefix);
    for (const m of next.body.matchAll(/\b(\w+)\(/g)) {
      const fn = functions.get(m[1]);
      if (fn && !reached.has(m[1])) {
        reached.add(m[1]);
        queue.push(fn);
      }
    }
  }
  return [...out].filter((a) => !source.exclude?.includes(a)).sort();
}

function main(): void {
  const base = process.argv[2] ?? ".";
  const sources = JSON.parse(readFileSync(join(__dirname, "provider-force-new-sources.json"), "utf8")) as Record<string, ForceNewSource>;
  const result: Record<string, { provider: string; version: string; commit: string; files: readonly string[]; forceNew: string[] }> = {};
  for (const [type, source] of Object.entries(sources)) {
    if (type === "//") continue;
    result[type] = { provider: source.provider, version: source.version, commit: source.commit, files: source.files, forceNew: extractForceNew({ ...source, root: join(base, source.root) }) };
  }
  const note = "Generated by scripts/provider-force-new.ts from the providers' Go source at the pinned versions; do not edit by hand.";
  writeFileSync(join(__dirname, "..", "config", "providers", "force-new.json"), `${JSON.stringify({ "//": note, ...result }, null, 2)}\n`);
}

if (require.main === module) main();
