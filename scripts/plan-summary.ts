/**
 * The plan gate and pull-request summary of `terraform show -json <plan>` output (Terraform's documented JSON
 * output format, format_version 1.x).
 *
 * It fails closed: the exit status is 1, naming the addresses, when a plan deletes or replaces a stateful resource
 * (config/stateful.ts, by resource type) that no `compliance.destructions` entry of the environment allows, when
 * the plan has `errored: true` or `complete: false`, when a deferred change (`deferred_changes`) would delete or
 * replace one, and when a change carries an action or mode it does not know (a data source that deletes). Otherwise
 * 0. Bad input is 2: not JSON, a duplicate key (JSON.parse would keep the last), nesting deeper than 256, `errored`,
 * `complete` or `applyable` not a JSON boolean, a field not in the shape Terraform writes it.
 *
 * The Markdown summary (stdout) lists blocked and destructive changes first, then counts per action and every
 * changed resource with the names of the attributes that change. It never prints attribute values, so no secret
 * can leak into a comment.
 *
 * usage: plan-summary [--synth-dir cdktf.out] <stack>=<plan.json> [...]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readTextFile } from "../config/files";
import { parseStrictJson } from "../config/strict-json";
import { STATEFUL_TYPES, isStatefulType } from "../config/stateful";

interface ResourceChange {
  readonly address: string;
  readonly mode?: "managed" | "data";
  readonly type: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
  };
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: ResourceChange[];
  readonly output_changes?: Record<string, { actions: string[] }>;
  readonly errored?: boolean;
  readonly complete?: boolean;
  readonly applyable?: boolean;
  readonly deferred_changes?: { reason: string; resource_change: ResourceChange }[];
}

/** What a change does, in Terraform's own words: replace covers both delete-then-create orders. */
export type Kind = "create" | "update" | "replace" | "delete" | "read" | "forget" | "no-op" | "unknown";

/**
 * The action lists Terraform's JSON output format documents (`forget` since 1.7, for `removed` blocks that keep
 * the object). Anything else is `unknown`, and the gate refuses it rather than guess.
 */
const KNOWN: Readonly<Record<string, Kind>> = {
  "no-op": "no-op",
  create: "create",
  read: "read",
  update: "update",
  delete: "delete",
  forget: "forget",
  "delete,create": "replace",
  "create,delete": "replace",
};

export function kindOf(actions: readonly string[] | undefined): Kind {
  return (Array.isArray(actions) && KNOWN[actions.join(",")]) || "unknown";
}

/** Top-level attribute names that differ between before and after (or become unknown until apply). */
export function changedAttributes(change: ResourceChange["change"]): string[] {
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  const unknown = (change.after_unknown ?? {}) as Record<string, unknown>;
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...names]
    .filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}

export function validatePlan(plan: unknown, source: string): PlanJson {
  const p = plan as PlanJson;
  if (!p || typeof p !== "object" || typeof p.format_version !== "string") {
    throw new Error(`${source}: not a Terraform JSON plan (no format_version); produce it with terraform show -json <planfile>`);
  }
  if (!p.format_version.startsWith("1.")) {
    throw new Error(`${source}: unsupported plan format_version ${p.format_version} (this summariser reads 1.x)`);
  }
  // The fields the summary reads, in the shape Terraform writes them; anything else is named, never a TypeError.
  const problems: string[] = [];
  // Terraform writes these as JSON booleans (internal/command/jsonplan/plan.go): "true" or 1 is not read as either.
  for (const flag of ["errored", "complete", "applyable"] as const) {
    if (p[flag] !== undefined && typeof p[flag] !== "boolean") problems.push(`${flag} must be true or false (got ${JSON.stringify(p[flag])})`);
  }
  const checkChange = (rc: unknown, at: string) => {
    const o = rc as Partial<ResourceChange> | null;
    if (o === null || typeof o !== "object" || Array.isArray(o)) return void problems.push(`${at} must be an object`);
    if (typeof o.address !== "string") problems.push(`${at}.address must be a string`);
    if (typeof o.type !== "string") problems.push(`${at}.type must be a string`);
    if (o.mode !== undefined && typeof o.mode !== "string") problems.push(`${at}.mode must be a string`);
    const change = o.change as Partial<ResourceChange["change"]> | null | undefined;
    if (change === null || typeof change !== "object" || !Array.isArray(change.actions) || change.actions.some((a) => typeof a !== "string")) {
      problems.push(`${at}.change.actions must be a list of action names`);
    }
  };
  if (p.resource_changes !== undefined && !Array.isArray(p.resource_changes)) problems.push("resource_changes must be a list");
  (Array.isArray(p.resource_changes) ? p.resource_changes : []).forEach((rc: unknown, i) => checkChange(rc, `resource_changes[${i}]`));
  if (p.deferred_changes !== undefined && !Array.isArray(p.deferred_changes)) problems.push("deferred_changes must be a list");
  (Array.isArray(p.deferred_changes) ? p.deferred_changes : []).forEach((d: unknown, i) => {
    const o = d as { resource_change?: unknown } | null;
    if (o === null || typeof o !== "object" || Array.isArray(o)) return void problems.push(`deferred_changes[${i}] must be an object`);
    checkChange(o.resource_change, `deferred_changes[${i}].resource_change`);
  });
  const outputs = p.output_changes as unknown;
  if (outputs !== undefined && (outputs === null || typeof outputs !== "object" || Array.isArray(outputs))) problems.push("output_changes must be an object");
  else {
    for (const [name, oc] of Object.entries((outputs ?? {}) as Record<string, unknown>)) {
      if (oc === null || typeof oc !== "object" || !Array.isArray((oc as { actions?: unknown }).actions)) problems.push(`output_changes.${name}.actions must be a list`);
    }
  }
  if (problems.length > 0) throw new Error(`${source}: not in the shape of terraform show -json: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`);
  return p;
}

