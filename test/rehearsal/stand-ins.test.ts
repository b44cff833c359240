/**
 * The stand-ins behave as the upstream code they cite: expressions as the runner evaluates them, upload-artifact's
 * root, download-artifact's destinations, gh run download's O_EXCL extraction, terraform's read-only lock file and
 * saved-plan checks, the network zones.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STANDIN_BIN } from "../../rehearsal/scenario";
import { actionFor } from "../../rehearsal/workflow/actions";
import { condition, evaluate, interpolate } from "../../rehearsal/workflow/expressions";
import type { ActionContext, World } from "../../rehearsal/workflow/model";
import { parseFileCommands } from "../../rehearsal/workflow/runner";
import { reachable } from "../../rehearsal/world";

const ok = { success: () => true, failure: () => false, always: () => true, cancelled: () => false };
const failed = { ...ok, success: () => false, failure: () => true };

describe("expressions", () => {
  const ctx = { matrix: { stack: "vault-config-prod" }, needs: { "find-plan": { outputs: { "run-id": "42" }, result: "success" } }, github: { event: { pull_request: { head: { repo: { full_name: "o/r" } } } }, repository: "O/R" } };
  it.each([
    ["matrix.stack == 'VAULT-config-prod'", true],
    ["needs.find-plan.outputs.run-id", "42"],
    ["needs['find-plan'].result == 'success' && matrix.stack", "vault-config-prod"],
    ["github.event.pull_request.head.repo.full_name == github.repository", true],
    ["github.missing.deeper", null],
    ["!contains('abc', 'B')", false],
    ["1 == '1'", true],
    ["format('{0}-{1}', 'a', 2)", "a-2"],
  ])("%s", (expr, value) => {
    expect(evaluate(expr, ctx, ok)).toEqual(value);
  });

  it("interpolates into strings and keeps the type of a whole expression", () => {
    expect(interpolate("plan-${{ matrix.stack }}", ctx, ok)).toBe("plan-vault-config-prod");
    expect(interpolate("${{ 1 == 1 }}", ctx, ok)).toBe(true);
  });

  it("implies success() unless a status function is named", () => {
    expect(condition("matrix.stack == 'vault-config-prod'", ctx, failed)).toBe(false);
    expect(condition("always() && matrix.stack == 'vault-config-prod'", ctx, failed)).toBe(true);
    expect(condition(undefined, ctx, failed)).toBe(false);
  });

  it("parses GITHUB_OUTPUT lines and heredocs, and refuses an unterminated one", () => {
    expect(parseFileCommands("a=1\nb<<EOF\nx\ny\nEOF\n")).toEqual({ a: "1", b: "x\ny" });
    expect(() => parseFileCommands("b<<EOF\nx\n")).toThrow(/Matching delimiter not found/);
  });
});

function actionContext(): { ctx: ActionContext; world: World } {
  const dir = mkdtempSync(join(tmpdir(), "stand-ins-"));
  const world: World = { dir, repoDir: dir, repository: "o/r", nodeModules: "", clusterRunners: {}, vars: {}, secrets: { repository: {}, environments: {} }, protectedEnvironments: {}, runnerGroups: {} };
  const workspace = join(dir, "ws");
  mkdirSync(join(workspace, "out", "stacks", "a"), { recursive: true });
  writeFileSync(join(workspace, "out", "stacks", "a", "tfplan"), "plan");
  writeFileSync(join(workspace, "out", "stacks", "a", ".terraform.lock.hcl"), "lock");
  writeFileSync(join(workspace, "out", "manifest.json"), "{}");
  const ctx: ActionContext = { world, runId: 1, job: "j", zone: "hosted", workspace, permissions: {}, expressions: {}, env: {} };
  return { ctx, world };
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(dir.length + 1)).sort();

describe("upload-artifact and download-artifact v4", () => {
  it("roots several paths at their common parent, one directory at itself, and skips hidden files unless told", () => {
    const { ctx, world } = actionContext();
    actionFor("actions/upload-artifact@v4")({ name: "two", path: "out/stacks/a/tfplan\nout/stacks/a/.terraform.lock.hcl" }, ctx);
    actionFor("actions/upload-artifact@v4")({ name: "hidden", path: "out/stacks/a/tfplan\nout/stacks/a/.terraform.lock.hcl", "include-hidden-files": "true" }, ctx);
    actionFor("actions/upload-artifact@v4")({ name: "dir", path: "out/" }, ctx);
    const art = (n: string) => join(world.dir, "runs", "1", "artifacts", n);
    expect(files(art("two"))).toEqual(["tfplan"]);
    expect(files(art("hidden"))).toEqual([".terraform.lock.hcl", "tfplan"]);
    expect(existsSync(join(art("dir"), "manifest.json"))).toBe(true);
    expect(() => actionFor("actions/upload-artifact@v4")({ name: "dir", path: "out/" }, ctx)).toThrow(/already exists/);
    expect(() => actionFor("actions/upload-artifact@v4")({ name: "none", path: "nothing/", "if-no-files-found": "error" }, ctx)).toThrow(/No files were found/);
  });

  it("downloads a named artifact into path (default the workspace) and all of them into path/<name>", () => {
    const { ctx } = actionContext();
    actionFor("actions/upload-artifact@v4")({ name: "hidden", path: "out/stacks/a/tfplan\nout/stacks/a/.terraform.lock.hcl", "include-hidden-files": "true" }, ctx);
    actionFor("actions/download-artifact@v4")({ name: "hidden" }, ctx);
    expect(existsSync(join(ctx.workspace, "tfplan"))).toBe(true);
    actionFor("actions/download-artifact@v4")({ path: "all" }, ctx);
    expect(existsSync(join(ctx.workspace, "all", "hidden", ".terraform.lock.hcl"))).toBe(true);
  });
});

describe("stand-in executables", () => {
  const tool = (name: string, args: string[], cwd: string, env: Record<string, string>) =>
    spawnSync(join(STANDIN_BIN, name), args, { cwd, encoding: "utf8", env: { ...process.env, PATH: `${STANDIN_BIN}:${process.env.PATH}`, ...env } });

  it("gh run download extracts one named artifact into -D and refuses to overwrite a file", () => {
    const { ctx, world } = actionContext();
    actionFor("actions/upload-artifact@v4")({ name: "p", path: "out/stacks/a/tfplan" }, ctx);
    writeFileSync(join(world.dir, "runs.json"), JSON.stringify([{ id: 1, workflow: "x", headSha: "s", conclusion: "success" }]));
    const dest = join(world.dir, "dest");
    mkdirSync(dest);
    expect(tool("gh", ["run", "download", "1", "-n", "p", "-D", dest], dest, { REHEARSAL_WORLD: world.dir }).status).toBe(0);
    expect(readFileSync(join(dest, "tfplan"), "utf8")).toBe("plan");
    const again = tool("gh", ["run", "download", "1", "-n", "p", "-D", dest], dest, { REHEARSAL_WORLD: world.dir });
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/tfplan already exists/)]);
  });

  it("terraform init -lockfile=readonly fails without the lock file; show and apply need the plan file where they run", () => {
    const { world } = actionContext();
    const stack = join(world.dir, "stack");
    mkdirSync(stack);
    writeFileSync(join(stack, "cdk.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } } }));
    const env = { REHEARSAL_WORLD: world.dir, AWS_ACCESS_KEY_ID: "x" };
    expect(tool("terraform", ["init", "-lockfile=readonly"], stack, env).stderr).toMatch(/Provider dependency changes detected/);
    expect(tool("terraform", ["init"], stack, env).status).toBe(0);
    expect(tool("terraform", ["show", "-json", "tfplan"], stack, env).stderr).toMatch(/open tfplan: no such file/);
    expect(tool("terraform", ["plan", "-out=tfplan"], stack, env).status).toBe(0);
    expect(tool("terraform", ["apply", "tfplan"], stack, env).status).toBe(0);
    expect(tool("terraform", ["apply", "tfplan"], stack, env).stderr).toMatch(/Saved plan is stale/);
  });

  it("terraform plans a list output that is unchanged as no change, and output -json types it as real terraform does", () => {
    // The same configuration (outputs only: no provider is downloaded) through the real binary and the stand-in.
    const config = JSON.stringify({ output: { l: { value: ["arn:aws:iam::1:role/a"] }, s: { value: "x" } } });
    const run = (bin: "terraform" | "stand-in") => {
      const { world } = actionContext();
      const dir = join(world.dir, bin);
      mkdirSync(dir);
      writeFileSync(join(dir, bin === "stand-in" ? "cdk.tf.json" : "main.tf.json"), config);
      const env = { REHEARSAL_WORLD: world.dir, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };
      const exec = (a: string[]) => (bin === "stand-in" ? tool("terraform", a, dir, env) : spawnSync("terraform", a, { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } }));
      exec(["init", "-input=false"]);
      exec(["apply", "-auto-approve", "-input=false"]);
      return { plan: exec(["plan", "-detailed-exitcode", "-input=false"]).status, outputs: JSON.parse(exec(["output", "-json"]).stdout) };
    };
    const real = run("terraform");
    expect(real.plan).toBe(0);
    expect(run("stand-in")).toEqual(real);
  });
});

describe("network zones", () => {
  it("resolve in-cluster service names only from in-cluster runners", () => {
    expect([reachable("hosted", "vault-active.vault.svc"), reachable("cluster", "vault-active.vault.svc"), reachable("hosted", "sts.amazonaws.com")]).toEqual([false, true, true]);
    expect(reachable("workstation", "127.0.0.1")).toBe(true);
  });
});
