/**
 * The HCL 1 scanner Vault's policy parser uses, written for this project after hashicorp/hcl
 * hcl/scanner/scanner.go at v1.0.1-vault-7 (commit 02db4972906a1b43a46e2ffb0d2aae2c71875d94, the version Vault's
 * go.mod pins; the scanner is unchanged from upstream v1.0.0). It reproduces the Go scanner's reading of runes,
 * including its quirks (a number's exponent without digits, `.5e3` read as `.5e` then `3`), its positions (line,
 * column in runes, byte offset) and its error messages. Like the Go scanner, an error is reported and scanning goes
 * on; the parser reports the last scanner error instead of its own result.
 */

import { digitVal, EOF, GoPanic, isDecimal, isDigit, isHexadecimal, isLetter, isWhitespace, type Pos, RUNE_ERROR, type Token, type TokenType } from "./token";

export { type Pos, posString, type Token, type TokenType } from "./token";

const PUNCTUATION: Record<number, TokenType> = { 0x5b: "LBRACK", 0x5d: "RBRACK", 0x7b: "LBRACE", 0x7d: "RBRACE", 0x2c: "COMMA", 0x3d: "ASSIGN", 0x2b: "ADD" };

/** The source as Go sees it: UTF-8 bytes, read rune by rune. */
export class Scanner {
  private readonly runes: number[];
  private readonly sizes: number[];
  private readonly bytes: Buffer;
  private index = 0;
  /** Go's bytes.Buffer allows UnreadRune only right after a successful ReadRune. */
  private canUnread = false;
  private srcPos = { offset: 0, line: 1, column: 0 };
  private prevPos = { offset: 0, line: 1, column: 0 };
  private lastCharLen = 0;
  private lastLineLen = 0;
  private tokStart = 0;
  error?: (pos: Pos, msg: string) => void;

  /** `json`: the scanner of hcl/json/scanner/scanner.go (no comments, heredocs or interpolation; `:` and `null`). */
  constructor(
    src: string,
    private readonly json = false,
  ) {
    this.bytes = Buffer.from(src, "utf8");
    this.runes = [];
    this.sizes = [];
    for (const ch of src) {
      const cp = ch.codePointAt(0)!;
      // A lone surrogate is encoded as U+FFFD, as Buffer.from does.
      const rune = cp >= 0xd800 && cp <= 0xdfff ? RUNE_ERROR : cp;
      this.runes.push(rune);
      this.sizes.push(rune < 0x80 ? 1 : rune < 0x800 ? 2 : rune < 0x10000 ? 3 : 4);
    }
  }

  private next(): number {
    if (this.index >= this.runes.length) {
      this.srcPos.column++;
      this.lastCharLen = 0;
      this.canUnread = false;
      return EOF;
    }
    const ch = this.runes[this.index];
    const size = this.sizes[this.index++];
    this.canUnread = true;
    this.prevPos = { ...this.srcPos };
    this.srcPos.column++;
    this.lastCharLen = size;
    this.srcPos.offset += size;
    if (ch === 0x0a) {
      this.srcPos.line++;
      this.lastLineLen = this.srcPos.column;
      this.srcPos.column = 0;
    }
    // The JSON scanner has neither check: its NUL is read as the end of the input.
    if (ch === 0 && !this.json) {
      this.err("unexpected null character (0x00)");
      return EOF;
    }
    if (ch === 0xe123 && !this.json) {
      this.err("unicode code point U+E123 reserved for internal use");
      return RUNE_ERROR;
    }
    return ch;
  }

  private unread(): void {
    // Go panics here (bytes.Buffer: UnreadRune: previous operation was not a successful ReadRune).
    if (!this.canUnread) throw new GoPanic("bytes.Buffer: UnreadRune: previous operation was not a successful ReadRune");
    this.index--;
    this.canUnread = false;
    this.srcPos = { ...this.prevPos };
  }

  private peek(): number {
    this.canUnread = false;
    return this.index < this.runes.length ? this.runes[this.index] : EOF;
  }

