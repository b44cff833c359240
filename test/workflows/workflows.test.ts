/** The CI workflows, parsed: triggers, jobs, permissions and the steps reviewers rely on. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { configFor, ROOT } from "../helpers";

const workflow = (name: string) => parse(readFileSync(join(ROOT, ".github/workflows", name), "utf8"));
const runs = (job: any): string => job.steps.map((s: any) => s.run).filter(Boolean).join("\n");
const uses = (job: any): string[] => job.steps.map((s: any) => s.uses).filter(Boolean);
const STACKS = ["vault-backup-prod", "vault-cluster-prod", "vault-config-prod"];

/**
 * The job's vault-action login takes its URL and CA from scripts/vault-endpoint.js run on the synthesized
 * vault-config stack, i.e. the provider block's own address and ca_cert_file (test/scripts/vault-endpoint.test.ts).
 */
function expectVaultLoginFromProvider(job: any): void {
  const endpoint = job.steps.find((s: any) => s.id === "vault");
  expect(endpoint.run).toBe('node scripts/vault-endpoint.js cdktf.out/stacks/vault-config-prod/cdk.tf.json >> "$GITHUB_OUTPUT"');
  const login = job.steps.find((s: any) => s.uses === "hashicorp/vault-action@v3");
  expect(job.steps.indexOf(endpoint)).toBeLessThan(job.steps.indexOf(login));
  expect(login.with.url).toBe("${{ steps.vault.outputs.address }}");
  expect(login.with.caCertificate).toBe("${{ steps.vault.outputs.ca-cert-b64 }}");
}

