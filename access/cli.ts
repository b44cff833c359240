/**
 * `npm run --silent access -- <command>`: Vault access analysis on policy text, offline, with the ACL evaluator
 * in access/acl/. Each command is one entry of COMMANDS. Exit codes: 0 done; 2 bad usage or malformed input (the
 * reason on stderr); 3 `eval` answered every item but some with an error entry (a broken policy or a malformed
 * request: stdout still holds one answer per item); 1 anything unexpected.
 */
import { ConfigError } from "../config/load";
import { Acl, OPERATIONS, type Operation } from "./acl/acl";
import type { JsonValue } from "./acl/glob";
import { type AclPolicy, parseAclPolicy } from "./acl/policy";
import type { Entity } from "./acl/template";
import { diffReport } from "./diff";
import { accessMatrix, whoReport } from "./matrix";
import { type AccessModel, loadAccessModels } from "./model";
import { TESTED_CAPABILITIES, type TestedCapability } from "./policy-tests";
import { toMarkdown } from "../document/document";

/** Input the user can fix: reported on stderr with exit code 2. */
export class InputError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "InputError";
  }
}

export interface Io {
  readonly stdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface Command {
  /** One line for the usage text. */
  readonly summary: string;
  readonly run: (args: readonly string[], io: Io) => Promise<void>;
}

/** One request of `eval`, as read from stdin. */
export interface EvalItem {
  readonly policies: readonly string[];
  readonly path: string;
  readonly operation: Operation;
  readonly data?: Record<string, JsonValue>;
  readonly wrap_ttl_seconds?: number;
  /** The token's identity, for templated paths: `{ id, name, metadata, aliases: [{ mount_accessor, ... }], groups }`. */
  readonly entity?: EntityInput;
}

interface EntityInput {
  readonly id?: string;
  readonly name?: string;
  readonly metadata?: Record<string, string>;
  readonly aliases?: { mount_accessor: string; id?: string; name?: string; metadata?: Record<string, string>; custom_metadata?: Record<string, string> }[];
  readonly groups?: { id: string; name?: string; metadata?: Record<string, string> }[];
}

const EVAL_KEYS = new Set(["policies", "path", "operation", "data", "wrap_ttl_seconds", "entity"]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isStringMap = (v: unknown) => v === undefined || (isObject(v) && Object.values(v).every((x) => typeof x === "string"));
const isOptionalString = (v: unknown) => v === undefined || typeof v === "string";

/** Whether `v` has the shape of an eval item's `entity`. */
function entityOk(v: unknown): boolean {
  if (!isObject(v) || !isOptionalString(v.id) || !isOptionalString(v.name) || !isStringMap(v.metadata)) return false;
  const list = (x: unknown, ok: (e: Record<string, unknown>) => boolean) => x === undefined || (Array.isArray(x) && x.every((e) => isObject(e) && ok(e)));
  const alias = (a: Record<string, unknown>) =>
    typeof a.mount_accessor === "string" && isOptionalString(a.id) && isOptionalString(a.name) && isStringMap(a.metadata) && isStringMap(a.custom_metadata);
  const group = (g: Record<string, unknown>) => typeof g.id === "string" && isOptionalString(g.name) && isStringMap(g.metadata);
  return list(v.aliases, alias) && list(v.groups, group);
}

/** The eval input's entity as the ACL takes it. */
function entityOf(e: EntityInput | undefined): Entity | undefined {
  if (e === undefined) return undefined;
  return { ...e, aliases: e.aliases?.map((a) => ({ ...a, mountAccessor: a.mount_accessor, customMetadata: a.custom_metadata })) };
}

/** One answer of `eval`: Vault's decision, or why this item could not be decided. */
export type EvalAnswer =
  | { readonly allowed: boolean; readonly root_privs: boolean; readonly granting_policies: readonly number[] }
  | { readonly index: number; readonly error: string };

/** Exit code of `eval` when some items were answered with an error entry. */
export const EXIT_ITEM_ERRORS = 3;

/** The problems of one request's shape (empty when it is well formed). */
function itemProblems(item: unknown, at: string): string[] {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return [`${at} must be an object with policies, path and operation`];
  const problems: string[] = [];
  const o = item as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!EVAL_KEYS.has(k)) problems.push(`${at}: unknown key "${k}" (expected ${[...EVAL_KEYS].join(", ")})`);
  }
  if (!Array.isArray(o.policies) || o.policies.some((p) => typeof p !== "string")) {
    problems.push(`${at}.policies must be an array of policy texts (HCL strings)`);
  }
  if (typeof o.path !== "string") problems.push(`${at}.path must be a string`);
  if (typeof o.operation !== "string" || !(OPERATIONS as readonly string[]).includes(o.operation)) {
    problems.push(`${at}.operation must be one of ${OPERATIONS.join(", ")} (got ${JSON.stringify(o.operation)})`);
  }
  if (o.data !== undefined && (o.data === null || typeof o.data !== "object" || Array.isArray(o.data))) {
    problems.push(`${at}.data must be an object of request parameters`);
  }
  if (o.entity !== undefined && !entityOk(o.entity)) {
    problems.push(`${at}.entity must be { id?, name?, metadata?, aliases?: [{ mount_accessor, id?, name?, metadata?, custom_metadata? }], groups?: [{ id, name?, metadata? }] } with string values`);
  }
  const ttl = o.wrap_ttl_seconds;
  if (ttl !== undefined && (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 0)) {
    problems.push(`${at}.wrap_ttl_seconds must be a number of seconds, 0 or more (got ${JSON.stringify(ttl)})`);
  }
  return problems;
}

