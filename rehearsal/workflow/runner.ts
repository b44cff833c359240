/**
 * Runs a GitHub Actions workflow on this machine, job by job, as the runner would (actions/runner: JobRunner,
 * StepsRunner, ScriptHandler): jobs in `needs` order, matrix instances expanded, each job in a fresh temporary
 * workspace; `run:` steps through `bash --noprofile --norc -eo pipefail` with env, working-directory, defaults and
 * `${{ }}` expressions; $GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_PATH and $GITHUB_STEP_SUMMARY files per step; `uses:`
 * steps through the stand-ins of ./actions. The rehearsal's stand-in executables (rehearsal/bin) come first on
 * PATH; a job's zone (hosted or in-cluster) decides which addresses they can reach.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { actionFor } from "./actions";
import { hashFiles } from "./hash-files";
import { asString, condition, Context, interpolate, StatusFunctions, Value } from "./expressions";
import { runnerGroupAdmits, type JobResult, type RunRequest, type RunResult, type StepResult, type World } from "./model";

const BIN = resolve(__dirname, "..", "bin");
type Job = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Parses `name=value` and `name<<DELIM` ... `DELIM` blocks (the runner's SetOutputFileCommand/SetEnvFileCommand). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(row);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < rows.length && rows[i] !== heredoc[2]; i++) value.push(rows[i]);
      if (i >= rows.length) throw new Error(`Matching delimiter not found '${heredoc[2]}'`);
      out[heredoc[1]] = value.join("\n");
    } else {
      const eq = row.indexOf("=");
      if (eq < 0) throw new Error(`Invalid format '${row}'`);
      out[row.slice(0, eq)] = row.slice(eq + 1);
    }
  }
  return out;
}

/** The matrix's combinations; an expression in it (`${{ fromJSON(needs.x.outputs.y) }}`) is evaluated first. */
function expandMatrix(job: Job, ctx: Context, status: StatusFunctions): Record<string, Value>[] {
  const raw = job.strategy?.matrix;
  const matrix = typeof raw === "string" ? (interpolate(raw, ctx, status) as Record<string, Value[]>) : raw;
  if (matrix && typeof matrix.include === "string") matrix.include = interpolate(matrix.include, ctx, status) as Value[];
  if (!matrix) return [{}];
  const dims = Object.entries(matrix).filter(([k]) => k !== "include" && k !== "exclude") as [string, Value[]][];
  let combos: Record<string, Value>[] = [{}];
  for (const [k, values] of dims) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  if (dims.length === 0) combos = [];
  for (const inc of (matrix.include ?? []) as Record<string, Value>[]) combos.push(inc);
  return combos;
}

function order(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (done.includes(id)) return;
    if (path.includes(id)) throw new Error(`needs cycle: ${[...path, id].join(" -> ")}`);
    if (!jobs[id]) throw new Error(`job ${path[path.length - 1]} needs unknown job ${id}`);
    for (const n of needsOf(jobs[id])) visit(n, [...path, id]);
    done.push(id);
  };
  Object.keys(jobs).forEach((id) => visit(id, []));
  return done;
}
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

function nextRunId(world: World): number {
  const file = join(world.dir, "runs.json");
  const runs = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  return runs.length + 1;
}

function recordRun(world: World, entry: Record<string, unknown>): void {
  const file = join(world.dir, "runs.json");
  const runs = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  writeFileSync(file, JSON.stringify([...runs, entry], null, 2));
}

/**
 * The runner pod of an in-cluster scale set mounts Vault's CA (the vault-ca ConfigMap) at caCertFile. A step of a
 * cluster job runs in its own mount namespace where an overlay adds that file to the real file system, so scripts
 * read it at its real absolute path and nothing on this machine changes. Root in CI; elsewhere a user namespace.
 */