describe("pull-request workflow", () => {
  const wf = workflow("pull-request.yml");

  it("runs on pull requests to main with read-only default permissions", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.on.pull_request.branches).toEqual(["main"]);
    expect(wf.permissions).toEqual({ contents: "read" });
  });

  it("installs with npm ci and runs the README's test command first", () => {
    expect(runs(wf.jobs.test)).toBe("npm ci\nnpm test");
  });

  it("installs terraform for the tests that run it (local state), the version the plans use", () => {
    const setup = wf.jobs.test.steps.find((s: any) => s.uses === "hashicorp/setup-terraform@v3");
    expect(setup.with.terraform_version).toBe("${{ env.TERRAFORM_VERSION }}");
    const steps = wf.jobs.test.steps;
    expect(steps.indexOf(setup)).toBeLessThan(steps.findIndex((s: any) => s.run === "npm test"));
  });

  it("synthesizes head and base, then writes the compliance report and the access diff", () => {
    const analyse = wf.jobs.analyse;
    expect(analyse.needs).toBe("test");
    const script = runs(analyse);
    expect(script).toContain("npm run synth");
    expect(script).toMatch(/git worktree add \.\.\/base "\$\{\{ github\.event\.pull_request\.base\.sha \}\}"/);
    expect(script).toContain("npm run report -- cdktf.out --base ../base/cdktf.out");
    expect(script).toContain("npm run --silent access -- diff ../base/cdktf.out cdktf.out > access-diff.md");
    expect(script.indexOf("npm run synth")).toBeLessThan(script.indexOf("npm run report"));
  });

  it("uploads the report's SARIF to code scanning with an action pinned by commit, after the report is written", () => {
    const analyse = wf.jobs.analyse;
    const steps: any[] = analyse.steps;
    const upload = steps.find((s) => typeof s.uses === "string" && s.uses.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@[0-9a-f]{40}$/);
    expect(upload.with.sarif_file).toBe("cdktf.out/compliance-report.sarif");
    expect(upload.with.category).toBe("vault-platform-compliance");
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.findIndex((s) => typeof s.run === "string" && s.run.includes("npm run report")));
    // Code scanning needs security-events: write (and actions: read in private repositories); nothing else is widened.
    expect(analyse.permissions).toEqual({ contents: "read", "security-events": "write", actions: "read" });
    // A fork's token cannot write security events: the upload is skipped there, not failed.
    expect(upload.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("plans every production stack with init, plan -out and show -json, through OIDC credentials", () => {
    const plan = wf.jobs.plan;
    expect(plan.strategy.matrix.include.map((m: any) => m.stack)).toEqual(STACKS);
    expect(plan.permissions["id-token"]).toBe("write");
    const script = runs(plan);
    expect(script).toContain("terraform init -input=false");
    expect(script).toContain("terraform plan -input=false -lock-timeout=5m -out=tfplan");
    expect(script).toContain('terraform show -json tfplan > "$RUNNER_TEMP/plan.json"');
    expect(script).toContain('npm run --silent plan-summary -- --synth-dir "$GITHUB_WORKSPACE/cdktf.out"');
    // The gate's exit status fails the job, after the summary is written and the JSON plan removed.
    expect(script).toMatch(/plan-summary[^\n]*\|\| status=\$\?\n\s*rm "\$RUNNER_TEMP\/plan\.json"\n\s*exit "\$status"/);
    expect(uses(plan)).toEqual(expect.arrayContaining(["aws-actions/configure-aws-credentials@v4", "hashicorp/vault-action@v3"]));
    const vault = plan.steps.find((s: any) => s.uses === "hashicorp/vault-action@v3");
    expect(vault.with).toMatchObject({ method: "jwt", role: "terraform-plan", exportToken: true });
    const planStep = plan.steps.find((s: any) => s.name === "terraform plan");
    expect(planStep.env.TF_VAR_vault_login).toBe("token");
  });

  it("plans vault-config on the in-cluster plan runner scale set of config/prod.yaml, the other stacks on GitHub-hosted runners", () => {
    const plan = wf.jobs.plan;
    expect(plan["runs-on"]).toBe("${{ matrix.runner }}");
    const runner = Object.fromEntries(plan.strategy.matrix.include.map((m: any) => [m.stack, m.runner]));
    expect(runner).toEqual({
      "vault-backup-prod": "ubuntu-24.04",
      "vault-cluster-prod": "ubuntu-24.04",
      "vault-config-prod": configFor("prod").cluster.planRunner.runsOn,
    });
  });

  it("logs in to Vault at the provider's own address with the provider's own CA, never a repository variable", () => {
    expectVaultLoginFromProvider(wf.jobs.plan);
    expect(JSON.stringify(wf)).not.toMatch(/vars\.VAULT_ADDR|VAULT_CA_CERT_B64/);
  });

  it("plans with the read-only Vault role, bound to the prod-plan environment", () => {
    expect(wf.jobs.plan.environment).toBe("prod-plan");
  });

  it("uploads the binary plans only past the gate, the summary always, and never the JSON plan", () => {
    const steps = wf.jobs.plan.steps;
    const gateAt = steps.findIndex((s: any) => typeof s.run === "string" && s.run.includes("plan-summary"));
    const uploads = steps.map((s: any, i: number) => ({ s, i })).filter(({ s }: any) => s.uses === "actions/upload-artifact@v4");
    const binary = uploads.find(({ s }: any) => s.with.name === "plan-${{ matrix.stack }}");
    const summary = uploads.find(({ s }: any) => s.with.name === "plan-summary-${{ matrix.stack }}");
    expect(binary.s.with.path).toContain("cdktf.out/stacks/${{ matrix.stack }}/tfplan");
    expect(binary.s.if).toBeUndefined();
    expect(binary.i).toBeGreaterThan(gateAt);
    expect(summary.s.if).toBe("always()");
    expect(summary.s.with.path).toBe("plan-${{ matrix.stack }}.md");
    for (const { s } of uploads) expect(s.with.path).not.toContain("plan.json");
    expect(runs(wf.jobs.plan)).toContain('rm "$RUNNER_TEMP/plan.json"');
  });

  it("uploads each stack's provider lock file with its plan (a dot file: upload-artifact skips those unless told)", () => {
    const upload = wf.jobs.plan.steps.find((s: any) => s.uses === "actions/upload-artifact@v4" && s.with.name === "plan-${{ matrix.stack }}");
    const paths: string[] = upload.with.path.trim().split("\n");
    expect(paths).toContain("cdktf.out/stacks/${{ matrix.stack }}/.terraform.lock.hcl");
    expect(upload.with["include-hidden-files"]).toBe(true);
    // Hidden files are on, so the upload must list files, never the stack directory (its .terraform/ holds providers).
    expect(paths.every((p) => !p.endsWith("/") && !p.endsWith("${{ matrix.stack }}"))).toBe(true);
  });

  it("posts report, access diff and plans as one sticky comment", () => {
    const comment = wf.jobs.comment;
    expect(comment.needs).toEqual(["analyse", "plan"]);
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    const sticky = comment.steps.find((s: any) => s.uses === "marocchino/sticky-pull-request-comment@v2");
    expect(sticky.with).toEqual({ header: "vault-platform", path: "comment.md" });
    // What the comment says is scripts/pr-comment.ts's, tested on real artifacts (test/scripts/pr-comment.test.ts)
    // and rehearsed job by job (test/rehearsal/pipeline.test.ts).
    expect(runs(comment)).toContain("npm run --silent pr-comment -- artifacts > comment.md");
  });
});

