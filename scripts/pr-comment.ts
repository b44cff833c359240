/**
 * `npm run --silent pr-comment -- [artifacts] [--environment prod] [--max 60000]`: the pull request's review comment
 * (Markdown on stdout) from the artifacts of its run, as the comment job downloads them:
 *   synth/cdktf.out/vault-platform.json      the environment's stacks (one plan per stack)
 *   synth/cdktf.out/compliance-report.md     its `## Summary` section
 *   synth/access-diff.md                     `npm run access -- diff base head`
 *   synth/base-status                        `ok`, `no-base` (first pull request) or `failed` (base synth broke)
 *   plan-summary-<stack>/plan-<stack>.md     scripts/plan-summary.ts, or the plan job's "Deferred" note
 * Blocked and destructive changes come first, each once; links into the HTML report (dead in a comment) become
 * plain text; the whole stays under `--max` characters (GitHub refuses a comment over 65,536): long sections are cut
 * at a line with a pointer to the artifact that holds them in full.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_MAX = 60_000;

export interface CommentInput {
  /** Where the artifacts were downloaded. */
  readonly dir: string;
  readonly environment: string;
  readonly max: number;
  /** The run's page, where the artifacts are (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`). */
  readonly runUrl?: string;
}

const read = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, "utf8") : undefined);

