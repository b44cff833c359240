/**
 * Stand-ins for the `uses:` actions the workflows call, each modelled on the action's own source (cited per
 * action). A stand-in throws to fail its step, with the message the real action would log.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { JwtRole, loginRefusal } from "../jwt-claims";
import { reachable } from "../world";
import { cacheRestore, cacheSave } from "./cache-action";
import { record } from "./call-log";
import type { ActionContext, ActionResult } from "./model";

type Inputs = Record<string, string>;
type Action = (inputs: Inputs, ctx: ActionContext) => ActionResult;


const lines = (v: string | undefined) => (v ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
const bool = (v: string | undefined, dflt: boolean) => (v === undefined || v === "" ? dflt : v.toLowerCase() === "true");
const artifactsDir = (ctx: ActionContext, runId: number) => join(ctx.world.dir, "runs", String(runId), "artifacts");

function requireOidc(ctx: ActionContext, what: string): void {
  // core.getIDToken needs ACTIONS_ID_TOKEN_REQUEST_URL, which the runner sets only with `id-token: write`.
  if (ctx.permissions["id-token"] !== "write") throw new Error(`${what}: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable (the job lacks permissions: id-token: write)`);
}

/** actions/checkout v4 (src/git-source-provider.ts): the workspace is emptied, then the commit is checked out. */
const checkout: Action = (_inputs, ctx) => {
  for (const entry of readdirSync(ctx.workspace)) rmSync(join(ctx.workspace, entry), { recursive: true, force: true });
  const sha = String((ctx.expressions.github as Record<string, string>).sha);
  execFileSync("git", ["clone", "-q", "--no-checkout", ctx.world.repoDir, ctx.workspace], { stdio: "pipe" });
  execFileSync("git", ["-c", "advice.detachedHead=false", "checkout", "-q", sha], { cwd: ctx.workspace, stdio: "pipe" });
  return { log: `checked out ${sha}` };
};

/** aws-actions/configure-aws-credentials v4 (src/index.ts): web identity through GitHub OIDC, exported as env. */
const awsCredentials: Action = (inputs, ctx) => {
  requireOidc(ctx, "configure-aws-credentials");
  const role = inputs["role-to-assume"];
  if (!role) throw new Error("Credentials could not be loaded, please check your action inputs: role-to-assume is empty");
  record(ctx, "aws-credentials", { role, environment: ctx.environment ?? null });
  return {
    exportEnv: {
      AWS_ACCESS_KEY_ID: "ASIAREHEARSAL",
      AWS_SECRET_ACCESS_KEY: "rehearsal",
      AWS_SESSION_TOKEN: "rehearsal",
      AWS_ROLE_ARN: role,
      AWS_REGION: inputs["aws-region"] ?? "",
      AWS_DEFAULT_REGION: inputs["aws-region"] ?? "",
    },
  };
};

/**
 * hashicorp/vault-action v3 (src/action.js, src/auth.js): logs in at `url` with the CA in `caCertificate`
 * (base64 PEM); method jwt takes the job's GitHub OIDC token (audience jwtGithubAudience) and posts it to
 * auth/<path>/login with the role; exportToken sets VAULT_TOKEN for the later steps.
 */
const vaultAction: Action = (inputs, ctx) => {
  const url = new URL(inputs.url || "http://unset.invalid");
  if (!inputs.url) throw new Error("Input required and not supplied: url");
  if (!reachable(ctx.zone, url.hostname)) {
    throw new Error(`RequestError: getaddrinfo ENOTFOUND ${url.hostname} (a ${ctx.zone} runner cannot reach ${url.host}; it resolves only inside the cluster)`);
  }
  const pem = Buffer.from(inputs.caCertificate ?? "", "base64").toString("utf8");
  if (!pem.includes("BEGIN CERTIFICATE")) throw new Error("RequestError: unable to verify the first certificate (caCertificate holds no PEM certificate)");
  if (inputs.method !== "jwt") throw new Error(`vault-action method ${inputs.method} is not modelled by the rehearsal`);
  requireOidc(ctx, "vault-action");
  const claims = githubIdToken(ctx, inputs.jwtGithubAudience);
  // The Vault the address reaches is the one of the cluster the runner runs in.
  const env = ctx.zone === "cluster" ? runnerOf(ctx)?.environment : undefined;
  const role = appliedJwtRole(ctx, env, inputs.role);
  const refusal = loginRefusal(role, claims);
  record(ctx, "vault-login", { url: inputs.url, method: inputs.method, path: inputs.path, role: inputs.role, environment: env, claims, refused: refusal ?? null });
  if (refusal) throw new Error(`failed to retrieve vault token. code: 400, message: ${refusal}`);
  const token = `hvs.rehearsal-${inputs.role}`;
  const exportEnv: Record<string, string> = bool(inputs.exportToken, false) ? { VAULT_TOKEN: token } : {};
  return { exportEnv };
};

