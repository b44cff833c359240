/**
 * The HCL 1 parser as Vault runs it (`hcl.Parse` in vault/policy.go), written for this project after hashicorp/hcl
 * hcl/parser/parser.go at v1.0.1-vault-7 (commit 02db4972906a1b43a46e2ffb0d2aae2c71875d94, pinned by Vault's
 * go.mod). Two changes of that fork over upstream v1.0.0 decide what Vault accepts (from `git diff v1.0.0
 * v1.0.1-vault-7 -- hcl/parser/parser.go`, PRs hashicorp/hcl#704 and #707):
 * - `objectList` refuses an argument (`key = value`) whose key text was already assigned in the same object:
 *   "The argument %q at %s was already set. Each argument can only be defined once". The key text is the token's
 *   source text, so `a = 1` and `"a" = 2` are different arguments; blocks (`path "x" {}`) are never refused;
 * - `objectType` returns every error of its items (upstream swallows one raised on a closing brace).
 * Comments are skipped as the Go parser skips them (it only attaches them to nodes). The JSON form is in json.ts.
 */
import { type Pos, posString, Scanner, type Token } from "./scanner";

export interface ObjectKey {
  readonly token: Token;
}
export interface ObjectItem {
  keys: ObjectKey[];
  /** Position of `=` (or `:` in JSON); undefined for a block. */
  readonly assign?: Pos;
  val: Node;
}
export interface ObjectList {
  readonly kind: "list";
  items: ObjectItem[];
}
export interface ObjectType {
  readonly kind: "object";
  readonly lbrace?: Pos;
  list: ObjectList;
}
export interface ListType {
  readonly kind: "array";
  readonly lbrack?: Pos;
  readonly list: Node[];
}
export interface LiteralType {
  readonly kind: "literal";
  readonly token: Token;
}
export type Node = ObjectList | ObjectType | ListType | LiteralType;

/** A parse error as Go's `parser.PosError` prints it. */
export class HclError extends Error {}
const posError = (pos: Pos, msg: string) => new HclError(`At ${posString(pos)}: ${msg}`);
const EOF_TOKEN = new HclError("EOF token found");

/** Go's `token.Token.String()`, used by "Unknown token: %+v". */
const tokenString = (t: Token) => `${posString(t.pos)} ${t.type} ${t.text}`;

/** The first position of a node (Go's `Node.Pos()`), for the line-comment check the parser makes. */
export function nodePos(node: Node): Pos | undefined {
  switch (node.kind) {
    case "object":
      return node.lbrace;
    case "array":
      return node.lbrack;
    case "literal":
      return node.token.pos;
    default:
      return node.items[0]?.keys[0]?.token.pos;
  }
}

class Parser {
  private readonly sc: Scanner;
  private tok: Token = { type: "ILLEGAL", pos: { offset: 0, line: 0, column: 0 }, text: "" };
  private n = 0;
  scannerError?: HclError;

  constructor(src: string) {
    this.sc = new Scanner(src);
    this.sc.error = (pos, msg) => {
      this.scannerError = posError(pos, msg);
    };
  }

  private scan(): Token {
    if (this.n !== 0) {
      this.n = 0;
      return this.tok;
    }
    do this.tok = this.sc.scan();
    while (this.tok.type === "COMMENT");
    return this.tok;
  }

  private unscan(): void {
    this.n = 1;
  }

  objectList(obj: boolean): ObjectList {
    const node: ObjectList = { kind: "list", items: [] };
    const seen = new Set<string>();
    for (;;) {
      if (obj) {
        const tok = this.scan();
        this.unscan();
        if (tok.type === "RBRACE") break;
      }
      let item: ObjectItem;
      try {
        item = this.objectItem();
      } catch (e) {
        if (e === EOF_TOKEN) break;
        throw e;
      }
      if (item.assign) {
        for (const key of item.keys) {
          if (seen.has(key.token.text)) {
            throw new HclError(
              `The argument ${JSON.stringify(key.token.text)} at ${posString(key.token.pos)} was already set. Each argument can only be defined once`,
            );
          }
          seen.add(key.token.text);
        }
      }
      node.items.push(item);
      if (this.scan().type !== "COMMA") this.unscan();
    }
    return node;
  }