/** In-page links of the HTML report (`[text](#id)`) are dead in a comment: keep their text. */
export function withoutPageLinks(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\(#[^)]*\)/g, "$1");
}

/** The `## Summary` section of the compliance report, up to the next `## ` heading. */
function complianceSummary(report: string): string {
  const lines = report.split("\n");
  const start = lines.findIndex((l) => l === "## Summary");
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  return lines.slice(start, end < 0 ? undefined : end).join("\n").trim();
}

/** The stacks of one environment, from the synth manifest (the plan job plans each). */
function stacksOf(dir: string, environment: string): string[] {
  const manifest = read(join(dir, "synth", "cdktf.out", "vault-platform.json"));
  if (manifest === undefined) throw new Error(`${join(dir, "synth", "cdktf.out", "vault-platform.json")} is missing: is this the synth artifact?`);
  const env = (JSON.parse(manifest) as { environments?: { environment: string; stacks: string[] }[] }).environments?.find((e) => e.environment === environment);
  if (!env) throw new Error(`environment ${environment} is not in the synth manifest`);
  return env.stacks;
}

interface PlanSection {
  readonly stack: string;
  /** The stack's section without its blocked/destructive lines (listed once, at the top). */
  readonly body: string;
  readonly flagged: readonly string[];
}

/** A stack's plan summary: its `- **` lines (blocked or destructive, one change each) and the rest. */
function planSection(dir: string, stack: string): PlanSection {
  const text = read(join(dir, `plan-summary-${stack}`, `plan-${stack}.md`));
  if (text === undefined) {
    const missing = `- **BLOCKED** \`${stack}\`: no plan summary: the plan failed (a protected resource would be destroyed, or another error); see the run log`;
    return { stack, body: `### ${stack}\n\nNo plan summary (listed above).`, flagged: [missing] };
  }
  const lines = text.split("\n").filter((l) => l !== "## Terraform plans");
  const flagged = [...new Set(lines.filter((l) => l.startsWith("- **")))];
  const body = lines
    .filter((l) => !l.startsWith("- **"))
    .map((l) => (l.startsWith("**Gate: blocked.**") ? "**Gate: blocked** (the changes are listed at the top)." : l))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { stack, body: body.startsWith("### ") ? body : `### ${stack}\n\n${body}`, flagged };
}

/** Cuts `text` at a line boundary to at most `budget` characters, ending with a pointer to where it is whole. */
export function trimTo(text: string, budget: number, whole: string): string {
  if (text.length <= budget) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let size = 0;
  const pointer = (n: number) => `\n\n… ${n} more line${n === 1 ? "" : "s"} not shown: ${whole}.`;
  const reserve = pointer(lines.length).length;
  for (const line of lines) {
    if (size + line.length + 1 + reserve > budget) break;
    kept.push(line);
    size += line.length + 1;
  }
  return `${kept.join("\n")}${pointer(lines.length - kept.length)}`;
}

function baseNote(status: string | undefined): { text: string; showDiff: boolean } {
  switch (status?.trim()) {
    case "ok":
      return { text: "", showDiff: true };
    case "no-base":
      return { text: "**First pull request:** the base commit has no vault-platform app, so every role and capability below is new.", showDiff: true };
    case "failed":
      return {
        text:
          "**The base commit failed to synthesize** (its log is `base-synth.log` in the `synth` artifact). The access " +
          "changes of this pull request cannot be computed and are not shown: fix the base (main) first.",
        showDiff: false,
      };
    default:
      return { text: "**Base status unknown** (no `base-status` in the `synth` artifact): the access changes are not shown.", showDiff: false };
  }
}

export function buildComment(input: CommentInput): string {
  const { dir, environment, max } = input;
  const where = (file: string) => `${file} in the \`synth\` artifact of ${input.runUrl ? `[this run](${input.runUrl})` : "this run"}`;
  const plans = stacksOf(dir, environment).map((s) => planSection(dir, s));
  const flagged = [...new Set(plans.flatMap((p) => p.flagged))];
  const base = baseNote(read(join(dir, "synth", "base-status")));
  const report = read(join(dir, "synth", "cdktf.out", "compliance-report.md"));
  const summary = report === undefined ? "No compliance report in the `synth` artifact." : withoutPageLinks(complianceSummary(report));
  const diff = read(join(dir, "synth", "access-diff.md"));

  const head = [
    "# vault-platform review",
    "",
    ...(base.text ? [base.text, ""] : []),
    "## Blocked and destructive changes",
    "",
    flagged.length > 0 ? trimTo(flagged.join("\n"), 8_000, "every stack's plan summary below and in its plan-summary artifact") : "None: no plan deletes or replaces a resource.",
    "",
  ].join("\n");
  const footer = `\n\nFull compliance report: compliance-report.html in the \`synth\` artifact of ${input.runUrl ? `[this run](${input.runUrl})` : "this run"}.\n`;
  // Fixed parts first; the rest of the budget is shared by the summary, the access changes and the plans.
  const rest = max - head.length - footer.length - 200;
  const access = base.showDiff ? (diff ?? "## Access changes\n\nNo access diff in the `synth` artifact.") : "## Access changes\n\nNot computed (see above).";
  const planText = ["## Terraform plans", "", ...plans.map((p) => p.body)].join("\n\n");
  const parts = [
    { text: summary, whole: where("compliance-report.md") },
    { text: access.trim(), whole: where("access-diff.md") },
    { text: planText, whole: "each stack's plan-summary artifact of this run" },
  ];
  const trimmed = share(parts, rest);
  return `${head}\n${trimmed.join("\n\n")}${footer}`;
}

/** Each part whole if all fit; else small parts whole and the budget left split evenly among the large ones. */
function share(parts: readonly { text: string; whole: string }[], budget: number): string[] {
  const sizes = parts.map((p) => p.text.length + 2);
  if (sizes.reduce((a, b) => a + b, 0) <= budget) return parts.map((p) => p.text);
  let left = budget;
  let large = parts.length;
  const order = parts.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b]);
  const allowance = new Array<number>(parts.length);
  for (const i of order) {
    const fair = Math.floor(left / large);
    allowance[i] = Math.min(sizes[i], fair);
    left -= allowance[i];
    large -= 1;
  }
  return parts.map((p, i) => trimTo(p.text, allowance[i] - 2, p.whole));
}

function main(argv: readonly string[]): number {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith("--")) options[argv[i].slice(2)] = argv[++i] ?? "";
    else positional.push(argv[i]);
  }
  const unknown = Object.keys(options).filter((k) => k !== "environment" && k !== "max");
  const max = Number(options.max ?? DEFAULT_MAX);
  if (unknown.length > 0 || positional.length > 1 || !Number.isInteger(max) || max < 2_000) {
    process.stderr.write("usage: pr-comment [artifacts] [--environment prod] [--max 60000]\n");
    return 2;
  }
  const env = process.env;
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  try {
    process.stdout.write(buildComment({ dir: positional[0] ?? "artifacts", environment: options.environment ?? "prod", max, runUrl }));
    return 0;
  } catch (e) {
    process.stderr.write(`pr-comment: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
