/**
 * The one way the project reads a YAML document a person wrote (configs and policy tests): duplicate keys refused,
 * alias expansion bounded, and tags limited to the YAML 1.2 core schema's (`!!str`, `!!int`, `!!float`, `!!bool`,
 * `!!null`, `!!map`, `!!seq`). The `yaml` library has no option to fail on an unknown tag: it warns
 * (TAG_RESOLVE_FAILED) and reads `!Ref x` or `!vault x` as the plain string `x`, and it resolves the YAML 1.1 tags
 * (`!!binary` to bytes, `!!set`, `!!omap`, `!!timestamp`) into values no schema here expects. So every explicit tag
 * and every `%TAG` directive is checked on the parsed document before its value is taken: a CloudFormation-style
 * `!Ref` or a templating tag is refused with its line instead of silently losing its meaning.
 */
import { type Document, isNode, LineCounter, parseDocument, visit } from "yaml";

/** Alias expansions allowed in one document ("billion laughs" bound). */
export const MAX_YAML_ALIASES = 100;
/** The deepest nesting of mappings and lists a document may have (a config nests about 7 levels). */
export const MAX_YAML_DEPTH = 32;
/** The longest string a document may hold (a PEM bundle of CA certificates is the longest legitimate value). */
export const MAX_YAML_STRING = 65_536;

const count = (n: number) => n.toLocaleString("en-US");

/** The first value nested deeper than MAX_YAML_DEPTH or longer than MAX_YAML_STRING, by its path; no recursion. */
function boundsProblem(value: unknown): string | undefined {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    const at = path === "" ? "(top level)" : path;
    if (typeof node === "string" && node.length > MAX_YAML_STRING) {
      return `${at}: must be at most ${count(MAX_YAML_STRING)} characters (got ${count(node.length)})`;
    }
    if (node === null || typeof node !== "object") continue;
    if (depth >= MAX_YAML_DEPTH) return `${at}: nesting deeper than ${MAX_YAML_DEPTH} levels (the most a document here may have)`;
    const entries = Array.isArray(node) ? node.map((v, i) => [`[${i}]`, v] as const) : Object.entries(node).map(([k, v]) => [path === "" ? k : `.${k}`, v] as const);
    for (const [k, v] of entries) stack.push({ node: v, path: `${path}${k}`, depth: depth + 1 });
  }
  return undefined;
}

/** The core schema's tags, as the library resolves `!!x` (the default `!!` handle). */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

/** How a tag reads in the file: `!!binary` for the default handle, the full name otherwise. */
function shown(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

/**
 * Parses one YAML document; returns its value as plain data, or the problems of its text (without the file name):
 * syntax, an unsupported tag or `%TAG` directive, an alias without its anchor, too many alias expansions.
 */
export function readYaml(text: string): { value: unknown; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    // The parser recurses per level of nesting: far beyond MAX_YAML_DEPTH it runs out of stack and says so as a
    // syntax error; that is the nesting bound, reported as such.
    const deep = doc.errors.find((e) => /Maximum call stack size exceeded/.test(e.message));
    if (deep) return { value: undefined, problems: [`YAML: nesting deeper than ${MAX_YAML_DEPTH} levels (the most a document here may have), at ${deep.linePos ? `line ${deep.linePos[0].line}` : "the start"}`] };
    return { value: undefined, problems: doc.errors.map((e) => `YAML syntax: ${e.message.split("\n")[0]}`) };
  }
  const problems: string[] = [];
  const handles = Object.keys(doc.directives?.tags ?? {}).filter((h) => h !== "!!" || doc.directives.tags[h] !== "tag:yaml.org,2002:");
  if (handles.length > 0) {
    problems.push(`YAML: %TAG directives are not supported (found ${handles.join(", ")}): write plain values; no tag changes how a value is read`);
  }
  const tooDeep = { value: undefined, problems: [`YAML: nesting deeper than ${MAX_YAML_DEPTH} levels (the most a document here may have)`] };
  try {
    visitTags(doc, lines, problems);
  } catch (e) {
    if (e instanceof RangeError) return tooDeep;
    throw e;
  }
  if (problems.length > 0) return { value: undefined, problems };
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    const bound = boundsProblem(value);
    return bound === undefined ? { value, problems: [] } : { value: undefined, problems: [bound] };
  } catch (e) {
    if (e instanceof RangeError) return tooDeep;
    const message = (e as Error).message ?? String(e);
    if (/excessive alias count/i.test(message)) {
      return { value: undefined, problems: [`YAML: too many alias expansions (more than ${MAX_YAML_ALIASES}): write the values out instead of nesting aliases`] };
    }
    const alias = /unresolved alias[^:]*: (.*)$/i.exec(message);
    if (alias) return { value: undefined, problems: [`YAML: alias *${alias[1]} refers to no anchor &${alias[1]} defined before it`] };
    return { value: undefined, problems: [`YAML: ${message.split("\n")[0]}`] };
  }
}

/** Every explicit tag outside the core schema, with its line. */
function visitTags(doc: Document, lines: LineCounter, problems: string[]): void {
  visit(doc, (_key, node) => {
    if (!isNode(node) || node.tag === undefined || CORE_TAGS.has(node.tag)) return;
    const at = node.range ? lines.linePos(node.range[0]) : undefined;
    const where = at ? `line ${at.line}, column ${at.col}: ` : "";
    problems.push(`YAML: ${where}the tag ${shown(node.tag)} is not supported (only the core schema's !!str, !!int, !!float, !!bool, !!null, !!map, !!seq): it would be read as a plain value and lose its meaning`);
  });
}
