/**
 * GitHub Actions expressions (`${{ ... }}`), as the runner evaluates them (actions/runner
 * src/Sdk/DTExpressions2: lexer, parser and the Equal/NotEqual/And/Or/Not nodes; docs "Expressions"):
 * literals (strings in single quotes with '' as escape, numbers, true/false/null), property access by `.name`
 * (names may hold '-') and `[expr]`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||` (returning an operand,
 * not a boolean), parentheses, and the functions the workflows use. Equality converts operands of different types
 * to numbers and compares strings case-insensitively; a missing property is null, never an error.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type Context = Record<string, Value>;
export interface StatusFunctions {
  readonly success: () => boolean;
  readonly failure: () => boolean;
  readonly always: () => boolean;
  readonly cancelled: () => boolean;
  /** hashFiles(), where a step's workspace exists (rehearsal/workflow/hash-files.ts). */
  readonly hashFiles?: (patterns: string[]) => string;
}

type Token = { kind: "num" | "str" | "ident" | "op" | "end"; text: string; value?: Value };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in expression: ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") { s += "'"; i += 2; continue; }
        if (src[i] === "'") { i++; break; }
        s += src[i++];
      }
      tokens.push({ kind: "str", text: s, value: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) { tokens.push({ kind: "op", text: two }); i += 2; continue; }
    if ("!<>()[].,".includes(c)) { tokens.push({ kind: "op", text: c }); i++; continue; }
    const num = /^(0x[0-9a-fA-F]+|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(src.slice(i));
    if (num && !/[A-Za-z_]/.test(src[i + num[0].length] ?? "")) { tokens.push({ kind: "num", text: num[0], value: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_*][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) { tokens.push({ kind: "ident", text: id[0] }); i += id[0].length; continue; }
    throw new Error(`unexpected character ${JSON.stringify(c)} in expression: ${src}`);
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

const toNumber = (v: Value): number => {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string") return v.trim() === "" ? 0 : Number(v);
  return NaN;
};
export const truthy = (v: Value): boolean =>
  v === null ? false : typeof v === "boolean" ? v : typeof v === "number" ? v !== 0 && !Number.isNaN(v) : typeof v === "string" ? v !== "" : true;
export const asString = (v: Value): string =>
  v === null ? "" : typeof v === "object" ? JSON.stringify(v) : typeof v === "boolean" ? (v ? "true" : "false") : String(v);

function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && typeof a !== "object") return a === b;
  if (a === null && b === null) return true;
  if (typeof a === "object" || typeof b === "object") return a === b;
  return toNumber(a) === toNumber(b);
}

function compare(a: Value, b: Value): number {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  return toNumber(a) - toNumber(b);
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  contains: ([s, item]) => (Array.isArray(s) ? s.some((x) => equal(x, item)) : asString(s).toLowerCase().includes(asString(item).toLowerCase())),
  startswith: ([s, p]) => asString(s).toLowerCase().startsWith(asString(p).toLowerCase()),
  endswith: ([s, p]) => asString(s).toLowerCase().endsWith(asString(p).toLowerCase()),
  format: ([f, ...rest]) => asString(f).replace(/\{(\d+)\}/g, (_, n) => asString(rest[Number(n)] ?? null)),
  join: ([a, sep]) => (Array.isArray(a) ? a.map(asString).join(sep === undefined ? "," : asString(sep)) : asString(a)),
  tojson: ([v]) => JSON.stringify(v, null, 2),
  fromjson: ([v]) => JSON.parse(asString(v)) as Value,
};

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly ctx: Context, private readonly status: StatusFunctions, private readonly src: string) {}
  private peek(): Token { return this.tokens[this.pos]; }
  private next(): Token { return this.tokens[this.pos++]; }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text || t.kind === "str") throw new Error(`expected '${text}' in expression: ${this.src}`);
  }
  parse(): Value {
    const v = this.or();
    if (this.peek().kind !== "end") throw new Error(`unexpected '${this.peek().text}' in expression: ${this.src}`);
    return v;
  }
  private or(): Value {
    let left = this.and();
    while (this.peek().text === "||" && this.peek().kind === "op") { this.next(); const right = this.and(); left = truthy(left) ? left : right; }
    return left;
  }
  private and(): Value {
    let left = this.cmp();
    while (this.peek().text === "&&" && this.peek().kind === "op") { this.next(); const right = this.cmp(); left = truthy(left) ? right : left; }
    return left;
  }
  private cmp(): Value {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || !["==", "!=", "<", "<=", ">", ">="].includes(t.text)) return left;
      this.next();
      const right = this.unary();
      const c = t.text === "==" || t.text === "!=" ? 0 : compare(left, right);
      left = t.text === "==" ? equal(left, right) : t.text === "!=" ? !equal(left, right) : t.text === "<" ? c < 0 : t.text === "<=" ? c <= 0 : t.text === ">" ? c > 0 : c >= 0;
    }
  }
  private unary(): Value {
    if (this.peek().kind === "op" && this.peek().text === "!") { this.next(); return !truthy(this.unary()); }
    return this.postfix(this.primary());
  }
  private primary(): Value {
    const t = this.next();
    if (t.kind === "str" || t.kind === "num") return t.value ?? null;
    if (t.kind === "op" && t.text === "(") { const v = this.or(); this.expect(")"); return v; }
    if (t.kind === "ident") {
      const lower = t.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      if (this.peek().text === "(" && this.peek().kind === "op") {
        this.next();
        const args: Value[] = [];
        while (!(this.peek().kind === "op" && this.peek().text === ")")) {
          args.push(this.or());
          if (this.peek().text === ",") this.next();
        }
        this.next();
        if (lower === "hashfiles") {
          if (!this.status.hashFiles) throw new Error(`hashFiles() is available only in steps: ${this.src}`);
          return this.status.hashFiles(args.map(asString));
        }
        if (lower in this.status) return (this.status as unknown as Record<string, () => boolean>)[lower]();
        const fn = FUNCTIONS[lower];
        if (!fn) throw new Error(`function ${t.text}() is not modelled by the rehearsal: ${this.src}`);
        return fn(args);
      }
      if (!(t.text in this.ctx)) throw new Error(`unrecognized named-value: '${t.text}' in expression: ${this.src}`);
      return this.ctx[t.text];
    }
    throw new Error(`unexpected '${t.text}' in expression: ${this.src}`);
  }
  private postfix(v: Value): Value {
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === ".") {
        this.next();
        const name = this.next();
        v = property(v, name.text);
      } else if (t.kind === "op" && t.text === "[") {
        this.next();
        const key = this.or();
        this.expect("]");
        v = property(v, asString(key));
      } else {
        return v;
      }
    }
  }
}

function property(v: Value, name: string): Value {
  if (v === null || typeof v !== "object") return null;
  if (Array.isArray(v)) return v[Number(name)] ?? null;
  const key = Object.keys(v).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : v[key];
}

export function evaluate(expression: string, ctx: Context, status: StatusFunctions): Value {
  return new Parser(tokenize(expression), ctx, status, expression).parse();
}

/** Replaces every `${{ expr }}` in a string; a value that is exactly one expression keeps its type. */
export function interpolate(text: string, ctx: Context, status: StatusFunctions): Value {
  const whole = /^\$\{\{([\s\S]*?)\}\}$/.exec(text.trim());
  if (whole && !whole[1].includes("}}")) return evaluate(whole[1], ctx, status);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr) => asString(evaluate(expr, ctx, status)));
}

/** `if:` conditions: with no status function in them, `success() && (...)` is implied (runner docs). */
export function condition(text: string | boolean | undefined, ctx: Context, status: StatusFunctions): boolean {
  if (text === undefined) return status.success();
  if (typeof text === "boolean") return text && status.success();
  const expr = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(expr);
  const value = truthy(evaluate(expr, ctx, status));
  return usesStatus ? value : value && status.success();
}