  scan(): Token {
    let ch = this.next();
    while (isWhitespace(ch)) ch = this.next();
    let type: TokenType = "ILLEGAL";
    this.tokStart = this.srcPos.offset - this.lastCharLen;
    const pos =
      this.srcPos.column > 0
        ? { offset: this.tokStart, line: this.srcPos.line, column: this.srcPos.column }
        : { offset: this.tokStart, line: this.srcPos.line - 1, column: this.lastLineLen };
    if (isLetter(ch)) {
      type = "IDENT";
      const lit = this.scanIdentifier();
      if (lit === "true" || lit === "false") type = "BOOL";
      else if (this.json && lit === "null") type = "NULL";
      else if (this.json) {
        type = "ILLEGAL";
        this.err("illegal char");
      }
    } else if (isDecimal(ch)) {
      type = this.json ? this.scanJsonNumber(ch) : this.scanNumber(ch);
    } else if (this.json && !"\"[]{},:-.".includes(String.fromCodePoint(ch || 0x20))) {
      if (ch === EOF) type = "EOF";
      else this.err(`illegal char: ${String.fromCodePoint(ch)}`);
    } else if (this.json && ch === 0x3a) {
      type = "COLON";
    } else if (this.json && ch === 0x2d && !isDecimal(this.peek())) {
      this.err("illegal char");
    } else {
      switch (ch) {
        case EOF:
          type = "EOF";
          break;
        case 0x22:
          type = "STRING";
          this.scanString();
          break;
        case 0x23:
        case 0x2f:
          type = "COMMENT";
          this.scanComment(ch);
          break;
        case 0x2e:
          type = "PERIOD";
          ch = this.peek();
          if (isDecimal(ch)) {
            type = "FLOAT";
            ch = this.scanMantissa(ch);
            this.scanExponent(ch);
          }
          break;
        case 0x3c:
          type = "HEREDOC";
          this.scanHeredoc();
          break;
        case 0x2d:
          if (isDecimal(this.peek())) type = this.json ? this.scanJsonNumber(this.next()) : this.scanNumber(this.next());
          else type = "SUB";
          break;
        default:
          if (Object.hasOwn(PUNCTUATION, ch)) type = PUNCTUATION[ch];
          else this.err("illegal char");
      }
    }
    const end = this.srcPos.offset;
    const text = this.tokStart >= 0 ? this.bytes.subarray(this.tokStart, end).toString("utf8") : "";
    this.tokStart = end;
    return { type, pos, text };
  }

  private scanComment(first: number): void {
    let ch = first;
    if (ch === 0x23 || (ch === 0x2f && this.peek() !== 0x2a)) {
      if (ch === 0x2f && this.peek() !== 0x2f) {
        this.err("expected '/' for comment");
        return;
      }
      ch = this.next();
      while (ch !== 0x0a && ch !== EOF) ch = this.next();
      if (ch !== EOF) this.unread();
      return;
    }
    if (ch === 0x2f) {
      this.next();
      ch = this.next();
    }
    for (;;) {
      if (ch === EOF) {
        this.err("comment not terminated");
        break;
      }
      const ch0 = ch;
      ch = this.next();
      if (ch0 === 0x2a && ch === 0x2f) break;
    }
  }

  private scanNumber(first: number): TokenType {
    let ch = first;
    if (ch === 0x30) {
      ch = this.next();
      if (ch === 0x78 || ch === 0x58) {
        ch = this.next();
        let found = false;
        while (isHexadecimal(ch)) {
          ch = this.next();
          found = true;
        }
        if (!found) this.err("illegal hexadecimal number");
        if (ch !== EOF) this.unread();
        return "NUMBER";
      }
      let illegalOctal = false;
      while (isDecimal(ch)) {
        ch = this.next();
        if (ch === 0x38 || ch === 0x39) illegalOctal = true;
      }
      if (this.scanFloatTail(ch)) return "FLOAT";
      if (illegalOctal) this.err("illegal octal number");
      if (ch !== EOF) this.unread();
      return "NUMBER";
    }
    return this.scanDecimal(ch);
  }

  /** The digits of a number not starting with 0 (HCL) or any number (JSON), then its fraction and exponent. */
  private scanDecimal(first: number): TokenType {
    this.scanMantissa(first);
    const ch = this.next();
    if (this.scanFloatTail(ch)) return "FLOAT";
    if (ch !== EOF) this.unread();
    return "NUMBER";
  }

  /** After the integer digits: an exponent, or a fraction and maybe an exponent (then the number is a FLOAT). */
  private scanFloatTail(first: number): boolean {
    if (first === 0x65 || first === 0x45) {
      this.scanExponent(first);
      return true;
    }
    if (first !== 0x2e) return false;
    const ch = this.scanFraction(first);
    if (ch === 0x65 || ch === 0x45) this.scanExponent(this.next());
    return true;
  }

  private scanJsonNumber(first: number): TokenType {
    const zero = first === 0x30;
    const before = this.srcPos.offset;
    const type = this.scanDecimal(first);
    if (type === "NUMBER" && zero && before !== this.srcPos.offset) this.err("numbers cannot start with 0");
    return type;
  }

  private scanMantissa(first: number): number {
    let ch = first;
    let scanned = false;
    while (isDecimal(ch)) {
      ch = this.next();
      scanned = true;
    }
    if (scanned && ch !== EOF) this.unread();
    return ch;
  }

