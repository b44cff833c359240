/**
 * Every string Terraform reads as an expression is a template: in JSON configuration too, `${` starts an
 * interpolation and `%{` a directive (Terraform docs, "JSON Configuration Syntax": expressions in JSON strings), so a
 * shell script's `${VAR:-default}` embedded in a resource is a syntax error at the first plan. Real Terraform reads
 * every such string of every synthesized stack (as locals, which need no provider) and must find nothing but
 * references to the stack's own objects, which it cannot see here.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { RELOADER_SCRIPT } from "../../constructs/vault-reloader";
import { runSynth } from "../synth-process";
import { runTerraform, terraform } from "../terraform";

/** Keys whose values Terraform does not read as templates (cdktf metadata, references, meta-arguments). */
const NOT_TEMPLATES = new Set(["//", "depends_on", "provider", "lifecycle"]);

function templates(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => templates(v, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (!NOT_TEMPLATES.has(k)) templates(v, out);
  return out;
}

/** What Terraform says of references it cannot resolve without the stack's resources and variables. */
const UNRESOLVED = new Set(["Reference to undeclared resource", "Reference to undeclared input variable"]);

describe("synthesized strings as Terraform reads them", () => {
  let outdir: string;
  let scratch: string;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "terraform-templates-"));
    outdir = join(scratch, "cdktf.out");
    const run = await runSynth({ CDKTF_OUTDIR: outdir }, { timeoutMs: 120_000 });
    if (run.status !== 0) throw new Error(run.stderr);
  }, 150_000);

  it("holds no template syntax error in any stack (a literal ${ or %{ is escaped as $${ or %%{)", () => {
    const errors: string[] = [];
    for (const stack of readdirSync(join(outdir, "stacks"))) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      const strings = ["resource", "data", "provider", "output"].flatMap((section) => templates(json[section] ?? {}));
      const dir = join(scratch, "check", stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ locals: Object.fromEntries(strings.map((s, i) => [`s${i}`, s])) }));
      terraform(dir, "init", "-input=false", "-no-color");
      const diagnostics = JSON.parse(runTerraform(dir, "validate", "-json", "-no-color").stdout).diagnostics as { summary: string; range?: { start: { line: number } } }[];
      for (const d of diagnostics.filter((x) => !UNRESOLVED.has(x.summary))) errors.push(`${stack}: ${d.summary}`);
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it("hands Helm the reloader's script exactly as written, once Terraform has evaluated the values", () => {
    const stack = readdirSync(join(outdir, "stacks")).find((s) => s.startsWith("vault-cluster-"))!;
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const [values] = Object.values(json.resource.helm_release as Record<string, { values: string[] }>)[0].values;
    const dir = join(scratch, "evaluate");
    mkdirSync(dir, { recursive: true });
    // The values' references to the backup stack's outputs stand in as plain text: only the literals matter here.
    const literalOnly = values.replace(/(?<!\$)\$\{data\.[^}]*\}/g, "reference");
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ output: { values: { value: literalOnly } } }));
    terraform(dir, "init", "-input=false", "-no-color");
    terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color");
    const evaluated = parseYaml(JSON.parse(terraform(dir, "output", "-json", "values")));
    const commands = (evaluated.server.extraContainers as { command?: string[] }[]).map((c) => c.command?.[2]);
    expect(commands).toContain(RELOADER_SCRIPT);
  }, 120_000);
});

