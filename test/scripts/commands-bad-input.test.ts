/**
 * The commands besides synth on wrong-shaped input or a missing directory: `npm run access`, `npm run report` and
 * `npm run plan-summary` each exit non-zero with the file (and field) named, never a JavaScript stack trace, never
 * a hang, and `access diff` never reads a missing directory as "every role removed".
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript, STACK_FRAME } from "../synth-process";

const work = mkdtempSync(join(tmpdir(), "vault-platform-commands-"));

/** A synth output in the right outline whose files hold what the test says. */
function output(name: string, files: Record<string, unknown>): string {
  const dir = join(work, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

const oneStack = (stack: unknown) =>
  ({
    "vault-platform.json": { environments: [{ environment: "dev", stacks: ["vault-config-dev"], suppressions: [] }] },
    "manifest.json": { stacks: { "vault-config-dev": { synthesizedStackPath: "stacks/vault-config-dev/cdk.tf.json" } } },
    "stacks/vault-config-dev/cdk.tf.json": stack,
  }) as Record<string, unknown>;

function plan(name: string, content: unknown): string {
  const file = join(work, `${name}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

interface Case {
  readonly name: string;
  readonly script: string;
  readonly args: () => string[];
  /** Exit code the command documents for bad input. */
  readonly status: number;
  readonly stderr: RegExp;
}

const fifo = () => {
  const path = join(work, "plan-fifo.json");
  execFileSync("mkfifo", [path]);
  return path;
};

const CASES: readonly Case[] = [
  { name: "access diff with a missing base", script: "access/cli.ts", args: () => ["diff", join(work, "missing"), join(work, "missing-too")], status: 2, stderr: /missing: does not exist: not a vault-platform synth output/ },
  { name: "access matrix on a missing output", script: "access/cli.ts", args: () => ["matrix", "--out", join(work, "nothing-here")], status: 2, stderr: /nothing-here: does not exist: not a vault-platform synth output/ },
  {
    name: "access matrix on a manifest of the wrong shape",
    script: "access/cli.ts",
    args: () => ["matrix", "--out", output("bad-manifest", { ...oneStack({}), "vault-platform.json": { environments: "dev" } })],
    status: 2,
    stderr: /bad-manifest\/vault-platform\.json: not in the shape synth writes: environments: /,
  },
  {
    name: "access who on a stack with unexpected content",
    script: "access/cli.ts",
    args: () => ["who", "secret/x", "--out", output("odd-stack", oneStack({ resource: { vault_policy: { p: { name: 7, policy: 42 } } } }))],
    status: 2,
    stderr: /odd-stack: vault-config-dev vault_policy\.p: failed to parse policy: At 1:1: expected: IDENT \| STRING \| ASSIGN \| LBRACE got: NUMBER/,
  },
  { name: "report on a missing output", script: "scripts/report.ts", args: () => [join(work, "absent")], status: 1, stderr: /^report: .*absent: does not exist: not a vault-platform synth output/ },
  {
    name: "report on a stack whose resources are a list",
    script: "scripts/report.ts",
    args: () => [output("list-resources", oneStack({ resource: [] }))],
    status: 1,
    stderr: /list-resources\/stacks\/vault-config-dev\/cdk\.tf\.json: not in the shape synth writes: resource: /,
  },
  {
    name: "report on a manifest that is not JSON",
    script: "scripts/report.ts",
    args: () => [output("not-json", { ...oneStack({}), "manifest.json": "{ nope" })],
    status: 1,
    stderr: /not-json\/manifest\.json: not JSON/,
  },
  {
    name: "plan-summary on resource_changes of the wrong shape",
    script: "scripts/plan-summary.ts",
    args: () => [`vault-config-prod=${plan("shape", { format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", change: { actions: "create" } }, 7] })}`],
    status: 2,
    stderr: /shape\.json: not in the shape of terraform show -json: resource_changes\[0\]\.change\.actions must be a list of action names; resource_changes\[1\] must be an object/,
  },
  { name: "plan-summary on a file that is not JSON", script: "scripts/plan-summary.ts", args: () => [`x=${plan("text", "Plan: 1 to add")}`], status: 2, stderr: /text\.json: not JSON/ },
  { name: "plan-summary on a FIFO", script: "scripts/plan-summary.ts", args: () => [`x=${fifo()}`], status: 2, stderr: /plan-fifo\.json: is a FIFO \(named pipe\), expected a file/ },
];

describe("access, report and plan-summary on bad input", () => {
  const results = new Map<string, Awaited<ReturnType<typeof runScript>>>();
  beforeAll(async () => {
    const queue = [...CASES];
    const workers = Array.from({ length: 2 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) results.set(c.name, await runScript(c.script, c.args(), { timeoutMs: 30_000 }));
    });
    await Promise.all(workers);
  }, 240_000);

  it.each(CASES.map((c) => [c.name, c] as const))("%s: clean error naming the file, non-zero exit", (_name, c) => {
    const r = results.get(c.name)!;
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toMatch(c.stderr);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toMatch(/TypeError|ReferenceError/);
    expect(r.status).toBe(c.status);
    expect(r.stdout).toBe("");
  });
});