/**
 * The claims of the job's GitHub Actions OIDC token (GitHub docs, "OpenID Connect reference": sub, aud, ref,
 * repository, event_name, environment when the job has one, workflow_ref and job_workflow_ref
 * `<owner>/<repo>/.github/workflows/<file>@<ref>`, runner_environment).
 */
function githubIdToken(ctx: ActionContext, audience: string): Record<string, unknown> {
  const github = ctx.expressions.github as Record<string, string>;
  const sub = ctx.environment ? `repo:${github.repository}:environment:${ctx.environment}` : github.event_name === "pull_request" ? `repo:${github.repository}:pull_request` : `repo:${github.repository}:ref:${github.ref}`;
  return {
    sub,
    aud: audience,
    repository: github.repository,
    ref: github.ref,
    event_name: github.event_name,
    ...(ctx.environment ? { environment: ctx.environment } : {}),
    workflow_ref: github.workflow_ref,
    job_workflow_ref: github.workflow_ref,
    runner_environment: ctx.zone === "cluster" ? "self-hosted" : "github-hosted",
  };
}

const runnerOf = (ctx: ActionContext) => ctx.world.clusterRunners[String((ctx.expressions.runner as Record<string, string> | undefined)?.label ?? "")];

/** The JWT role as Vault holds it: from the applied state of the environment's vault-config stack. */
function appliedJwtRole(ctx: ActionContext, env: string | undefined, roleName: string): JwtRole {
  const dir = join(ctx.world.dir, "states");
  const file = env && existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(`vault-config-${env}.tfstate.json`)) : undefined;
  if (!file) throw new Error(`failed to retrieve vault token. code: 400, message: role "${roleName}" could not be found (vault-config-${env ?? "?"} is not applied)`);
  const state = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const role = Object.entries(state.resources as Record<string, JwtRole>).find(([address, body]) => address.startsWith("vault_jwt_auth_backend_role.") && body.role_name === roleName);
  if (!role) throw new Error(`failed to retrieve vault token. code: 400, message: role "${roleName}" could not be found`);
  return role[1];
}

/** Files under `p` (symbolic links followed, as @actions/glob does with followSymbolicLinks: true). */
function walk(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).flatMap((e) => walk(join(p, e)));
}

function lca(paths: string[]): string {
  const split = paths.map((p) => normalize(p).split(sep));
  const common: string[] = [];
  for (let i = 0; i < Math.min(...split.map((s) => s.length)); i++) {
    if (split.every((s) => s[i] === split[0][i])) common.push(split[0][i]);
    else break;
  }
  return common.join(sep) || sep;
}

/**
 * actions/upload-artifact v4 (src/shared/search.ts findFilesToUpload): one search path that is a directory is
 * the artifact's root; a single file's root is its directory; several search paths have their least common
 * ancestor as root. Hidden files (a path segment starting with ".") are left out unless include-hidden-files
 * (v4.4.0, src/shared/upload-inputs.ts). Artifacts are immutable: a second upload of a name in one run fails.
 * if-no-files-found: warn (default), error, ignore.
 */
const uploadArtifact: Action = (inputs, ctx) => {
  const name = inputs.name || "artifact";
  const searchPaths = lines(inputs.path).map((p) => (isAbsolute(p) ? p : join(ctx.workspace, p)));
  if (searchPaths.some((p) => /[*?[]/.test(p))) throw new Error("glob patterns in upload paths are not modelled by the rehearsal");
  const hidden = !bool(inputs["include-hidden-files"], false);
  const root = searchPaths.length > 1 ? lca(searchPaths) : existsSync(searchPaths[0]) && statSync(searchPaths[0]).isDirectory() ? searchPaths[0] : dirname(searchPaths[0]);
  const files = searchPaths.flatMap(walk).filter((f) => !hidden || !relative(root, f).split(sep).some((s) => s.startsWith(".")));
  const ifNone = inputs["if-no-files-found"] || "warn";
  if (files.length === 0) {
    if (ifNone === "error") throw new Error(`No files were found with the provided path: ${lines(inputs.path).join(", ")}. No artifacts will be uploaded.`);
    return { log: `No files were found with the provided path (${ifNone}): no artifact ${name}` };
  }
  const dest = join(artifactsDir(ctx, ctx.runId), name);
  if (existsSync(dest)) throw new Error(`Failed to CreateArtifact: Received non-retryable error: (409) Conflict: an artifact with this name already exists on the workflow run`);
  for (const f of files) {
    const to = join(dest, relative(root, f));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(f));
  }
  record(ctx, "upload-artifact", { run: ctx.runId, name, files: files.map((f) => relative(root, f)) });
  return { log: `uploaded ${files.length} files as ${name}` };
};