export function runnerPodMounts(root: string, caCertFile: string): string[] {
  const top = `/${caCertFile.split("/")[1]}`;
  const upper = join(root, "pod-mounts", "upper");
  const work = join(root, "pod-mounts", "work");
  const ca = join(upper, caCertFile.slice(top.length));
  mkdirSync(join(ca, ".."), { recursive: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nUmVoZWFyc2FsIENBIG1vdW50ZWQgZnJvbSB0aGUgdmF1bHQtY2EgQ29uZmlnTWFw\n-----END CERTIFICATE-----\n");
  const unshare = process.getuid?.() === 0 ? ["unshare", "--mount", "--propagation", "private"] : ["unshare", "--user", "--map-root-user", "--mount"];
  return [...unshare, "sh", "-c", `mount -t overlay overlay -o lowerdir=${top},upperdir=${upper},workdir=${work} ${top} && exec "$@"`, "pod"];
}

export function runWorkflow(world: World, req: RunRequest): RunResult {
  const text = req.workflowText ?? spawnSync("git", ["show", `${req.sha}:.github/workflows/${req.workflow}`], { cwd: world.repoDir, encoding: "utf8" }).stdout;
  if (!text) throw new Error(`.github/workflows/${req.workflow} not found at ${req.sha}`);
  const wf = parse(text);
  const runId = nextRunId(world);
  mkdirSync(join(world.dir, "runs", String(runId), "artifacts"), { recursive: true });
  const github = {
    sha: req.sha,
    ref: req.ref,
    repository: world.repository,
    server_url: "https://github.com",
    repository_owner: world.repository.split("/")[0],
    token: "ghs_rehearsal",
    event_name: req.event,
    event: req.payload ?? {},
    workflow: wf.name ?? req.workflow,
    workflow_ref: `${world.repository}/.github/workflows/${req.workflow}@${req.ref}`,
    run_id: String(runId),
  };
  const inputs = (req.inputs ?? {}) as Record<string, Value>;
  const results: Record<string, JobResult[]> = {};
  const jobs: JobResult[] = [];
  for (const id of order(wf.jobs)) {
    const job: Job = wf.jobs[id];
    const needs: Record<string, Value> = {};
    for (const n of needsOf(job)) {
      const rs = results[n];
      const result = rs.some((r) => r.result === "failure") ? "failure" : rs.every((r) => r.result === "skipped") ? "skipped" : "success";
      needs[n] = { result, outputs: Object.assign({}, ...rs.map((r) => r.outputs)) };
    }
    const needsOk = Object.values(needs).every((n) => (n as Record<string, Value>).result === "success");
    const status: StatusFunctions = { success: () => needsOk, failure: () => !needsOk, always: () => true, cancelled: () => false };
    const instances = expandMatrix(job, { github, needs, vars: world.vars, inputs }, status).map((matrix) => runJob(world, req, runId, wf, id, job, matrix, { github, needs, inputs }, status));
    results[id] = instances;
    jobs.push(...instances);
  }
  const conclusion = jobs.some((j) => j.result === "failure") ? "failure" : "success";
  recordRun(world, { id: runId, workflow: req.workflow, event: req.event, headSha: req.headSha ?? req.sha, conclusion });
  const failed = jobs.find((j) => j.result === "failure");
  const step = failed?.steps.find((s) => s.outcome === "failure");
  const firstFailure = failed ? `${failed.name} › ${step?.name ?? "(job)"}: ${(step?.output ?? "").trim().split("\n").slice(-6).join("\n")}` : undefined;
  return { id: runId, conclusion, jobs, firstFailure };
}

function runJob(world: World, req: RunRequest, runId: number, wf: Job, id: string, job: Job, matrix: Record<string, Value>, base: { github: Record<string, Value>; needs: Record<string, Value>; inputs: Record<string, Value> }, status: StatusFunctions): JobResult {
  const label = Object.keys(matrix).length ? ` (${Object.values(matrix).map(asString).join(", ")})` : "";
  const name = `${id}${label}`;
  const envName = typeof job.environment === "object" && job.environment ? job.environment.name : job.environment;
  const environment = envName === undefined ? undefined : asString(interpolate(String(envName), { ...base, matrix, vars: world.vars }, status));
  const secretsEnv = req.fromFork ? {} : { ...world.secrets.repository, ...(environment ? world.secrets.environments[environment] ?? {} : {}) };
  const secrets: Record<string, Value> = { GITHUB_TOKEN: "ghs_rehearsal", ...secretsEnv };
  const { inputs } = base;
  const ctx: Context = { ...base, matrix, secrets, vars: world.vars, env: {}, steps: {}, runner: {}, job: {}, strategy: {} };
  const runsOn = asString(interpolate(String(job["runs-on"]), ctx, status));
  const zone = runsOn in world.clusterRunners ? "cluster" : "hosted";
  // A fork's pull request runs with a read-only GITHUB_TOKEN and no OIDC token (GitHub docs, "Workflows in forked
  // repositories"), whatever the workflow asks for.
  const asked: Record<string, string> = job.permissions ?? wf.permissions ?? {};
  const permissions: Record<string, string> = req.fromFork ? Object.fromEntries(Object.keys(asked).filter((k) => k !== "id-token").map((k) => [k, "read"])) : asked;
  const skipped = (): JobResult => ({ name, id, result: "skipped", runsOn, zone, environment, secretsReceived: [], permissions, steps: [], outputs: {} });
  // A job GitHub refuses before any step: no secret, one pseudo-step that says why.
  const notStarted = (why: string, output: string): JobResult => ({ ...skipped(), result: "failure", steps: [{ name: why, outcome: "failure", output }] });
  // jobs.<id>.if is evaluated before the matrix is expanded: only github, needs, vars and inputs exist there (GitHub
  // docs, "Contexts: context availability"); anything else makes the workflow file invalid.
  let selected: boolean;
  try {
    selected = condition(job.if, { github: base.github, needs: base.needs, vars: world.vars, inputs }, status);
  } catch (e) {
    throw new Error(`Invalid workflow file .github/workflows/${req.workflow}: jobs.${id}.if: ${(e as Error).message}`);
  }
  if (!selected) return skipped();
  const allowedRefs = environment ? world.protectedEnvironments[environment] : undefined;
  if (allowedRefs && !allowedRefs.includes(req.ref)) {
    return notStarted("(environment protection)", `Branch "${req.ref}" is not allowed to deploy to ${environment} due to environment protection rules.`);
  }
  const group = world.runnerGroups[runsOn];
  if (group && !runnerGroupAdmits(group, asString(base.github.workflow_ref))) {
    // On GitHub the job waits for a runner that never comes; it gets no secret and runs no step.
    return notStarted(
      "(runner group)",
      `No runner picks up this job: the runner group of ${runsOn} (${group.name}) does not allow ${asString(base.github.workflow_ref)} (restricted to selected workflows: ${group.selectedWorkflows.join(", ")})`,
    );
  }

  const root = mkdtempSync(join(world.dir, `job-${id}-`));
  const workspace = join(root, "work", world.repository.split("/")[1]);
  const temp = join(root, "_temp");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp);
  ctx.github = { ...(ctx.github as Record<string, Value>), workspace };
  const mounts = zone === "cluster" ? runnerPodMounts(root, world.clusterRunners[runsOn].caCertFile) : undefined;
  const env: Record<string, string> = {};
  const addEnv = (block: Record<string, unknown> | undefined) => {
    for (const [k, v] of Object.entries(block ?? {})) env[k] = asString(interpolate(String(v), { ...ctx, env: { ...env } }, status));
  };
  addEnv(wf.env);
  addEnv(job.env);
  const extraPath: string[] = [];
  const steps: StepResult[] = [];
  const stepsCtx: Record<string, Value> = {};
  let failed = false;
  const stepStatus: StatusFunctions = { success: () => !failed, failure: () => failed, always: () => true, cancelled: () => false, hashFiles: (patterns) => hashFiles(workspace, patterns) };
  const defaults = { ...(wf.defaults?.run ?? {}), ...(job.defaults?.run ?? {}) };
  const summary = join(temp, "step-summary.md");

  (job.steps as Job[]).forEach((step, index) => {
    const stepName = step.name ?? step.uses ?? String(step.run).split("\n")[0];
    const sctx: Context = { ...ctx, env: { ...env }, steps: stepsCtx, runner: { temp, os: "Linux", label: runsOn } };
    if (!condition(step.if, sctx, stepStatus)) {
      steps.push({ name: stepName, outcome: "skipped", output: "" });
      if (step.id) stepsCtx[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      return;
    }
    const stepEnv: Record<string, string> = { ...env };
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = asString(interpolate(String(v), sctx, stepStatus));
    let outcome: "success" | "failure" = "success";
    let output = "";
    let outputs: Record<string, string> = {};
    const processEnv: Record<string, string> = {
      PATH: [BIN, ...extraPath, process.env.PATH ?? ""].join(":"),
      HOME: root,
      LANG: "C.UTF-8",
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: world.repository,
      // A default variable of every GitHub-hosted and self-hosted runner (docs.github.com, "Variables reference").
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_SHA: req.sha,
      GITHUB_REF: req.ref,
      GITHUB_EVENT_NAME: req.event,
      GITHUB_RUN_ID: String(runId),
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: temp,
      REHEARSAL_WORLD: world.dir,
      REHEARSAL_ZONE: zone,
      REHEARSAL_JOB: name,
      REHEARSAL_NODE_MODULES: world.nodeModules,
      ...stepEnv,
    };
    try {
      if (step.uses) {
        const inputs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = asString(interpolate(String(v), sctx, stepStatus));
        const r = actionFor(step.uses)(inputs, { world, runId, job: name, zone, workspace, permissions, environment, expressions: sctx, env: processEnv });
        Object.assign(env, r.exportEnv ?? {});
        outputs = r.outputs ?? {};
        output = r.log ?? "";
      } else {
        const script = asString(interpolate(String(step.run), sctx, stepStatus));
        const files = { GITHUB_OUTPUT: join(temp, `output-${index}`), GITHUB_ENV: join(temp, `env-${index}`), GITHUB_PATH: join(temp, `path-${index}`) };
        Object.values(files).forEach((f) => writeFileSync(f, ""));
        const scriptFile = join(temp, `step-${index}.sh`);
        writeFileSync(scriptFile, script);
        const wd = step["working-directory"] ?? defaults["working-directory"];
        const cwd = wd ? join(workspace, asString(interpolate(String(wd), sctx, stepStatus))) : workspace;
        if (!existsSync(cwd)) throw new Error(`An error occurred trying to start process '/usr/bin/bash' with working directory '${cwd}'. No such file or directory`);
        const bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", scriptFile];
        const [command, ...argv] = mounts ? [...mounts, ...bash] : bash;
        const r = spawnSync(command, argv, { cwd, env: { ...processEnv, ...files }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        output = `${r.stdout}${r.stderr}`;
        if (r.status !== 0) throw new Error(`${output}\nError: Process completed with exit code ${r.status}.`);
        outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, "utf8"));
        Object.assign(env, parseFileCommands(readFileSync(files.GITHUB_ENV, "utf8")));
        extraPath.unshift(...readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean).reverse());
      }
    } catch (e) {
      outcome = "failure";
      output = (e as Error).message;
    }
    const continueOnError = step["continue-on-error"] === true;
    if (outcome === "failure" && !continueOnError) failed = true;
    steps.push({ name: stepName, outcome, output });
    if (step.id) stepsCtx[step.id] = { outcome, conclusion: continueOnError ? "success" : outcome, outputs };
  });
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(job.outputs ?? {})) outputs[k] = asString(interpolate(String(v), { ...ctx, steps: stepsCtx }, stepStatus));
  return { name, id, result: failed ? "failure" : "success", runsOn, zone, environment, secretsReceived: Object.keys(secretsEnv), permissions, steps, outputs };
}