describe("deploy workflow", () => {
  const wf = workflow("deploy.yml");

  it("runs on pushes to main, one deployment at a time, never cancelled midway", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
    expect(wf.concurrency).toEqual({ group: "deploy-prod", "cancel-in-progress": false });
  });

  it("applies behind the prod environment's protection", () => {
    expect(wf.jobs.apply.environment).toBe("prod");
    expect(wf.jobs.apply.needs).toBe("find-plan");
  });

  it("applies vault-config on the in-cluster runner scale set, after the other stacks, behind the prod environment", () => {
    const job = wf.jobs["apply-config"];
    expect(job["runs-on"]).toBe(configFor("prod").cluster.deployRunner.runsOn);
    expect(job.environment).toBe("prod");
    expect(job.needs).toEqual(["find-plan", "apply"]);
    expect(job.permissions["id-token"]).toBe("write");
    expect(wf.jobs.apply["runs-on"]).toBe("ubuntu-24.04");
    expect(runs(wf.jobs.apply)).not.toContain("vault-config-prod && terraform apply");
    expectVaultLoginFromProvider(job);
    const downloads = job.steps.filter((s: any) => s.uses === "actions/download-artifact@v4").map((s: any) => s.with);
    expect(downloads.map((d: any) => d.name)).toEqual(["synth", "plan-vault-config-prod"]);
    for (const d of downloads) expect(d["run-id"]).toBe("${{ needs.find-plan.outputs.run-id }}");
  });

  // What the deploy does (downloads into each stack directory, the gate before the first apply, the reviewed plans
  // applied in dependency order, the pull-request run it finds) is rehearsed by running it:
  // test/rehearsal/pipeline.test.ts and test/rehearsal/cross-stack.test.ts.
});

describe("checkpoint calls", () => {
  // terraform and cdktf-cli both skip their calls to checkpoint-api.hashicorp.com when CHECKPOINT_DISABLE is
  // non-empty (cdktf-cli 0.21.0 reads it in @cdktf/commons); unreachable, that host prints a red error per command.
  it.each(["pull-request.yml", "deploy.yml"])("are off for every job of %s", (name) => {
    expect(workflow(name).env.CHECKPOINT_DISABLE).toBe("1");
  });

  it("are off for `npm run cdktf -- <command>`, the README's way to run the cdktf CLI", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.cdktf).toBe("CHECKPOINT_DISABLE=1 cdktf");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm run cdktf -- synth");
  });
});
