/**
 * A rehearsal scenario: a throwaway git repository holding this project's working tree as a pull request (base,
 * head, the merge GitHub builds for the pull request, and the commit that lands on main), the GitHub around it
 * (runner scale sets from each environment's config, repository variables, environment secrets), and production
 * state as the manual bootstrap leaves it (every production stack of the base applied once).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { validateEnvironment } from "../config/load";
import type { EnvironmentConfig } from "../config/schema";
import { environmentName, expectedSetup, workflowFiles, type GitHubSetup } from "../config/github-setup";
import type { World } from "./workflow/model";

export const PROJECT = resolve(__dirname, "..");
export const STANDIN_BIN = join(__dirname, "bin");
const REPOSITORY = "example-org/vault-platform";

export interface Scenario {
  readonly world: World;
  readonly baseSha: string;
  readonly headSha: string;
  /** refs/pull/<n>/merge: what the pull_request workflow runs on. */
  readonly prMergeSha: string;
  /** The squash merge that lands on main: what the push workflow runs on. */
  readonly mainSha: string;
  readonly prNumber: number;
  /** The base synthesized (cdktf.out of the base commit). */
  readonly baseSynth: string;
  readonly dir: string;
}

type Job = Record<string, unknown>;
type Workflow = { on?: Record<string, unknown>; jobs?: Record<string, Job> };

/** The environment configs of a tree (config/*.yaml), validated. */
export function configsIn(root: string): EnvironmentConfig[] {
  return readdirSync(join(root, "config"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => validateEnvironment(parse(readFileSync(join(root, "config", f), "utf8"))).config!);
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=rehearsal", "-c", "user.email=rehearsal@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The files a checkout of this working tree holds: tracked and untracked, not ignored. */
function projectFiles(): string[] {
  return execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: PROJECT, encoding: "utf8" }).split("\0").filter((f) => f && existsSync(join(PROJECT, f)));
}

/** Synthesizes a commit of the scenario repository in its own clone; returns its cdktf.out. */
export function synthAt(repoDir: string, sha: string, into: string): string {
  git(tmpdir(), "clone", "-q", repoDir, into);
  git(into, "-c", "advice.detachedHead=false", "checkout", "-q", sha);
  symlinkSync(join(PROJECT, "node_modules"), join(into, "node_modules"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VAULT_PLATFORM_")));
  const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], { cwd: into, encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`synth of ${sha} failed:\n${r.stderr}${r.stdout}`);
  return join(into, "cdktf.out");
}

/** Deployment branch policies and runner groups of a GitHub set up as `setup` says. */
export function githubAsSetUp(setup: GitHubSetup): Pick<World, "protectedEnvironments" | "runnerGroups"> {
  return {
    protectedEnvironments: Object.fromEntries(Object.entries(setup.environments).map(([e, s]) => [e, s.branches.map((b) => `refs/heads/${b}`)])),
    runnerGroups: Object.fromEntries(Object.entries(setup.runnerGroups).map(([name, selectedWorkflows]) => [name, { name, restrictedToWorkflows: true, selectedWorkflows }])),
  };
}

/** Every `vars.NAME` the workflows reference. */
function varsReferenced(workflows: readonly Workflow[]): string[] {
  return [...new Set(workflows.flatMap((w) => [...JSON.stringify(w).matchAll(/\bvars\.([A-Za-z0-9_]+)/g)].map((m) => m[1])))];
}

/**
 * The secrets GitHub holds for the workflows, as the platform team sets them up: each in the environment of the
 * jobs that reference it (a job without an environment: a repository secret). A job receives its environment's
 * secrets and the repository's, whether or not its own text names them.
 */
function secretsAsSetUp(workflows: readonly Workflow[]): World["secrets"] {
  const secrets: { repository: Record<string, string>; environments: Record<string, Record<string, string>> } = { repository: {}, environments: {} };
  for (const wf of workflows) {
    for (const job of Object.values(wf.jobs ?? {})) {
      const env = environmentName(job);
      const names = [...JSON.stringify(job).matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]).filter((n) => n !== "GITHUB_TOKEN");
      const into = env ? (secrets.environments[env] ??= {}) : secrets.repository;
      for (const n of names) into[n] = `rehearsal-secret-${n}-${env ?? "repository"}`;
    }
  }
  return secrets;
}


