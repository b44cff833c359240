/**
 * Reads and validates every `<env>.yaml` of a config directory before anything is synthesized, and reports all
 * problems of all files at once as `config/prod.yaml: cluster.replicas: must be an odd number from 3 to 7 (got 4)`.
 */
import { basename, join, relative } from "node:path";
import { readYamlCached } from "./parse-cache";
import type { z } from "zod";
import { listDirectory, readTextFile } from "./files";
import { MAX_APPLICATIONS, MAX_CONFIG_BYTES } from "./limits";
import { expandIdentityPaths } from "./identity-paths";
import { STATEFUL_TYPES, isStatefulType, typeOfAddress } from "./stateful";
import type { EnvironmentConfig } from "./schema";
import { readValidated, storeValidated } from "./validated-cache";

/**
 * The schema, loaded on first use: a synth whose configs validated before (config/validated-cache.ts) never loads
 * it or zod.
 */
function configSchema(): typeof import("./schema").environmentConfigSchema {
  const { z: zod } = require("zod") as typeof import("zod");
  // zod compiles a fast path for each object schema with `new Function` on first use; synth validates one or two
  // documents per run, so the compiling costs more (about 0.15 s) than it saves. Same results either way.
  zod.config({ jitless: true });
  return (require("./schema") as typeof import("./schema")).environmentConfigSchema;
}

