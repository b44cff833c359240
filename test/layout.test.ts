/**
 * The layout is the architecture: imports run one way (config <- constructs <- stacks <- main; access and
 * compliance read config and the synthesized output; compliance may use access) and no source file grows past
 * 400 lines. Read from the source tree, so a new file is checked without being listed here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./helpers";

const MODULES = ["config", "constructs", "stacks", "access", "compliance", "synthesized", "document", "scripts", "rehearsal"] as const;
type Module = (typeof MODULES)[number] | "main";

/** What each module may import (besides itself and packages). */
const ALLOWED: Record<Module, readonly Module[]> = {
  config: [],
  constructs: ["config"],
  stacks: ["config", "constructs"],
  synthesized: ["config"],
  document: [],
  access: ["config", "synthesized", "document"],
  compliance: ["config", "synthesized", "document", "access"],
  main: ["config", "constructs", "stacks", "access", "compliance", "synthesized"],
  scripts: ["config", "constructs", "stacks", "access", "compliance", "synthesized", "document"],
  // Rehearsal harnesses are imported by tests only: no module lists it.
  rehearsal: ["config", "synthesized"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function moduleOf(file: string): Module | undefined {
  const rel = relative(ROOT, file);
  if (rel === "main.ts") return "main";
  const top = rel.split(/[\\/]/)[0];
  return (MODULES as readonly string[]).includes(top) ? (top as Module) : undefined;
}

const files = [join(ROOT, "main.ts"), ...MODULES.flatMap((m) => sourceFiles(join(ROOT, m)))];

describe("source layout", () => {
  it("imports run one way between the top-level modules", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = moduleOf(file)!;
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const to = moduleOf(resolve(dirname(file), spec));
        if (to && to !== from && !ALLOWED[from].includes(to)) upward.push(`${relative(ROOT, file)} imports ${spec} (${from} -> ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("no source file is over 400 lines", () => {
    const long = files
      .map((f) => [relative(ROOT, f), readFileSync(f, "utf8").split("\n").length] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });
});
