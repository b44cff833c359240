/** Tokens, positions and character classes of hashicorp/hcl v1 (hcl/token/token.go, hcl/scanner/scanner.go). */

/** A Go panic inside the parser or decoder: Vault fails the request, so the policy is not stored. */
export class GoPanic extends Error {}
export type TokenType =
  | "ILLEGAL"
  | "EOF"
  | "COMMENT"
  | "IDENT"
  | "NUMBER"
  | "FLOAT"
  | "BOOL"
  | "STRING"
  | "HEREDOC"
  | "LBRACK"
  | "LBRACE"
  | "COMMA"
  | "PERIOD"
  | "RBRACK"
  | "RBRACE"
  | "ASSIGN"
  | "ADD"
  | "SUB"
  | "COLON"
  | "NULL";

export interface Pos {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Token {
  type: TokenType;
  readonly pos: Pos;
  /** The source text of the token (quotes included for a STRING). */
  readonly text: string;
  /** Set on tokens read by the JSON parser (a STRING is then unquoted as JSON). */
  readonly json?: boolean;
}

/** Go's `token.Pos.String()`: `line:column`, or `-` for the zero position. */
export function posString(pos: Pos | undefined): string {
  return pos && pos.line > 0 ? `${pos.line}:${pos.column}` : "-";
}

export const EOF = 0;
export const RUNE_ERROR = 0xfffd;

export const isLetter = (ch: number) =>
  (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f || (ch >= 0x80 && /\p{L}/u.test(String.fromCodePoint(ch)));
export const isDigit = (ch: number) => (ch >= 0x30 && ch <= 0x39) || (ch >= 0x80 && /\p{Nd}/u.test(String.fromCodePoint(ch)));
export const isDecimal = (ch: number) => ch >= 0x30 && ch <= 0x39;
export const isHexadecimal = (ch: number) => isDecimal(ch) || (ch >= 0x61 && ch <= 0x66) || (ch >= 0x41 && ch <= 0x46);
export const isWhitespace = (ch: number) => ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
export function digitVal(ch: number): number {
  if (isDecimal(ch)) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  return 16;
}

