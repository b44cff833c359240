/**
 * docs/onboarding.md's worked example, applied as a new user applies it, to a copy of the repository: the config
 * entry merged into every config/<env>.yaml (a `[..., x]` list or a list under `# ... existing ...` is appended to),
 * the policy and its tests written to the files the step headings name, then step 4's commands run in the copy as
 * written, with `npm test` narrowed to the test files that read the config, policies and generated documents (the
 * whole suite is what CI runs on the real tree). Nothing here names the example: every name comes from the doc.
 * A tree where a user already onboarded the example (as the doc tells them to) keeps it once: what the tree already
 * holds (a list item with the same name or path, a policy file that exists) is left as the user wrote it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { ROOT } from "./helpers";

/** The test files a new application can break: they read config/, policies/ and the generated documents. */
const AFFECTED = [
  "test/onboarding.test.ts",
  "test/policies/policy-tests.test.ts",
  "test/scripts/pod-specs.test.ts",
  "test/scripts/tenant-guides.test.ts",
  "test/stacks/stateful-addresses.test.ts",
  "test/config/ca-namespaces.test.ts",
  "test/config/construct-ids.test.ts",
  "test/compliance/stateful-lock.test.ts",
];

interface Step {
  readonly heading: string;
  readonly blocks: { lang: string; body: string }[];
}

/** The `###` steps of the doc's worked example, each with its heading and fenced code blocks. */
function steps(markdown: string): Step[] {
  const start = markdown.indexOf("\n## Worked example");
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown
    .slice(start, end)
    .split("\n### ")
    .slice(1)
    .map((s) => ({ heading: s.slice(0, s.indexOf("\n")), blocks: [...s.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! })) }));
}

/** What identifies a list item: its name or path (config entries), or the value itself (names in a list). */
const identity = (item: unknown) => JSON.stringify(item && typeof item === "object" ? ((item as any).name ?? (item as any).path ?? item) : item);

/**
 * Appends the doc's lists to the config's at the same path (`[..., x]` and `# ... existing ...` both mean "append"),
 * leaving out items the config already holds under the same identity.
 */
function merge(config: Record<string, any>, entry: Record<string, any>, path = ""): void {
  for (const [key, value] of Object.entries(entry)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      if (!Array.isArray(config[key])) throw new Error(`the doc appends to ${at}, which the config does not have as a list`);
      const held = new Set(config[key].map(identity));
      config[key].push(...value.filter((v) => v !== "..." && !held.has(identity(v))));
    } else if (value && typeof value === "object") {
      merge((config[key] ??= {}), value, at);
    } else {
      config[key] = value;
    }
  }
}

const run = (cmd: string, cwd: string) =>
  spawnSync("bash", ["-c", cmd], { cwd, encoding: "utf8", env: { ...process.env, CI: "1" }, timeout: 540_000 });

describe("onboarding the docs/onboarding.md example verbatim", () => {
  const doc = readFileSync(join(ROOT, "docs", "onboarding.md"), "utf8");
  const [entryStep, policyStep, testsStep, checkStep] = steps(doc);
  const fileOf = (step: Step) => /\(`([^`]+)`\)/.exec(step.heading)![1]!;
  const entry = parse(entryStep!.blocks[0]!.body.replace(/\[\.\.\., /g, "["));
  const configFiles = (root: string) => readdirSync(join(root, "config")).filter((f) => f.endsWith(".yaml"));
  let dir: string;
  const results: Record<string, ReturnType<typeof run>> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vault-platform-verbatim-"));
    // The tracked tree as a fresh clone has it, with this checkout's node_modules (npm ci is not repeated).
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const f of files) cpSync(join(ROOT, f), join(dir, f), { force: true, errorOnExist: false, recursive: false });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));

    for (const f of configFiles(dir)) {
      const config = parseDocument(readFileSync(join(dir, "config", f), "utf8")).toJS();
      merge(config, entry);
      writeFileSync(join(dir, "config", f), JSON.stringify(config, null, 2));
    }
    for (const [step, lang] of [[policyStep!, "hcl"], [testsStep!, "yaml"]] as const) {
      if (!existsSync(join(dir, fileOf(step)))) writeFileSync(join(dir, fileOf(step)), step.blocks.find((b) => b.lang === lang)!.body);
    }

    for (const line of checkStep!.blocks.find((b) => b.lang === "sh")!.body.split("\n")) {
      const cmd = line.replace(/#.*$/, "").trim();
      if (!cmd) continue;
      results[cmd] = run(cmd === "npm test" ? `npx jest ${AFFECTED.join(" ")}` : cmd, dir);
    }
  }, 600_000);

  it("lists the commands a new user runs, npm test and synth among them", () => {
    expect(Object.keys(results)).toEqual(expect.arrayContaining(["npm test", "npm run synth"]));
  });

  it("onboards the example once: applied again to the onboarded configs, it changes nothing", () => {
    for (const f of configFiles(dir)) {
      const onboarded = parse(readFileSync(join(dir, "config", f), "utf8"));
      const again = structuredClone(onboarded);
      merge(again, entry);
      expect({ [f]: again }).toEqual({ [f]: onboarded });
    }
  });

  it("passes every command of step 4 in the doc's order", () => {
    const failed = Object.entries(results)
      .filter(([, r]) => r.status !== 0)
      .map(([cmd, r]) => `${cmd}: exit ${r.status}\n${(r.stderr + r.stdout).split("\n").filter((l) => /✕|●|refused|Error|error|fail/i.test(l)).slice(0, 30).join("\n")}`);
    expect(failed).toEqual([]);
  });

  it("synth says what it wrote: environments, stacks, resources, rules and where", () => {
    const synth = results["npm run synth"]!;
    expect(synth.stdout).toMatch(/synthesized \d+ environments? \([a-z0-9, -]+\): \d+ stacks, \d+ resources, \d+ compliance rules passed; output in \S*cdktf\.out/);
  });
});
