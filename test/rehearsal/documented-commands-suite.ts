/* eslint-disable jest/no-export -- the suite two test files run, one per jest worker (README.md and docs/) */
/**
 * Every `npm`, `npx cdktf` and `terraform` command in README.md and docs/, run in document order from a person's
 * workstation through the real npm and cdktf-cli (their own argument and stack-dependency checks included), with
 * the stand-in terraform first on PATH. A command the docs only name, or that is another suite's job, is listed
 * below with what runs instead; the test fails when such an entry is no longer in the docs.
 *
 * Two suites, each in its own workstation and jest worker (about a minute each): README.md's commands, and those of
 * docs/ (each document's commands in its own order after the same first synth).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { documentedCommands, markdownFiles, runDocumented, Workstation, workstation } from "../../rehearsal/documented-commands";
import { PROJECT } from "../../rehearsal/scenario";
import { runnerPodMounts } from "../../rehearsal/workflow/runner";
import { configFor } from "../helpers";

const ENVS = ["dev", "prod"];

/** Run elsewhere, with the reason. */
export const ELSEWHERE: Record<string, string> = {
  "npm ci": "made this tree (node_modules); .ci/run runs it on a fresh clone",
  "npm test": "the suite this test is part of; .ci/run runs it",
  "npm run test:browser": ".ci/run runs it after npm test, with Debian's Chromium",
  "npm run bench": "a measurement of several minutes, run on a quiet machine; never timed in a test",
  "terraform init": "a step of the pull-request workflow, run job by job in test/rehearsal/pipeline.test.ts",
  "terraform plan -out": "a step of the pull-request workflow, run job by job in test/rehearsal/pipeline.test.ts",
  "terraform show -json": "a step of both workflows, run job by job in test/rehearsal/pipeline.test.ts",
  "terraform show -json tfplan": "a step of the deploy workflow, run job by job in test/rehearsal/pipeline.test.ts",
  "terraform apply": "a step of the deploy workflow, run job by job in test/rehearsal/pipeline.test.ts",
  "npm run access -- diff ../base/cdktf.out cdktf.out": "the analyse job's step with the base synthesized beside it, run in test/rehearsal/pipeline.test.ts",
};

/** Commands the docs name without arguments (or with a synopsis): what is run for them. */
export const CONCRETE: Record<string, string> = {
  "npm run cdktf -- <command>": "npm run cdktf -- --version",
  "npx cdktf <command>": "CHECKPOINT_DISABLE=1 npx cdktf --version",
  "npx cdktf": "CHECKPOINT_DISABLE=1 npx cdktf --version",
  "npm run access": "npm run access -- who auth/token/renew-self",
  "npm run access -- ...": "npm run access -- who auth/token/renew-self",
  "npm run plan-summary": "npm run plan-summary -- <stack>=<plan.json>",
  "npm run plan-summary -- [--synth-dir cdktf.out] <stack>=<plan.json> [...]": "npm run plan-summary -- --synth-dir cdktf.out <stack>=<plan.json>",
  "npm run report -- cdktf.out --restore-drill <restore-drill-result.json>": "npm run report -- cdktf.out --restore-drill restore-drill-result.json",
  // The output as its own base: the first screen then says no access changed.
  "npm run report -- cdktf.out --base <base cdktf.out>": "npm run report -- cdktf.out --base cdktf.out",
};

/**
 * Files the docs' commands read that another documented step writes: the restore drill's result (the artifact of
 * the scheduled drill), made here by the drill's own documented command in its dry-run mode (docs/restore-drill.md).
 */
const PRODUCED_BY: Record<string, string> = {
  "restore-drill-result.json":
    "scripts/restore-drill.sh --dry-run --env prod --bucket vault-platform-prod-raft-snapshots --region eu-west-2 " +
    "--vault-addr https://vault-drill.vault-restore-drill.svc:8200 --scratch-namespace vault-restore-drill " +
    "--database postgres.phoenix-guardian.svc:5432 --result-file restore-drill-result.json > /dev/null",
};

/** Documented as run from the in-cluster runner (the only place all three stacks are reachable from). */
export const IN_CLUSTER = new Set(["npm run cdktf -- deploy '*-prod'"]);

export const documented = documentedCommands(PROJECT, markdownFiles(PROJECT));
const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT, encoding: "utf8" }).split("\n").filter(Boolean);

/** A plan of dev's backup stack, for the plan-summary commands: stand-in terraform init, plan -out, show -json. */
function planJson(ws: Workstation): string {
  const dir = join(ws.dir, "cdktf.out", "stacks", "vault-backup-dev");
  for (const args of [["init", "-input=false"], ["plan", "-input=false", "-out=tfplan"]]) {
    const r = spawnSync("terraform", args, { cwd: dir, env: ws.env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`terraform ${args[0]}: ${r.stderr}`);
  }
  const file = join(ws.dir, "..", "vault-backup-dev.plan.json");
  execFileSync("bash", ["-c", `terraform show -json tfplan > '${file}'`], { cwd: dir, env: ws.env });
  return file;
}

/** `<env>` expanded to each environment; other placeholders filled; deploys approved (the prompt needs a TTY). */
function concrete(text: string, plan: () => string): string[] {
  const base = CONCRETE[text] ?? text;
  const forEnv = base.includes("<env>") ? ENVS.map((env) => base.replaceAll("<env>", env)) : [base];
  return forEnv.map((c) => {
    let out = c.replace("<stack>=<plan.json>", () => `vault-backup-dev=${plan()}`).replace(/<[^>]+>/g, "rehearsal-placeholder");
    if (/ cdktf -- (deploy|destroy)\b/.test(out) && !out.includes("--auto-approve")) out += " --auto-approve";
    return out;
  });
}

export function describeDocumentedCommands(part: "README.md" | "docs/"): void {
  const mine = documented.filter((c) => (part === "README.md" ? c.where.startsWith("README.md:") : !c.where.startsWith("README.md:")));
  describe(`documented commands of ${part}`, () => {
    let ws: Workstation;
    let plan: string | undefined;
    beforeAll(() => {
      ws = workstation(PROJECT, files);
      for (const command of ["npm run synth", ...Object.values(PRODUCED_BY)]) {
        const r = runDocumented(ws, command);
        if (r.status !== 0) throw new Error(`${command}: ${r.output}`);
      }
    }, 120_000);

    it.each(mine.filter((c) => !(c.text in ELSEWHERE)).map((c) => [`${c.where}: ${c.text}`, c] as const))("%s", (_name, c) => {
      for (const command of concrete(c.text, () => (plan ??= planJson(ws)))) {
        const inCluster = IN_CLUSTER.has(c.text);
        const wrap = inCluster ? runnerPodMounts(join(ws.dir, ".."), configFor("prod").cluster.deployRunner.caCertFile) : [];
        const env = inCluster ? { ...ws, env: { ...ws.env, REHEARSAL_ZONE: "cluster", VAULT_TOKEN: "hvs.rehearsal", TF_VAR_vault_login: "token", TF_VAR_database_root_password_phoenix_guardian_db: "rehearsal", TF_VAR_oidc_client_secret: "rehearsal" } } : ws;
        const r = runDocumented(env, command, c.exports, wrap);
        expect({ command, status: r.status, output: r.status === 0 ? "" : r.output.slice(-3000) }).toEqual({ command, status: 0, output: "" });
      }
    });
  });
}