/**
 * actions/download-artifact v4 (src/download-artifact.ts): with `name`, the artifact's files land in `path`
 * (default the workspace); without, every artifact goes to <path>/<name> (merge-multiple false). `run-id` with
 * `github-token` reads another run's artifacts.
 */
const downloadArtifact: Action = (inputs, ctx) => {
  const runId = inputs["run-id"] ? Number(inputs["run-id"]) : ctx.runId;
  if (inputs["run-id"] && !inputs["github-token"]) throw new Error("github-token is required to download from another run");
  const src = artifactsDir(ctx, runId);
  const base = inputs.path ? (isAbsolute(inputs.path) ? inputs.path : join(ctx.workspace, inputs.path)) : ctx.workspace;
  const all = existsSync(src) ? readdirSync(src) : [];
  const names = inputs.name ? [inputs.name] : all;
  for (const name of names) {
    if (!all.includes(name)) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`);
    cpSync(join(src, name), inputs.name ? base : join(base, name), { recursive: true });
  }
  record(ctx, "download-artifact", { run: runId, names, path: relative(ctx.workspace, base) || "." });
  return { log: `downloaded ${names.join(", ")}` };
};

/** github/codeql-action upload-sarif (src/upload-lib.ts): validates SARIF 2.1.0 and needs security-events: write. */
const uploadSarif: Action = (inputs, ctx) => {
  if (ctx.permissions["security-events"] !== "write") throw new Error("Resource not accessible by integration (security-events: write missing)");
  const file = join(ctx.workspace, inputs.sarif_file ?? "");
  if (!existsSync(file)) throw new Error(`Path does not exist: ${inputs.sarif_file}`);
  const sarif = JSON.parse(readFileSync(file, "utf8"));
  if (sarif.version !== "2.1.0") throw new Error(`Invalid SARIF: version ${sarif.version}`);
  record(ctx, "upload-sarif", { category: inputs.category, results: sarif.runs.flatMap((r: { results?: unknown[] }) => r.results ?? []).length });
  const uploads = join(ctx.world.dir, "sarif");
  mkdirSync(uploads, { recursive: true });
  writeFileSync(join(uploads, `${ctx.runId}-${inputs.category}.sarif`), JSON.stringify(sarif));
  return {};
};

/** marocchino/sticky-pull-request-comment v2: posts `path`; GitHub refuses a body over 65,536 characters. */
const stickyComment: Action = (inputs, ctx) => {
  if (ctx.permissions["pull-requests"] !== "write") throw new Error("Resource not accessible by integration (pull-requests: write missing)");
  const body = readFileSync(join(ctx.workspace, inputs.path ?? ""), "utf8");
  if (body.length > 65536) throw new Error(`Validation Failed: body is too long (maximum is 65536 characters; got ${body.length})`);
  const file = join(ctx.world.dir, "comments.json");
  const comments = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  comments.push({ header: inputs.header, body, run: ctx.runId });
  writeFileSync(file, JSON.stringify(comments));
  return {};
};

/** Tool installers: the stand-ins in rehearsal/bin are already first on PATH; the inputs are recorded. */
const installer = (tool: string): Action => (inputs, ctx) => {
  record(ctx, tool, { inputs });
  return {};
};

const ACTIONS: Record<string, Action> = {
  "actions/checkout": checkout,
  "actions/setup-node": installer("setup-node"),
  "actions/cache": installer("cache"),
  "actions/cache/restore": cacheRestore,
  "actions/cache/save": cacheSave,
  "hashicorp/setup-terraform": installer("setup-terraform"),
  "aws-actions/configure-aws-credentials": awsCredentials,
  "hashicorp/vault-action": vaultAction,
  "actions/upload-artifact": uploadArtifact,
  "actions/download-artifact": downloadArtifact,
  "github/codeql-action/upload-sarif": uploadSarif,
  "marocchino/sticky-pull-request-comment": stickyComment,
};

/** The stand-in for `uses: owner/name@ref`; throws for an action the rehearsal does not model. */
export function actionFor(uses: string): Action {
  const name = uses.replace(/@.*$/, "");
  const action = ACTIONS[name];
  if (!action) throw new Error(`action ${uses} is not modelled by the rehearsal (add a stand-in in rehearsal/workflow/actions.ts)`);
  return action;
}