  private scanFraction(first: number): number {
    let ch = first;
    if (ch === 0x2e) {
      ch = this.peek();
      ch = this.scanMantissa(ch);
    }
    return ch;
  }

  private scanExponent(first: number): number {
    let ch = first;
    if (ch === 0x65 || ch === 0x45) {
      ch = this.next();
      if (ch === 0x2d || ch === 0x2b) ch = this.next();
      ch = this.scanMantissa(ch);
    }
    return ch;
  }

  private scanHeredoc(): void {
    if (this.next() !== 0x3c) {
      this.err("heredoc expected second '<', didn't see it");
      return;
    }
    const offs = this.srcPos.offset;
    let ch = this.next();
    if (ch === 0x2d) ch = this.next();
    while (isLetter(ch) || isDigit(ch)) ch = this.next();
    if (ch === EOF) {
      this.err("heredoc not terminated");
      return;
    }
    if (ch === 0x0d && this.peek() === 0x0a) ch = this.next();
    if (ch !== 0x0a) {
      this.err("invalid characters in heredoc anchor");
      return;
    }
    const ident = this.bytes.subarray(offs, this.srcPos.offset - this.lastCharLen);
    if (ident.length === 0 || (ident.length === 1 && ident[0] === 0x2d)) {
      this.err("zero-length heredoc anchor");
      return;
    }
    const anchor = ident[0] === 0x2d ? ident.subarray(1) : ident;
    // Go: regexp `^[[:space:]]*<anchor>\r*\z` (the anchor is letters and digits only).
    const closing = new RegExp(`^[\\t\\n\\v\\f\\r ]*${escapeRegExp(anchor.toString("utf8"))}\\r*$`, "u");
    let lineStart = this.srcPos.offset;
    for (;;) {
      const c = this.next();
      if (c === 0x0a) {
        const lineLen = this.srcPos.offset - this.lastCharLen - lineStart;
        const line = this.bytes.subarray(lineStart, this.srcPos.offset - this.lastCharLen).toString("utf8");
        if (lineLen >= ident.length && closing.test(line)) break;
        lineStart = this.srcPos.offset;
      }
      if (c === EOF) {
        this.err("heredoc not terminated");
        return;
      }
    }
  }

  private scanString(): void {
    let braces = 0;
    for (;;) {
      const ch = this.next();
      if ((ch === 0x0a && (braces === 0 || this.json)) || ch === EOF) {
        this.err("literal not terminated");
        return;
      }
      if (ch === 0x22 && (braces === 0 || this.json)) break;
      if (braces === 0 && ch === 0x24 && this.peek() === 0x7b) {
        braces++;
        this.next();
      } else if (braces > 0 && ch === 0x7b) {
        braces++;
      }
      if (braces > 0 && ch === 0x7d) braces--;
      if (ch === 0x5c) this.scanEscape();
    }
  }

  private scanEscape(): void {
    const ch = this.next();
    switch (ch) {
      case 0x61:
      case 0x62:
      case 0x66:
      case 0x6e:
      case 0x72:
      case 0x74:
      case 0x76:
      case 0x5c:
      case 0x22:
        break;
      case 0x78:
        this.scanDigits(this.next(), 16, 2);
        break;
      case 0x75:
        this.scanDigits(this.next(), 16, 4);
        break;
      case 0x55:
        this.scanDigits(this.next(), 16, 8);
        break;
      default:
        if (ch >= 0x30 && ch <= 0x37) this.scanDigits(ch, 8, 3);
        else this.err("illegal char escape");
    }
  }

  private scanDigits(first: number, base: number, count: number): void {
    let ch = first;
    let n = count;
    while (n > 0 && digitVal(ch) < base) {
      ch = this.next();
      if (ch === EOF && !this.json) break;
      n--;
    }
    if (n > 0) this.err("illegal char escape");
    if (this.json || (n !== count && ch !== EOF)) this.unread();
  }

  private scanIdentifier(): string {
    const offs = this.srcPos.offset - this.lastCharLen;
    let ch = this.next();
    while (isLetter(ch) || isDigit(ch) || ch === 0x2d || (ch === 0x2e && !this.json)) ch = this.next();
    if (ch !== EOF) this.unread();
    return this.bytes.subarray(offs, this.srcPos.offset).toString("utf8");
  }

  private err(msg: string): void {
    const s = this.srcPos;
    let pos: Pos;
    if (s.column > 0) pos = { offset: s.offset - this.lastCharLen, line: s.line, column: s.column };
    else if (this.lastLineLen > 0) pos = { offset: s.offset - this.lastCharLen, line: s.line - 1, column: this.lastLineLen };
    else pos = { offset: s.offset - this.lastCharLen, line: 1, column: 1 };
    this.error?.(pos, msg);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
