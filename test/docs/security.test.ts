/**
 * docs/security.md is a threat model whose every cell names the tests that show it: each cell names at least one
 * test id, every id is listed, and every listed test exists in its file (by its name, as jest shows it).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers";

const doc = readFileSync(join(ROOT, "docs", "security.md"), "utf8");
const rows = (heading: RegExp) =>
  doc
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| ---"))
    .map((l) => l.slice(2, -2).split(" | "))
    .filter((cells) => heading.test(cells[0]) === false);

const matrix = rows(/^(actor|id)$/).filter((cells) => cells.length === 9);
const tests = new Map(rows(/^(actor|id)$/).filter((cells) => cells.length === 2).map(([id, test]) => [id, test]));

describe("docs/security.md", () => {
  it("has the eight actors, each with a cell for each of the eight assets", () => {
    expect(matrix).toHaveLength(8);
  });

  it.each(matrix.map((cells) => [cells[0], cells] as const))("%s: every cell says what protects the asset and names its tests", (_actor, cells) => {
    for (const cell of cells.slice(1)) {
      const ids = [...cell.matchAll(/\bT(\d+)\b/g)].map((m) => `T${m[1]}`);
      expect({ cell, named: ids.length > 0, known: ids.every((id) => tests.has(id)) }).toEqual({ cell, named: true, known: true });
    }
  });

  it.each([...tests].map(([id, test]) => [id, test]))("%s exists: %s", (_id, test) => {
    const m = /^`([^`]+)` › (.+)$/.exec(test)!;
    expect(m).not.toBeNull();
    const file = join(ROOT, m[1]);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toContain(m[2]);
  });
});
