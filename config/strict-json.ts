/**
 * JSON read strictly: `JSON.parse` keeps the last of two equal keys (`{"errored": true, "errored": false}` reads as
 * false), and recurses without a bound. A tokenizer pass first refuses duplicate keys and nesting deeper than
 * `maxDepth`, naming the line; then `JSON.parse` reads the value (its syntax errors are reported as they are).
 * The pass is iterative, so a 1,000,000-deep input costs a loop, not the stack.
 */

export const MAX_JSON_DEPTH = 64;

/** Line (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The end (exclusive) of the JSON string starting at `start` (a `"`), or -1 when it does not end. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++; // backslash: skip the escaped character
    else if (c === 34) return i + 1;
  }
  return -1;
}

/** The first duplicate key or too-deep nesting in `text`, as a message, or undefined. Syntax is left to JSON.parse. */
export function jsonStructureProblem(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  // One frame per open container: the keys seen (objects) or null (arrays), and whether a key is expected next.
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") {
      if (stack.length >= maxDepth) return `nesting deeper than ${maxDepth} levels at line ${lineOf(text, i)}`;
      stack.push({ keys: c === "{" ? new Set() : null, expectKey: c === "{" });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined; // unterminated: JSON.parse says where
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end)) as string;
        } catch {
          return undefined; // a bad escape: JSON.parse says where
        }
        if (top.keys.has(key)) return `duplicate key ${JSON.stringify(key)} at line ${lineOf(text, i)} (JSON readers disagree on which one counts)`;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end - 1;
    }
  }
  return undefined;
}

/** Parses `text` as JSON with no duplicate keys and bounded nesting; the problem (without the file name) otherwise. */
export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): { value: unknown; problem?: undefined } | { value?: undefined; problem: string } {
  const structure = jsonStructureProblem(text, maxDepth);
  if (structure) return { problem: structure };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { problem: `not JSON (${(e as Error).message})` };
  }
}