export interface ScenarioOptions {
  /** Makes the base differ from this working tree (the pull request then brings the working tree back). */
  readonly baseChange?: (repoDir: string) => void;
  /** Changes the pull request makes to the tree (file edits in the head's working copy). */
  readonly change?: (repoDir: string) => void;
  /** Stacks the bootstrap applied before this pull request (default: every stack of the base, in manifest order). */
  readonly bootstrapped?: (stack: string) => boolean;
  /** Edits a stack's synthesized JSON before the bootstrap applies it (to model a state older than the base). */
  readonly bootstrapEdit?: (stack: string, json: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function createScenario(options: ScenarioOptions = {}): Scenario {
  const dir = mkdtempSync(join(tmpdir(), "rehearsal-"));
  const repoDir = join(dir, "repo");
  const copyProject = () => {
    for (const f of projectFiles()) {
      mkdirSync(dirname(join(repoDir, f)), { recursive: true });
      cpSync(join(PROJECT, f), join(repoDir, f));
    }
  };
  copyProject();
  options.baseChange?.(repoDir);
  git(repoDir, "init", "-q", "-b", "main");
  git(repoDir, "add", "-A");
  git(repoDir, "commit", "-q", "-m", "base");
  const baseSha = git(repoDir, "rev-parse", "HEAD");
  git(repoDir, "checkout", "-q", "-b", "change");
  if (options.baseChange) copyProject();
  options.change?.(repoDir);
  git(repoDir, "add", "-A");
  git(repoDir, "commit", "-q", "--allow-empty", "-m", "the pull request's change");
  const headSha = git(repoDir, "rev-parse", "HEAD");
  const tree = git(repoDir, "rev-parse", "HEAD^{tree}");
  const prMergeSha = git(repoDir, "commit-tree", tree, "-p", baseSha, "-p", headSha, "-m", "Merge into main (refs/pull/7/merge)");
  const mainSha = git(repoDir, "commit-tree", tree, "-p", baseSha, "-m", "the pull request, squash-merged");
  git(repoDir, "checkout", "-q", "main");
  git(repoDir, "update-ref", "refs/heads/main", mainSha);
  git(repoDir, "update-ref", "refs/pull/7/merge", prMergeSha);

  const configs = configsIn(repoDir);
  const clusterRunners = Object.fromEntries(
    configs.flatMap((c) => [c.cluster.deployRunner, c.cluster.planRunner].map((r) => [r.runsOn, { caCertFile: r.caCertFile, environment: c.environment }])),
  );
  const baseSynth = synthAt(repoDir, baseSha, join(dir, "base-synth"));
  const worldDir = join(dir, "world");
  mkdirSync(worldDir);
  // Read once: the world's vars and secrets from the parsed workflows, GitHub's settings from the same files.
  const files = workflowFiles(repoDir);
  const workflows = files.map((f) => parse(f.text) as Workflow);
  const vars = Object.fromEntries(varsReferenced(workflows).map((n) => [n, (/ROLE_ARN$/.test(n) ? `arn:aws:iam::111122223333:role/rehearsal-${n.toLowerCase()}` : `rehearsal-${n.toLowerCase()}`)]));
  // GitHub as README "What the platform team provides" sets it up (the settings `npm run check-github-setup` checks).
  const setup = expectedSetup(REPOSITORY, files, configs, []);
  const world: World = { dir: worldDir, repoDir, repository: REPOSITORY, nodeModules: join(PROJECT, "node_modules"), clusterRunners, vars, secrets: secretsAsSetUp(workflows), ...githubAsSetUp(setup) };
  writeFileSync(join(worldDir, "pulls.json"), JSON.stringify([{ number: 7, head: { sha: headSha }, base: { sha: baseSha }, merge_commit_sha: mainSha }]));
  bootstrap(world, baseSynth, options);
  return { world, baseSha, headSha, prMergeSha, mainSha, prNumber: 7, baseSynth, dir };
}

/** The stand-in terraform as a person runs it from a workstation (README bootstrap: port-forward, root token). */
function standInTerraform(world: World, cwd: string, args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(join(STANDIN_BIN, "terraform"), args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${STANDIN_BIN}:${process.env.PATH}`, REHEARSAL_WORLD: world.dir, REHEARSAL_ZONE: "workstation", ...extraEnv },
  });
}

/** Applies the base's production stacks, in order, as the documented bootstrap does. */
function bootstrap(world: World, synth: string, options: ScenarioOptions): void {
  const manifest = JSON.parse(readFileSync(join(synth, "manifest.json"), "utf8"));
  const stacks = Object.keys(manifest.stacks).filter((s) => options.bootstrapped?.(s) ?? true);
  const kubeconfig = join(world.dir, "bootstrap-kubeconfig");
  writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n");
  const ca = join(world.dir, "bootstrap-vault-ca.pem");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nrehearsal\n-----END CERTIFICATE-----\n");
  for (const stack of stacks) {
    const work = join(world.dir, "bootstrap", stack);
    mkdirSync(work, { recursive: true });
    const json = JSON.parse(readFileSync(join(synth, "stacks", stack, "cdk.tf.json"), "utf8"));
    options.bootstrapEdit?.(stack, json);
    writeFileSync(join(work, "cdk.tf.json"), JSON.stringify(json));
    const env = {
      AWS_ACCESS_KEY_ID: "AKIAREHEARSAL",
      KUBE_CONFIG_PATH: kubeconfig,
      VAULT_TOKEN: "hvs.rehearsal-root",
      TF_VAR_vault_login: "token",
      TF_VAR_vault_address: "https://127.0.0.1:8200",
      TF_VAR_vault_ca_cert_file: ca,
      ...Object.fromEntries(Object.entries(json.variable ?? {}).filter(([, v]: [string, any]) => !("default" in v)).map(([n]) => [`TF_VAR_${n}`, `rehearsal-${n}`])), // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    for (const args of [["init", "-input=false"], ["apply", "-input=false", "-auto-approve"]]) {
      const r = standInTerraform(world, work, args, env);
      if (r.status !== 0) throw new Error(`bootstrap of ${stack}: terraform ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
    }
  }
}

export function removeScenario(s: Scenario | undefined): void {
  if (s) rmSync(s.dir, { recursive: true, force: true });
}