/**
 * Answers every request of a batch against its own set of policies, in order. A malformed request or a policy
 * Vault would reject yields an error entry for that item only; a policy text is parsed once however often it recurs.
 */
export async function evaluate(input: unknown): Promise<EvalAnswer[]> {
  if (!Array.isArray(input)) {
    throw new InputError([`input must be a JSON array of requests (got ${input === null ? "null" : typeof input})`]);
  }
  const parsed = new Map<string, Promise<AclPolicy>>();
  return Promise.all(
    input.map(async (raw: unknown, i): Promise<EvalAnswer> => {
      const at = `input[${i}]`;
      const shape = itemProblems(raw, at);
      if (shape.length > 0) return { index: i, error: shape.join("; ") };
      const item = raw as EvalItem;
      const problems: string[] = [];
      const policies: AclPolicy[] = [];
      for (const [j, text] of item.policies.entries()) {
        if (!parsed.has(text)) parsed.set(text, parseAclPolicy("policy", text, "policy"));
        try {
          // Named by position, so granting policies point back into this item's list.
          policies.push({ ...(await parsed.get(text)!), name: String(j) });
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          problems.push(...e.problems.map((p) => `${at}.policies[${j}]: ${p.replace(/^policy: /, "")}`));
        }
      }
      if (problems.length > 0) return { index: i, error: problems.join("; ") };
      const result = new Acl(policies, { entity: entityOf(item.entity) }).allowOperation({
        path: item.path,
        operation: item.operation,
        data: item.data,
        wrapTtlSeconds: item.wrap_ttl_seconds,
      });
      return { allowed: result.allowed, root_privs: result.rootPrivs, granting_policies: result.grantingPolicies.map(Number).sort((a, b) => a - b) };
    }),
  );
}

async function runEval(args: readonly string[], io: Io): Promise<void> {
  if (args.length > 0) throw new InputError([`eval takes no arguments (got ${args.join(" ")}); it reads a JSON array on stdin`]);
  const text = await io.stdin();
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new InputError([`stdin is not valid JSON: ${(e as Error).message}`]);
  }
  const answers = await evaluate(input);
  io.stdout(`${JSON.stringify(answers)}\n`);
  const failed = answers.filter((a) => "error" in a).length;
  if (failed > 0) throw new ItemErrors(`${failed} of ${answers.length} item${answers.length === 1 ? "" : "s"} answered with an error entry`);
}

/** `eval` answered every item, some with an error entry: stdout is complete, the exit code says so. */
class ItemErrors extends Error {}

/** Splits `--name value` options (each at most once, from `allowed`) from positional arguments. */
export function parseOptions(args: readonly string[], allowed: readonly string[]): { options: Record<string, string>; positional: string[] } {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    const value = inline ?? args[++i];
    if (!allowed.includes(name)) problems.push(`unknown option --${name} (expected ${allowed.map((o) => `--${o}`).join(", ")})`);
    else if (value === undefined || value === "") problems.push(`--${name} needs a value`);
    else if (Object.hasOwn(options, name)) problems.push(`--${name} given twice`);
    else options[name] = value;
  }
  if (problems.length > 0) throw new InputError(problems);
  return { options, positional };
}

