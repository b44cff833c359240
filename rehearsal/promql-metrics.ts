/**
 * Which metric names a PromQL expression reads, and which metric names the alert tests' input series emit.
 * Imported by tests only.
 */
import { readFileSync } from "node:fs";
import * as ts from "typescript";

/** PromQL keywords and aggregation modifiers that look like identifiers (prometheus/promql/parser/lex.go). */
const KEYWORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2"]);

/**
 * The metric names an expression selects: identifiers that are not functions (followed by `(`), keywords, label
 * names inside `{...}` or grouping lists `by (...)`, or durations inside `[...]`. String literals are removed first.
 */
export function metricNames(expr: string): Set<string> {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  s = s.replace(/\{[^}]*\}/g, " ").replace(/\[[^\]]*\]/g, " ");
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const out = new Set<string>();
  for (const m of s.matchAll(/(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = s.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith("(") || KEYWORDS.has(m[0].toLowerCase())) continue;
    // A duration after `offset` (1h) or a number (1e3) starts with a digit: the lookbehind skips its letters.
    out.add(m[0]);
  }
  return out;
}

/**
 * The metric names of the input series built in `files` (TypeScript sources): the string literal `name` of an object
 * literal that also has `labels` and `values` (a Series), and the string literal first argument of a function in the
 * same file whose first parameter is `name` and which returns such an object.
 */
export function modelledMetricNames(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const builders = new Set<string>();
    const isSeries = (o: ts.ObjectLiteralExpression): boolean => {
      const keys = o.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : ""));
      return keys.includes("name") && keys.includes("labels") && keys.includes("values");
    };
    const visitBuilders = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isArrowFunction(node.initializer)) {
        const fn = node.initializer;
        const first = fn.parameters[0];
        let returnsSeries = false;
        const find = (n: ts.Node): void => {
          if (ts.isObjectLiteralExpression(n) && isSeries(n)) returnsSeries = true;
          ts.forEachChild(n, find);
        };
        find(fn.body);
        if (first && ts.isIdentifier(first.name) && first.name.text === "name" && returnsSeries) builders.add(node.name.text);
      }
      ts.forEachChild(node, visitBuilders);
    };
    visitBuilders(source);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node) && isSeries(node)) {
        for (const p of node.properties) {
          if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "name" && ts.isStringLiteral(p.initializer)) out.add(p.initializer.text);
        }
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && builders.has(node.expression.text)) {
        const arg = node.arguments[0];
        if (arg && ts.isStringLiteral(arg)) out.add(arg.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
