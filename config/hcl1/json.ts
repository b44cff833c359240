/**
 * The JSON form of HCL 1 (hcl.Parse picks it when the text starts with `{`, lex.go `lexMode`), written for this
 * project after hashicorp/hcl json/parser/parser.go and flatten.go at v1.0.1-vault-7. It keeps the Go parser's
 * leniency: an object's closing brace is not checked, `true`/`false` and nested lists inside a list are dropped,
 * and nested objects are flattened into multi-key items (`{"path": {"a": {...}}}` reads as `path "a" {...}`).
 * No duplicate check: the fork checks duplicate arguments in the HCL form only.
 */
import type { ListType, Node, ObjectItem, ObjectList, ObjectType } from "./parser";
import { HclError } from "./parser";
import { posString, Scanner, type Token } from "./scanner";

const EOF_TOKEN = new HclError("EOF token found");

/** json/token `HCLToken`: null becomes an empty STRING, strings are marked JSON (unquoted as Go strings). */
function hclToken(t: Token): Token {
  if (t.type === "NULL") return { type: "STRING", pos: t.pos, text: "" };
  if (t.type === "STRING") return { ...t, json: true };
  return t;
}

class JsonParser {
  private readonly sc: Scanner;
  private tok!: Token;
  scannerError?: HclError;

  constructor(src: string) {
    this.sc = new Scanner(src, true);
    this.sc.error = (pos, msg) => {
      this.scannerError = new HclError(`${posString(pos)}: ${msg}`);
    };
  }

  private scan(): Token {
    this.tok = this.sc.scan();
    return this.tok;
  }

  object(): ObjectType {
    const tok = this.scan();
    if (tok.type === "LBRACE") return this.objectType();
    if (tok.type === "EOF") throw EOF_TOKEN;
    throw new HclError(`Expected object, got unknown token: ${posString(tok.pos)} ${tok.type} ${tok.text}`);
  }

  /** On an error, `partial` holds the items read so far (Go returns them with the error). */
  private partial: ObjectList | undefined;

  private objectList(): ObjectList {
    const node: ObjectList = { kind: "list", items: [] };
    for (;;) {
      let item: ObjectItem;
      try {
        item = this.objectItem();
      } catch (e) {
        if (e === EOF_TOKEN) break;
        this.partial = node;
        throw e;
      }
      node.items.push(item);
      if (this.scan().type !== "COMMA") break;
    }
    return node;
  }

  private objectItem(): ObjectItem {
    const keys = this.objectKey();
    if (this.tok.type === "COLON") return { keys, assign: this.tok.pos, val: this.objectValue() };
    return { keys, val: undefined as unknown as Node };
  }

  private objectKey(): ObjectItem["keys"] {
    const keys: ObjectItem["keys"] = [];
    for (;;) {
      const tok = this.scan();
      switch (tok.type) {
        case "EOF":
          throw EOF_TOKEN;
        case "STRING":
          keys.push({ token: hclToken(tok) });
          break;
        case "COLON":
          if (keys.length === 0) throw new HclError(`expected: STRING got: ${tok.type}`);
          return keys;
        case "ILLEGAL":
          throw new HclError("illegal");
        default:
          throw new HclError(`expected: STRING got: ${tok.type}`);
      }
    }
  }

  private objectValue(): Node {
    const tok = this.scan();
    switch (tok.type) {
      case "NUMBER":
      case "FLOAT":
      case "BOOL":
      case "NULL":
      case "STRING":
        return { kind: "literal", token: hclToken(tok) };
      case "LBRACE":
        return this.objectType();
      case "LBRACK":
        return this.listType();
      case "EOF":
        throw EOF_TOKEN;
      default:
        throw new HclError(`Expected object value, got unknown token: ${posString(tok.pos)} ${tok.type} ${tok.text}`);
    }
  }

  private objectType(): ObjectType {
    try {
      return { kind: "object", list: this.objectList() };
    } catch (e) {
      // Go: an error raised on a closing brace is dropped, and the object is left without its items.
      if (this.tok.type !== "RBRACE" || !(e instanceof HclError) || !this.partial) throw e;
      return { kind: "object", list: this.partial };
    }
  }

  private listType(): ListType {
    const l: ListType = { kind: "array", list: [] };
    for (;;) {
      const tok = this.scan();
      switch (tok.type) {
        case "NUMBER":
        case "FLOAT":
        case "STRING":
          l.list.push({ kind: "literal", token: hclToken(tok) });
          break;
        case "COMMA":
        case "BOOL":
        case "LBRACK":
          break;
        case "LBRACE":
          l.list.push(this.objectType());
          break;
        case "RBRACK":
          return l;
        default:
          throw new HclError(`unexpected token while parsing list: ${tok.type}`);
      }
    }
  }
}

/** json/parser/flatten.go `flattenObjects`: objects of objects (and lists of objects) become multi-key items. */
function flatten(node: Node | undefined): void {
  if (!node) return;
  if (node.kind === "object") return flatten(node.list);
  if (node.kind === "array") return node.list.forEach(flatten);
  if (node.kind !== "list") return;
  const items: ObjectItem[] = [];
  const frontier = [...node.items];
  while (frontier.length > 0) {
    const item = frontier.pop()!;
    const v = item.val as Node | undefined;
    if (v?.kind === "object" && v.list.items.length > 0 && v.list.items.every((s) => (s.val as Node | undefined)?.kind === "object")) {
      for (const sub of v.list.items) frontier.push({ keys: [...item.keys, ...sub.keys], assign: item.assign, val: sub.val });
    } else if (v?.kind === "array" && v.list.length > 0 && v.list.every((e) => e.kind === "object")) {
      for (const elem of v.list) frontier.push({ keys: item.keys, assign: item.assign, val: elem });
    } else {
      items.push(item);
    }
  }
  node.items = items.reverse();
  // ast.Walk then descends into the rewritten items.
  for (const item of node.items) flatten(item.val);
}

export function parseJsonText(src: string): ObjectList {
  const p = new JsonParser(src);
  let result: ObjectType | undefined;
  let error: unknown;
  try {
    result = p.object();
  } catch (e) {
    error = e;
  }
  if (p.scannerError) throw p.scannerError;
  if (error !== undefined) throw error;
  flatten(result!.list);
  return result!.list;
}