/** The access models of `outdir`, only environment `env` when given (an unknown name is an input error). */
async function modelsOf(outdir: string, env: string | undefined): Promise<AccessModel[]> {
  let models: AccessModel[];
  try {
    models = await loadAccessModels(outdir);
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(e.problems.map((p) => `${outdir}: ${p}`));
    throw new InputError([(e as Error).message]);
  }
  if (models.length === 0) throw new InputError([`${outdir}: no synthesized stacks (run npm run synth first)`]);
  if (env === undefined) return models;
  const chosen = models.filter((m) => m.environment === env);
  if (chosen.length === 0) throw new InputError([`--env ${env}: no such environment in ${outdir} (found ${models.map((m) => m.environment).join(", ")})`]);
  return chosen;
}

async function runMatrix(args: readonly string[], io: Io): Promise<void> {
  const { options, positional } = parseOptions(args, ["env", "out"]);
  if (positional.length > 0) throw new InputError([`matrix takes no positional argument (got ${positional.join(" ")})`]);
  const models = await modelsOf(options.out ?? "cdktf.out", options.env);
  io.stdout(toMarkdown(models.flatMap((m) => accessMatrix(m))));
}

async function runWho(args: readonly string[], io: Io): Promise<void> {
  const { options, positional } = parseOptions(args, ["env", "capability", "out"]);
  if (positional.length !== 1) throw new InputError([`who takes exactly one path (got ${positional.length === 0 ? "none" : positional.join(" ")})`]);
  const capability = options.capability;
  if (capability !== undefined && !(TESTED_CAPABILITIES as readonly string[]).includes(capability)) {
    throw new InputError([`--capability must be one of ${TESTED_CAPABILITIES.join(", ")} (got ${JSON.stringify(capability)})`]);
  }
  const models = await modelsOf(options.out ?? "cdktf.out", options.env);
  const path = positional[0].replace(/^\/+/, "");
  io.stdout(toMarkdown(whoReport(models, path, capability as TestedCapability | undefined)));
}

async function runDiff(args: readonly string[], io: Io): Promise<void> {
  const { positional } = parseOptions(args, []);
  if (positional.length !== 2) throw new InputError([`diff takes a base and a head synth output directory (got ${positional.length})`]);
  const [basePath, headPath] = positional;
  const load = async (dir: string) => {
    try {
      return await loadAccessModels(dir);
    } catch (e) {
      throw new InputError([e instanceof ConfigError ? e.problems.map((p) => `${dir}: ${p}`).join("\n") : (e as Error).message]);
    }
  };
  const [base, head] = [await load(basePath), await load(headPath)];
  io.stdout(toMarkdown(diffReport(base, head, { base: basePath, head: headPath })));
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  eval: {
    summary:
      'eval   reads [{"policies": ["<hcl>"], "path": "...", "operation": "read", "data"?: {}, "wrap_ttl_seconds"?: n, "entity"?: {"id": "..."}}] ' +
      'on stdin, writes one answer per item: {"allowed": bool, "root_privs": bool, "granting_policies": [policy index]} ' +
      `or {"index": i, "error": "..."} (then exit ${EXIT_ITEM_ERRORS})`,
    run: runEval,
  },
  matrix: {
    summary: "matrix [--env E] [--out cdktf.out]   Markdown: every auth role, its policies and capabilities on every path they name",
    run: runMatrix,
  },
  who: {
    summary: "who <path> [--env E] [--capability C] [--out cdktf.out]   Markdown: which roles can do what on <path>",
    run: runWho,
  },
  diff: {
    summary: "diff <base cdktf.out> <head cdktf.out>   Markdown (## Access changes): access gained and lost between two synths",
    run: runDiff,
  },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.summary}`);
  return `usage: npm run --silent access -- <command>\ncommands:\n${lines.join("\n")}\n`;
}

/** Runs one command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`${name === undefined ? "no command given" : `unknown command "${name}"`}\n${usage()}`);
    return 2;
  }
  try {
    await command.run(args, io);
    return 0;
  } catch (e) {
    if (e instanceof ItemErrors) {
      io.stderr(`access ${name}: ${e.message}\n`);
      return EXIT_ITEM_ERRORS;
    }
    if (e instanceof InputError) {
      io.stderr(`access ${name}: ${e.problems.length === 1 ? e.problems[0] : `\n  ${e.problems.join("\n  ")}`}\n`);
      return 2;
    }
    // Not an input problem we know: the message only (a stack trace is for VAULT_PLATFORM_DEBUG=1), exit 1.
    const debug = process.env.VAULT_PLATFORM_DEBUG === "1";
    const detail = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e);
    io.stderr(`access ${name} failed: ${detail}${debug ? "" : " (VAULT_PLATFORM_DEBUG=1 shows the stack trace)"}\n`);
    return 1;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdin: readStdin,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
