/**
 * The validated-config cache: a hit is the config validation gives, a config with a problem is never stored, any
 * change to the validation code misses, and a synth whose configs validated before loads neither zod nor yaml.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadEnvironments, validateEnvironment } from "../../config/load";
import { readYaml } from "../../config/yaml";
import { readValidated, validationFingerprint } from "../../config/validated-cache";
import { RULE_IDS } from "../../compliance/packs";
import { ROOT } from "../helpers";

const ENVIRONMENTS = readdirSync(join(ROOT, "config")).filter((f) => f.endsWith(".yaml"));

/** A config directory holding `file`'s text under a comment no earlier run has cached. */
function freshCopy(file: string, edit: (text: string) => string = (t) => t): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "vault-platform-validated-"));
  const text = `# ${randomUUID()}\n${edit(readFileSync(join(ROOT, "config", file), "utf8"))}`;
  writeFileSync(join(dir, file), text);
  return { dir, text };
}

describe("validated-config cache", () => {
  it.each(ENVIRONMENTS)("%s: the second read returns exactly the config validation gives", (file) => {
    const { dir, text } = freshCopy(file);
    expect(readValidated(text)).toBeUndefined();
    const [first] = loadEnvironments(dir, { ruleIds: RULE_IDS });
    const validated = validateEnvironment(readYaml(text).value).config;
    expect(readValidated(text)).toStrictEqual(validated);
    const [second] = loadEnvironments(dir, { ruleIds: RULE_IDS });
    expect(second.config).toStrictEqual(first.config);
  });

  it("stores no config with a problem: the second read reports it again", () => {
    const { dir, text } = freshCopy("prod.yaml", (t) => t.replace(/^(\s*replicas:) \d+$/m, "$1 4"));
    const problems = () => {
      try {
        loadEnvironments(dir, { ruleIds: RULE_IDS });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    const first = problems();
    expect(first.join("\n")).toMatch(/cluster\.replicas: .*\(got 4\)/);
    expect(readValidated(text)).toBeUndefined();
    expect(problems()).toEqual(first);
  });

  it("misses after any change to the validation code: an edited or an added source under config/", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "vault-platform-fingerprint-")), "config");
    cpSync(join(ROOT, "config"), dir, { recursive: true });
    const seen = [validationFingerprint(dir)];
    expect(validationFingerprint(dir)).toBe(seen[0]);
    appendFileSync(join(dir, "schema", "cluster.ts"), "\n// an edit\n");
    seen.push(validationFingerprint(dir));
    mkdirSync(join(dir, "schema", "more"));
    writeFileSync(join(dir, "schema", "more", "rule.ts"), "export const x = 1;\n");
    seen.push(validationFingerprint(dir));
    expect(new Set(seen).size).toBe(3);
  });

  it("lets a synth whose configs validated before load neither zod nor yaml", () => {
    const out = mkdtempSync(join(tmpdir(), "vault-platform-validated-synth-"));
    const preload = join(out, "modules.js");
    // Records every module the run loaded, as it exits.
    writeFileSync(preload, `process.on("exit", () => require("fs").writeFileSync(process.env.MODULES_FILE, JSON.stringify(Object.keys(require.cache))));\n`);
    const loaded = (run: string): string[] => {
      const modules = join(out, `${run}.json`);
      const r = spawnSync(process.execPath, ["--require", preload, "--require", "./scripts/register-ts.js", "main.ts"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: join(out, run), MODULES_FILE: modules },
        encoding: "utf8",
      });
      expect(r.stderr).toBe("");
      return (JSON.parse(readFileSync(modules, "utf8")) as string[]).filter((m) => /\/node_modules\/(zod|yaml)\/.*\.c?js$/.test(m));
    };
    loaded("first");
    expect(loaded("second")).toEqual([]);
  });
});
