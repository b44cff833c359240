/**
 * Summarises `terraform show -json <plan>` output (Terraform's documented JSON output format, format_version 1.x)
 * as Markdown for the pull-request comment: counts per action and every changed resource with the names of the
 * attributes that change. It never prints attribute values, so no secret can leak into a comment.
 *
 * usage: plan-summary <stack>=<plan.json> [...]
 */
import { readFileSync } from "node:fs";

type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget";

interface ResourceChange {
  readonly address: string;
  readonly mode?: "managed" | "data";
  readonly type: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: Action[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
  };
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: ResourceChange[];
  readonly output_changes?: Record<string, { actions: Action[] }>;
  readonly errored?: boolean;
}

/** What a change does, in Terraform's own words: replace covers both delete-then-create orders. */
export type Kind = "create" | "update" | "replace" | "delete" | "read" | "forget" | "no-op";

export function kindOf(actions: readonly Action[]): Kind {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  return (actions[0] ?? "no-op") as Kind;
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
  return p;
}

const ORDER: Kind[] = ["create", "update", "replace", "delete", "forget"];

export function summarisePlan(stack: string, plan: PlanJson): string {
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== "data")
    .map((rc) => ({ rc, kind: kindOf(rc.change.actions) }))
    .filter(({ kind }) => kind !== "no-op" && kind !== "read");
  const counts = Object.fromEntries(ORDER.map((k) => [k, changes.filter((c) => c.kind === k).length]));
  const lines = [
    `### ${stack}`,
    "",
    changes.length === 0
      ? "No changes."
      : `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to destroy` +
        (counts.forget ? `, ${counts.forget} to forget` : "") +
        ".",
  ];
  if (counts.delete + counts.replace > 0) {
    lines.push("", `> **Destructive:** ${counts.delete + counts.replace} resource(s) will be destroyed or replaced.`);
  }
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

function main(args: string[]): number {
  if (args.length === 0) {
    process.stderr.write("usage: plan-summary <stack>=<plan.json> [...]\n");
    return 2;
  }
  const sections = ["## Terraform plans", ""];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      process.stderr.write(`plan-summary: expected <stack>=<plan.json>, got ${arg}\n`);
      return 2;
    }
    const [stack, file] = [arg.slice(0, eq), arg.slice(eq + 1)];
    try {
      sections.push(summarisePlan(stack, validatePlan(JSON.parse(readFileSync(file, "utf8")), file)), "");
    } catch (e) {
      process.stderr.write(`plan-summary: ${(e as Error).message}\n`);
      return 2;
    }
  }
  process.stdout.write(`${sections.join("\n")}\n`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