/** Deliberate destructions of one stack: address -> reason (from the environment's `compliance.destructions`). */
export type AllowedDestructions = ReadonlyMap<string, string>;

export interface GateResult {
  /** One line per reason the plan must not be applied, each naming the address. */
  readonly blocked: string[];
  /** Destructive changes (delete or replace), blocked or not, in the order they are listed. */
  readonly destructive: { readonly kind: Kind; readonly address: string; readonly note: string }[];
}

export function gate(plan: PlanJson, allowed: AllowedDestructions = new Map()): GateResult {
  const blocked: string[] = [];
  const destructive: GateResult["destructive"] = [];
  if (plan.errored === true) {
    blocked.push("the plan errored (errored: true): Terraform could not plan every change; fix the error and plan again");
  }
  if (plan.complete === false) {
    blocked.push(
      "the plan is incomplete (complete: false): Terraform deferred changes to a later plan (deferred_changes), so this one " +
        "does not show everything the next applies; resolve what was unknown and plan again",
    );
  }
  const judge = (rc: ResourceChange, deferred: string) => {
    const kind = kindOf(rc.change?.actions);
    const mode = rc.mode ?? "managed";
    if (kind === "unknown") {
      blocked.push(`${deferred}\`${rc.address}\`: unknown action ${JSON.stringify(rc.change?.actions ?? null)}; the gate refuses what it cannot classify`);
      return;
    }
    if (mode !== "managed" && mode !== "data") {
      blocked.push(`${deferred}\`${rc.address}\`: unknown mode ${JSON.stringify(mode)} (Terraform writes managed or data); the gate refuses what it cannot classify`);
      return;
    }
    if (kind !== "delete" && kind !== "replace") return;
    if (mode === "data") {
      // Terraform never shows a data source's delete (jsonplan.MarshalResourceChanges drops it): this plan was not written by it.
      blocked.push(`${deferred}\`${rc.address}\`: a data source cannot delete ${JSON.stringify(rc.change.actions)}; the gate refuses what it cannot classify`);
      return;
    }
    if (!isStatefulType(rc.type)) {
      destructive.push({ kind, address: rc.address, note: deferred });
    } else if (allowed.has(rc.address)) {
      destructive.push({ kind, address: rc.address, note: `${deferred}stateful, allowed by compliance.destructions: ${allowed.get(rc.address)}` });
    } else {
      const verb = kind === "delete" ? "destroyed" : "replaced";
      blocked.push(
        `${deferred}\`${rc.address}\` would be ${verb}, losing ${STATEFUL_TYPES[rc.type]!.loses}. Safely: ${STATEFUL_TYPES[rc.type]!.safely}` +
          " (docs/data-safety.md)",
      );
      destructive.push({ kind, address: rc.address, note: `${deferred}stateful, **blocked**` });
    }
  };
  for (const rc of plan.resource_changes ?? []) judge(rc, "");
  for (const d of plan.deferred_changes ?? []) judge(d.resource_change, "deferred: ");
  return { blocked, destructive };
}

const ORDER: Kind[] = ["delete", "replace", "create", "update", "forget"];

