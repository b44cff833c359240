import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_PACKS } from "../../compliance/packs";
import { renderRuleTable, withRuleTable } from "../../compliance/rule-table";
import { ROOT } from "../helpers";

describe("rule table", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("in README.md is current (run `npm run rules` after changing a rule)", () => {
    expect(withRuleTable(readme)).toBe(readme);
  });

  it("lists every rule of every pack once", () => {
    const table = renderRuleTable();
    for (const rule of ALL_PACKS.flatMap((p) => p.rules)) {
      expect(table.split("\n").filter((l) => l.startsWith(`| \`${rule.id}\` |`))).toHaveLength(1);
    }
  });
});

describe("rule definitions", () => {
  const rules = ALL_PACKS.flatMap((p) => p.rules);

  it("have unique, well-formed ids", () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) expect(r.id).toMatch(/^(VLT|VCF|AWS|K8S|DAT)-[A-Z0-9]+-\d{3}$/);
  });

  it("each say why (citing a source) and how to fix", () => {
    for (const r of rules) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(40);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.appliesTo.length).toBeGreaterThan(0);
    }
  });
});