  private objectItem(): ObjectItem {
    let keys: ObjectKey[];
    try {
      keys = this.objectKey();
    } catch (e) {
      const partial = (e as { keys?: ObjectKey[] }).keys;
      if (!partial || partial.length === 0) throw (e as { error?: unknown }).error ?? e;
      keys = partial;
      // Keys read up to a closing brace: report "expected start of object" below, as Go does.
      if ((e as { error?: unknown }).error !== EOF_TOKEN) {
        if (this.tok.type !== "RBRACE") throw (e as { error: unknown }).error;
        this.tok = { ...this.tok, type: "EOF" };
      }
    }
    let item: ObjectItem;
    switch (this.tok.type) {
      case "ASSIGN":
        item = { keys, assign: this.tok.pos, val: this.object() };
        break;
      case "LBRACE":
        item = { keys, val: this.objectType() };
        break;
      default:
        throw posError(this.tok.pos, `key '${keys.map((k) => k.token.text).join(" ")}' expected start of object ('{') or assignment ('=')`);
    }
    this.scan();
    this.unscan();
    return item;
  }

  /** Returns the keys; on an error throws `{ keys, error }` so the caller can see the keys read so far. */
  private objectKey(): ObjectKey[] {
    const keys: ObjectKey[] = [];
    for (;;) {
      const tok = this.scan();
      switch (tok.type) {
        case "EOF":
          throw { keys, error: EOF_TOKEN };
        case "ASSIGN":
          if (keys.length > 1) throw { error: posError(tok.pos, `nested object expected: LBRACE got: ${tok.type}`) };
          if (keys.length === 0) throw { error: posError(tok.pos, "no object keys found!") };
          return keys;
        case "LBRACE":
          if (keys.length === 0) throw { keys, error: posError(tok.pos, `expected: IDENT | STRING got: ${tok.type}`) };
          return keys;
        case "IDENT":
        case "STRING":
          keys.push({ token: tok });
          break;
        case "ILLEGAL":
          throw { keys, error: posError(tok.pos, "illegal character") };
        default:
          throw { keys, error: posError(tok.pos, `expected: IDENT | STRING | ASSIGN | LBRACE got: ${tok.type}`) };
      }
    }
  }

  private object(): Node {
    const tok = this.scan();
    switch (tok.type) {
      case "NUMBER":
      case "FLOAT":
      case "BOOL":
      case "STRING":
      case "HEREDOC":
        return { kind: "literal", token: tok };
      case "LBRACE":
        return this.objectType();
      case "LBRACK":
        return this.listType();
      case "EOF":
        throw EOF_TOKEN;
      default:
        throw posError(tok.pos, `Unknown token: ${tokenString(tok)}`);
    }
  }

  private objectType(): ObjectType {
    const lbrace = this.tok.pos;
    const list = this.objectList(true);
    const tok = this.scan();
    if (tok.type !== "RBRACE") throw posError(tok.pos, `object expected closing RBRACE got: ${tok.type}`);
    return { kind: "object", lbrace, list };
  }

  private listType(): ListType {
    const l: ListType = { kind: "array", lbrack: this.tok.pos, list: [] };
    let needComma = false;
    for (;;) {
      const tok = this.scan();
      if (needComma && tok.type !== "COMMA" && tok.type !== "RBRACK") {
        throw posError(tok.pos, `error parsing list, expected comma or list end, got: ${tok.type}`);
      }
      switch (tok.type) {
        case "BOOL":
        case "NUMBER":
        case "FLOAT":
        case "STRING":
        case "HEREDOC":
          l.list.push({ kind: "literal", token: tok });
          needComma = true;
          break;
        case "COMMA":
          needComma = false;
          break;
        case "LBRACE":
          try {
            l.list.push(this.objectType());
          } catch (e) {
            throw posError(tok.pos, `error while trying to parse object within list: ${(e as Error).message}`);
          }
          needComma = true;
          break;
        case "LBRACK":
          try {
            l.list.push(this.listType());
          } catch (e) {
            throw posError(tok.pos, `error while trying to parse list within list: ${(e as Error).message}`);
          }
          break;
        case "RBRACK":
          return l;
        default:
          throw posError(tok.pos, `unexpected token while parsing list: ${tok.type}`);
      }
    }
  }
}

/** `hclParser.Parse` of the fork: CRLF normalised, then the top-level object list; a scanner error wins. */
export function parseHclText(src: string): ObjectList {
  const p = new Parser(src.replace(/\r\n/g, "\n"));
  let result: ObjectList | undefined;
  let error: unknown;
  try {
    result = p.objectList(false);
  } catch (e) {
    error = e;
  }
  if (p.scannerError) throw p.scannerError;
  if (error !== undefined) throw error;
  return result!;
}