export function summarisePlan(stack: string, plan: PlanJson, result: GateResult = gate(plan)): string {
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== "data")
    .map((rc) => ({ rc, kind: kindOf(rc.change?.actions) }))
    .filter(({ kind }) => kind !== "no-op" && kind !== "read" && kind !== "unknown");
  const count = (k: Kind) => changes.filter((c) => c.kind === k).length;
  const lines = [`### ${stack}`, ""];
  // Every line that starts with "- **" is a blocked or destructive change: the PR comment collects them first.
  if (result.blocked.length > 0) {
    lines.push("**Gate: blocked.** This plan must not be applied:", ...result.blocked.map((b) => `- **BLOCKED** \`${stack}\`: ${b}`), "");
  }
  if (result.destructive.length > 0) {
    lines.push(
      `> **Destructive:** ${result.destructive.length} resource(s) will be destroyed or replaced.`,
      "",
      ...result.destructive.map((d) => `- **${d.kind}** \`${stack}\` \`${d.address}\`${d.note ? ` (${d.note})` : ""}`),
      "",
    );
  }
  lines.push(
    changes.length === 0
      ? "No changes."
      : `${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to destroy` +
          (count("forget") ? `, ${count("forget")} to forget` : "") +
          ".",
  );
  if (changes.length > 0) {
    lines.push("", "| action | resource | attributes |", "| --- | --- | --- |");
    for (const { rc, kind } of changes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.rc.address.localeCompare(b.rc.address))) {
      const attrs = kind === "update" || kind === "replace" ? changedAttributes(rc.change).join(", ") : "";
      const reason = rc.action_reason ? ` (${rc.action_reason.replace(/_/g, " ")})` : "";
      lines.push(`| ${kind}${reason} | \`${rc.address}\` | ${attrs} |`);
    }
  }
  const outputs = Object.entries(plan.output_changes ?? {}).filter(([, c]) => !c.actions.includes("no-op"));
  if (outputs.length > 0) lines.push("", `Outputs changing: ${outputs.map(([k]) => `\`${k}\``).join(", ")}.`);
  return lines.join("\n");
}

interface ManifestDestructions {
  readonly environments?: { stacks?: string[]; destructions?: { resource: string; reason: string }[] }[];
}

/** The deliberate destructions synth recorded for a stack (cdktf.out/vault-platform.json); none when absent. */
export function allowedFor(stack: string, synthDir: string): AllowedDestructions {
  const file = join(synthDir, "vault-platform.json");
  if (!existsSync(file)) return new Map();
  const manifest = JSON.parse(readFileSync(file, "utf8")) as ManifestDestructions;
  const env = (manifest.environments ?? []).find((e) => e.stacks?.includes(stack));
  return new Map((env?.destructions ?? []).map((d) => [d.resource, d.reason]));
}

function main(argv: string[]): number {
  const args = [...argv];
  let synthDir = "cdktf.out";
  const at = args.indexOf("--synth-dir");
  if (at >= 0) {
    synthDir = args[at + 1] ?? "";
    args.splice(at, 2);
  }
  if (args.length === 0 || !synthDir) {
    process.stderr.write("usage: plan-summary [--synth-dir cdktf.out] <stack>=<plan.json> [...]\n");
    return 2;
  }
  const sections = ["## Terraform plans", ""];
  const blocked: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      process.stderr.write(`plan-summary: expected <stack>=<plan.json>, got ${arg}\n`);
      return 2;
    }
    const [stack, file] = [arg.slice(0, eq), arg.slice(eq + 1)];
    const read = readTextFile(file);
    if (read.problem !== undefined) {
      process.stderr.write(`plan-summary: ${file}: ${read.problem}\n`);
      return 2;
    }
    const json = parseStrictJson(read.text, 256);
    if (json.problem !== undefined) {
      process.stderr.write(`plan-summary: ${file}: ${json.problem}\n`);
      return 2;
    }
    try {
      const plan = validatePlan(json.value, file);
      const result = gate(plan, allowedFor(stack, synthDir));
      blocked.push(...result.blocked.map((b) => `${stack}: ${b}`));
      sections.push(summarisePlan(stack, plan, result), "");
    } catch (e) {
      process.stderr.write(`plan-summary: ${(e as Error).message}\n`);
      return 2;
    }
  }
  process.stdout.write(`${sections.join("\n")}\n`);
  if (blocked.length > 0) {
    process.stderr.write(`plan-summary: plan gate blocked (${blocked.length}):\n  ${blocked.join("\n  ")}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
