/**
 * Every string Terraform reads as an expression is a template: in JSON configuration too, `${` starts an
 * interpolation and `%{` a directive (Terraform docs, "JSON Configuration Syntax": expressions in JSON strings), so a
 * shell script's `${VAR:-default}` embedded in a resource is a syntax error at the first plan. Real Terraform reads
 * every such string of every synthesized stack (as locals, which need no provider) and must find nothing but
 * references to the stack's own objects, which it cannot see here.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, parseDocument } from "yaml";
import { RELOADER_SCRIPT } from "../../constructs/vault-reloader";
import { ROOT } from "../helpers";
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

/** Every template syntax error real Terraform finds in the strings of the synthesized stacks under `outdir`. */
function templateErrors(outdir: string, scratch: string): string[] {
  const errors: string[] = [];
  for (const stack of readdirSync(join(outdir, "stacks"))) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const strings = ["resource", "data", "provider", "output"].flatMap((section) => templates(json[section] ?? {}));
    const dir = join(scratch, stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ locals: Object.fromEntries(strings.map((s, i) => [`s${i}`, s])) }));
    terraform(dir, "init", "-input=false", "-no-color");
    const diagnostics = JSON.parse(runTerraform(dir, "validate", "-json", "-no-color").stdout).diagnostics as { summary: string }[];
    for (const d of diagnostics.filter((x) => !UNRESOLVED.has(x.summary))) errors.push(`${stack}: ${d.summary}`);
  }
  return errors;
}

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
    expect(templateErrors(outdir, join(scratch, "check"))).toEqual([]);
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

describe("user text that looks like a template (a policy comment, a mount description)", () => {
  it("reaches Vault as written: synth escapes it, so no plan fails on it", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "terraform-templates-user-"));
    const [configDir, policyDir] = [join(scratch, "config"), join(scratch, "policies")];
    cpSync(join(ROOT, "config"), configDir, { recursive: true });
    cpSync(join(ROOT, "policies"), policyDir, { recursive: true });
    const [policy] = readdirSync(policyDir).filter((f) => f.endsWith(".hcl"));
    appendFileSync(join(policyDir, policy), "\n# rotated by ${ROTATOR:-ops} %{ if not a directive }\n");
    const doc = parseDocument(readFileSync(join(configDir, "dev.yaml"), "utf8"));
    doc.setIn(["vault", "kv", 0, "description"], "Team secrets (${TEAM}) %{ endif }");
    writeFileSync(join(configDir, "dev.yaml"), doc.toString());
    const outdir = join(scratch, "cdktf.out");
    const run = await runSynth({ CDKTF_OUTDIR: outdir, VAULT_PLATFORM_CONFIG_DIR: configDir, VAULT_PLATFORM_POLICY_DIR: policyDir }, { timeoutMs: 120_000 });
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(templateErrors(outdir, join(scratch, "check"))).toEqual([]);
  }, 180_000);
});
