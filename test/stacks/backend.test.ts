/**
 * Local state, proven with the real `terraform` binary: two stacks synthesized with `configureBackend` into a
 * scratch repository, the first applied, the second reading its output through the `terraform_remote_state` cdktf
 * generates. Only Terraform's built-in provider is used, so nothing is downloaded. Then synth runs again and the
 * state survives it. The pull-request workflow installs terraform before `npm test`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformLocal, TerraformOutput, TerraformStack } from "cdktf";
import { configureBackend, LOCAL_STATE_DIR, localStatePath } from "../../stacks/backend";
import { terraform as run } from "../terraform";

const LOCAL = { type: "local" } as const;

/** Synthesizes a writer and a reader stack the way main.ts lays them out: `<repo>/cdktf.out/stacks/<stack>/`. */
function synthesize(repo: string, value: string): void {
  const outdir = join(repo, "cdktf.out");
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const writer = new TerraformStack(app, "writer-dev");
  configureBackend(writer, "writer-dev", LOCAL);
  const handle = new TerraformLocal(writer, "handle", value);
  new TerraformOutput(writer, "handle_out", { value: handle.expression });
  const reader = new TerraformStack(app, "reader-dev");
  configureBackend(reader, "reader-dev", LOCAL);
  // A cross-stack reference: cdktf turns it into an output of the writer and a terraform_remote_state here.
  new TerraformOutput(reader, "seen", { value: handle.expression });
  app.synth();
}

const terraform = (repo: string, stack: string, ...args: string[]) => run(join(repo, "cdktf.out", "stacks", stack), ...args);

describe("local state", () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "vault-platform-state-"));
    mkdirSync(repo, { recursive: true });
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("is a path relative to the stack directory, outside cdktf.out, with nothing machine-specific", () => {
    synthesize(repo, "v1");
    const json = JSON.parse(readFileSync(join(repo, "cdktf.out", "stacks", "reader-dev", "cdk.tf.json"), "utf8"));
    expect(json.terraform.backend.local.path).toBe(localStatePath("reader-dev"));
    const remote = Object.values(json.data.terraform_remote_state) as { backend: string; config: { path: string } }[];
    expect(remote).toEqual([expect.objectContaining({ backend: "local", config: { path: localStatePath("writer-dev") } })]);
    expect(JSON.stringify(json)).not.toContain(repo);
  });

  it("is written by terraform at <repo>/.state/<stack>.tfstate and read back by the other stack's remote state", () => {
    synthesize(repo, "v1");
    terraform(repo, "writer-dev", "init", "-input=false", "-no-color");
    terraform(repo, "writer-dev", "apply", "-input=false", "-auto-approve", "-no-color");
    expect(existsSync(join(repo, LOCAL_STATE_DIR, "writer-dev.tfstate"))).toBe(true);
    terraform(repo, "reader-dev", "init", "-input=false", "-no-color");
    terraform(repo, "reader-dev", "apply", "-input=false", "-auto-approve", "-no-color");
    expect(terraform(repo, "reader-dev", "output", "-raw", "seen")).toBe("v1");
  }, 60_000);

  it("survives a new synth, which replaces cdktf.out", () => {
    synthesize(repo, "v2");
    terraform(repo, "writer-dev", "init", "-input=false", "-no-color");
    // The state from before the synth is still there: the plan changes the existing output, it creates nothing.
    expect(terraform(repo, "writer-dev", "output", "-raw", "handle_out")).toBe("v1");
    terraform(repo, "writer-dev", "apply", "-input=false", "-auto-approve", "-no-color");
    terraform(repo, "reader-dev", "init", "-input=false", "-no-color");
    terraform(repo, "reader-dev", "apply", "-input=false", "-auto-approve", "-no-color");
    expect(terraform(repo, "reader-dev", "output", "-raw", "seen")).toBe("v2");
  }, 60_000);
});