export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export interface LoadedEnvironment {
  /** Path of the YAML file as given (for messages). */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** `applications[0].auth.role` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `10,000`: numbers in messages as people write them. */
export const count = (n: number): string => n.toLocaleString("en-US");

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown key (check the spelling against config/environment.schema.json)`);
  }
  const where = formatPath(issue.path) || "(top level)";
  // The value at the issue's path, as written (a discriminator issue's own input is the whole object).
  const input = valueAt(raw, issue.path);
  if (issue.code === "invalid_type" && input === undefined) return [`${where}: is required (expected ${issue.expected})`];
  if (issue.code === "too_big" && issue.origin === "string" && typeof input === "string") {
    return [`${where}: must be at most ${count(Number(issue.maximum))} characters (got ${count(input.length)})`];
  }
  const message = issue.code === "invalid_type" ? `must be ${issue.expected}` : issue.message;
  return [`${where}: ${message}${input === undefined ? "" : ` (got ${show(input)})`}`];
}

/** Validates one parsed document; returns the config or the list of problems (without the file prefix). */
export function validateEnvironment(raw: unknown): { config?: EnvironmentConfig; problems: string[] } {
  // Counted before the schema walks every entry: far past the supported scale, say so at once.
  const apps = (raw as { applications?: unknown } | null)?.applications;
  if (Array.isArray(apps) && apps.length > MAX_APPLICATIONS) {
    return { problems: [`applications: must hold at most ${count(MAX_APPLICATIONS)} applications, the supported scale (got ${count(apps.length)}; docs/scaling.md)`] };
  }
  const result = configSchema().safeParse(raw, { reportInput: true });
  if (result.success) {
    // ownedPaths and managesPaths may name {{config.*}} variables; every later check sees them expanded.
    const { config, problems } = expandIdentityPaths(result.data);
    return problems.length > 0 ? { problems } : { config, problems };
  }
  return { problems: result.error.issues.flatMap((i) => describeIssue(i, raw)) };
}

/** A problem found by a check outside the schema, in the schema's terms: the field, what is wrong, what it got. */
export interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly input?: unknown;
}

/** Checks that need more than the document: the file name, the policy files, the rule ids, what stacks derive. */
export interface ExternalReferences {
  /**
   * Names of the policies under `policies/` (file name without `.hcl`).
   * @default - references to policies are not checked (the policy directory itself could not be read)
   */
  readonly policyNames?: ReadonlySet<string>;
  /** Ids of every compliance rule, for suppressions. */
  readonly ruleIds: ReadonlySet<string>;
  /**
   * The day suppressions are checked against, `YYYY-MM-DD`.
   * @default - today (UTC)
   */
  readonly today?: string;
  /**
   * Checks of a valid config against what the stacks derive from it (stacks/preflight.ts), reported like
   * schema problems.
   * @default - none
   */
  readonly preflight?: (config: EnvironmentConfig) => readonly ConfigIssue[];
}

/** `field: message (got value)`, as the schema's own problems read. */
export function describeConfigIssue(issue: ConfigIssue): string {
  return `${formatPath(issue.path) || "(top level)"}: ${issue.message}${issue.input === undefined ? "" : ` (got ${show(issue.input)})`}`;
}

function checkExternal(file: string, config: EnvironmentConfig, refs: ExternalReferences): string[] {
  const problems: string[] = [];
  const today = refs.today ?? new Date().toISOString().slice(0, 10);
  const env = environmentOfFile(file);
  if (config.environment !== env) {
    problems.push(`environment: must match the file name "${env}" (got ${show(config.environment)})`);
  }
  for (const section of ["applications", "platform"] as const) {
    config[section].forEach((id, i) =>
      id.policies.forEach((p, j) => {
        if (refs.policyNames && !refs.policyNames.has(p)) {
          problems.push(`${section}[${i}].policies[${j}]: must name a policy file policies/${p}.hcl (got ${show(p)})`);
        }
      }),
    );
  }
  config.compliance.suppressions.forEach((s, i) => {
    if (!refs.ruleIds.has(s.rule)) problems.push(`compliance.suppressions[${i}].rule: must be a known rule id (got ${show(s.rule)})`);
    // ISO dates compare as strings; the suppression holds through its expiry day.
    if (s.expires < today) {
      problems.push(
        `compliance.suppressions[${i}].expires: ${s.rule} on ${s.resource} expired on ${s.expires} (today is ${today}); ` +
          `its owner (${s.owner}) must renew it with a new date and a reason that still holds, or fix the finding`,
      );
    }
  });
  const destroyed = new Set<string>();
  config.compliance.destructions.forEach((d, i) => {
    const type = typeOfAddress(d.resource);
    if (!isStatefulType(type)) {
      problems.push(
        `compliance.destructions[${i}].resource: must be a stateful resource (${Object.keys(STATEFUL_TYPES).join(", ")}); ` +
          `other resources need no entry to be destroyed (got ${show(d.resource)})`,
      );
    }
    if (destroyed.has(d.resource)) problems.push(`compliance.destructions[${i}].resource: must be unique (got ${show(d.resource)})`);
    destroyed.add(d.resource);
    if (d.expires < today) {
      problems.push(
        `compliance.destructions[${i}].expires: the destruction of ${d.resource} expired on ${d.expires} (today is ${today}); ` +
          `its owner (${d.owner}) must remove the entry (the change was applied) or renew it with a new date`,
      );
    }
  });
  return problems;
}

/**
 * The YAML document of one file as plain data, or the problems of its text (syntax, aliases, empty); the parse from
 * the cache when the same text was read before.
 */
export function parseYamlDocument(text: string): { raw?: unknown; problems: string[] } {
  const { value: raw, problems } = readYamlCached(text);
  if (problems.length > 0) return { problems };
  if (raw === null || raw === undefined) return { problems: ["is empty (no YAML document, or only comments or null): expected a mapping with environment, aws, cluster, ..."] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { problems: [`(top level): must be a mapping of environment, aws, cluster, ... (got ${Array.isArray(raw) ? "a list" : show(raw)})`] };
  }
  return { raw, problems: [] };
}

/** The name of the environment a config file defines: its file name without `.yaml` or `.yml`. */
export function environmentOfFile(file: string): string {
  return basename(file).replace(/\.ya?ml$/, "");
}

/** Parses and validates one config file's text. */
function validateText(text: string): { config?: EnvironmentConfig; problems: string[] } {
  const parsed = parseYamlDocument(text);
  return parsed.raw === undefined ? { problems: parsed.problems } : validateEnvironment(parsed.raw);
}

/**
 * Loads every `*.yaml` and `*.yml` in `dir`. Throws one ConfigError listing every problem of every file; returns
 * the environments sorted by name otherwise.
 */
export function loadEnvironments(dir: string, refs: ExternalReferences): LoadedEnvironment[] {
  const displayOf = (path: string) => relative(process.cwd(), path) || path;
  const listing = listDirectory(dir);
  if (listing.problem !== undefined) throw new ConfigError([`${displayOf(dir)}: the config directory ${listing.problem}`]);
  const files = listing.entries.filter((f) => /\.ya?ml$/.test(f));
  if (files.length === 0) throw new ConfigError([`${displayOf(dir)}: no <env>.yaml file found`]);

  const problems: string[] = [];
  const loaded: LoadedEnvironment[] = [];
  const definedBy = new Map<string, string>();
  for (const name of files) {
    const path = join(dir, name);
    const display = displayOf(path);
    const env = environmentOfFile(name);
    const first = definedBy.get(env);
    if (first !== undefined) {
      problems.push(`${display}: environment ${env} is already defined by ${first}; keep one of the two files`);
      continue;
    }
    definedBy.set(env, display);
    const read = readTextFile(path, { bytes: MAX_CONFIG_BYTES, what: "a config file" });
    if (read.problem !== undefined) {
      problems.push(`${display}: ${read.problem}`);
      continue;
    }
    const cached = readValidated(read.text);
    const { config, problems: own } = cached ? { config: cached, problems: [] } : validateText(read.text);
    if (!cached && config && own.length === 0) storeValidated(read.text, config);
    const all = config ? [...own, ...checkExternal(name, config, refs), ...(refs.preflight?.(config) ?? []).map(describeConfigIssue)] : own;
    problems.push(...all.map((p) => `${display}: ${p}`));
    if (config && all.length === 0) loaded.push({ file: display, config });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}
