/**
 * Bad files where synth expects a config, a policy, a policy test or a stateful lock: each case runs the real entry point (main.ts,
 * as `npm run synth` does) on a copy of config/ and policies/ with one thing broken, and must end with exit 1, a
 * message naming the path, no stack trace, no hang, and the previous output untouched.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ROOT } from "./helpers";
import { STACK_FRAME, runSynth, treeDigest, type SynthRun } from "./synth-process";

interface Case {
  readonly name: string;
  /** Breaks the copy: `config` and `policies` are the directories synth is pointed at. */
  readonly setup: (dirs: { config: string; policies: string }) => void;
  /** What stderr must say: the path and what is wrong with it. */
  readonly expected: RegExp;
  /** Needs a user the permission bits apply to (root reads everything). */
  readonly unprivileged?: boolean;
}

const mkfifo = (path: string) => execFileSync("mkfifo", [path]);
const replace = (path: string, make: (p: string) => void) => {
  rmSync(path, { recursive: true, force: true });
  make(path);
};

function editYaml(path: string, edit: (raw: any) => void): void {
  const raw = parse(readFileSync(path, "utf8"));
  edit(raw);
  writeFileSync(path, stringify(raw));
}

/** Every shape of a bad stateful lock, each with the message that names the file (and the field). */
function lockCases(): Case[] {
  const lock = (d: { config: string }) => join(d.config, "prod.stateful.json");
  const write = (text: string | Buffer) => (d: { config: string }) => writeFileSync(lock(d), text);
  const deep = `{"vault-config-prod": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
  return [
    { name: "lock is not JSON", setup: write("vault-config-prod: {}\n"), expected: /prod\.stateful\.json: not JSON/ },
    { name: "lock is empty", setup: write(""), expected: /prod\.stateful\.json: is empty/ },
    { name: "lock is a directory", setup: (d) => replace(lock(d), (p) => mkdirSync(p)), expected: /prod\.stateful\.json: is a directory, expected a file/ },
    { name: "lock is a FIFO", setup: (d) => replace(lock(d), mkfifo), expected: /prod\.stateful\.json: is a FIFO \(named pipe\), expected a file/ },
    { name: "lock is a dangling symlink", setup: (d) => replace(lock(d), (p) => symlinkSync("gone.json", p)), expected: /prod\.stateful\.json: is a dangling symlink to gone\.json/ },
    { name: "lock is not UTF-8", setup: write(Buffer.from([0x7b, 0xff, 0x7d])), expected: /prod\.stateful\.json: is not UTF-8 text/ },
    { name: "lock maps a stack to null", setup: write('{"vault-config-prod": null}'), expected: /prod\.stateful\.json: vault-config-prod: must be a mapping of address -> attributes \(got null\)/ },
    { name: "lock is a list", setup: write("[]"), expected: /prod\.stateful\.json: must be a mapping of stack -> address -> attributes \(got a list\)/ },
    { name: "lock nested 10,000 deep", setup: write(deep), expected: /prod\.stateful\.json: nesting deeper than 32 levels at line 1/ },
    { name: "lock with a duplicate stack", setup: write('{"vault-config-prod": {}, "vault-config-prod": {}}'), expected: /prod\.stateful\.json: duplicate key "vault-config-prod"/ },
    {
      name: "lock of an environment no config defines (renamed)",
      setup: (d) => cpSync(lock(d), join(d.config, "production.stateful.json")),
      expected: /production\.stateful\.json: locks environment production, which no config in \S+ defines \(renamed or removed\?\)/,
    },
  ];
}

const CASES: readonly Case[] = [
  // File-system shapes where a config file is expected.
  { name: "config file is a directory", setup: (d) => replace(join(d.config, "dev.yaml"), (p) => mkdirSync(p)), expected: /dev\.yaml: is a directory, expected a file/ },
  { name: "config file is a FIFO", setup: (d) => replace(join(d.config, "dev.yaml"), mkfifo), expected: /dev\.yaml: is a FIFO \(named pipe\), expected a file/ },
  {
    name: "config file is a dangling symlink",
    setup: (d) => replace(join(d.config, "dev.yaml"), (p) => symlinkSync("missing.yaml", p)),
    expected: /dev\.yaml: is a dangling symlink to missing\.yaml/,
  },
  { name: "config file is a symlink loop", setup: (d) => replace(join(d.config, "dev.yaml"), (p) => symlinkSync("dev.yaml", p)), expected: /dev\.yaml: is a symlink loop/ },
  { name: "config directory is missing", setup: (d) => rmSync(d.config, { recursive: true }), expected: /config: the config directory does not exist/ },
  { name: "config directory is a file", setup: (d) => replace(d.config, (p) => writeFileSync(p, "")), expected: /config: the config directory is a file, expected a directory/ },
  { name: "config directory is unreadable", setup: (d) => chmodSync(d.config, 0), expected: /config: the config directory cannot be read \(permission denied\)/, unprivileged: true },
  { name: "config file is unreadable", setup: (d) => chmodSync(join(d.config, "prod.yaml"), 0), expected: /prod\.yaml: cannot be read \(permission denied\)/, unprivileged: true },
  {
    name: "one environment defined twice (dev.yaml and dev.yml)",
    setup: (d) => cpSync(join(d.config, "dev.yaml"), join(d.config, "dev.yml")),
    expected: /dev\.yml: environment dev is already defined by \S*dev\.yaml; keep one of the two files/,
  },
  // ... where a policy or a policy test is expected.
  { name: "policy directory is missing", setup: (d) => rmSync(d.policies, { recursive: true }), expected: /policies: the policy directory does not exist/ },
  { name: "policy file is a directory", setup: (d) => replace(join(d.policies, "raft-snapshot.hcl"), (p) => mkdirSync(p)), expected: /raft-snapshot\.hcl: is a directory, expected a file/ },
  { name: "policy file is a FIFO", setup: (d) => replace(join(d.policies, "raft-snapshot.hcl"), mkfifo), expected: /raft-snapshot\.hcl: is a FIFO \(named pipe\), expected a file/ },
  {
    name: "policy file is a dangling symlink",
    setup: (d) => replace(join(d.policies, "raft-snapshot.hcl"), (p) => symlinkSync("gone.hcl", p)),
    expected: /raft-snapshot\.hcl: is a dangling symlink to gone\.hcl/,
  },
  { name: "policy file is unreadable", setup: (d) => chmodSync(join(d.policies, "raft-snapshot.hcl"), 0), expected: /raft-snapshot\.hcl: cannot be read \(permission denied\)/, unprivileged: true },
  {
    name: "policies/tests is a file",
    setup: (d) => replace(join(d.policies, "tests"), (p) => writeFileSync(p, "allow: []\n")),
    expected: /tests: the policy tests directory is a file, expected a directory/,
  },
  {
    name: "policies/tests is a dangling symlink",
    setup: (d) => replace(join(d.policies, "tests"), (p) => symlinkSync("no-such-dir", p)),
    expected: /tests: the policy tests directory is a dangling symlink/,
  },
  { name: "policy test file is a FIFO", setup: (d) => replace(join(d.policies, "tests", "raft-snapshot.yaml"), mkfifo), expected: /tests\/raft-snapshot\.yaml: is a FIFO/ },
  // YAML documents that parse to nothing usable.
  { name: "config file is empty", setup: (d) => writeFileSync(join(d.config, "dev.yaml"), ""), expected: /dev\.yaml: is empty/ },
  { name: "config file is null", setup: (d) => writeFileSync(join(d.config, "dev.yaml"), "null\n"), expected: /dev\.yaml: is empty/ },
  { name: "config file holds only comments", setup: (d) => writeFileSync(join(d.config, "dev.yaml"), "# nothing yet\n---\n"), expected: /dev\.yaml: is empty/ },
  { name: "config file is a list", setup: (d) => writeFileSync(join(d.config, "dev.yaml"), "- environment: dev\n"), expected: /dev\.yaml: \(top level\): must be a mapping .*\(got a list\)/ },
  {
    name: "unresolved alias",
    setup: (d) => writeFileSync(join(d.config, "dev.yaml"), "environment: *name\n"),
    expected: /dev\.yaml: YAML: alias \*name refers to no anchor &name defined before it/,
  },
  {
    name: "alias bomb",
    setup: (d) => {
      const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
      for (let i = 1; i < 6; i++) levels.push(`${"abcdef"[i]}: &${"abcdef"[i]} [${Array(9).fill(`*${"abcdef"[i - 1]}`).join(", ")}]`);
      writeFileSync(join(d.config, "dev.yaml"), `${levels.join("\n")}\n`);
    },
    expected: /dev\.yaml: YAML: too many alias expansions/,
  },
  {
    name: "non-UTF-8 bytes",
    setup: (d) => writeFileSync(join(d.config, "dev.yaml"), Buffer.concat([Buffer.from("environment: de"), Buffer.from([0xff]), Buffer.from("v\n")])),
    expected: /dev\.yaml: is not UTF-8 text \(invalid byte 0xff at line 1, column 16\)/,
  },
  {
    name: "a custom YAML tag (!Ref)",
    setup: (d) => writeFileSync(join(d.config, "dev.yaml"), readFileSync(join(d.config, "dev.yaml"), "utf8").replace("environment: dev", "environment: !Ref dev")),
    expected: /dev\.yaml: YAML: line \d+, column \d+: the tag !Ref is not supported/,
  },
  // The stateful lock (config/<env>.stateful.json) through the same reader: each shape would otherwise turn protection off.
  ...lockCases(),
  // Onboarding mistakes synth used to pass silently.
  {
    name: "an attached policy without its policy test file",
    setup: (d) => rmSync(join(d.policies, "tests", "raft-snapshot.yaml")),
    expected: /raft-snapshot\.hcl: has no policy test file \S*tests\/raft-snapshot\.yaml/,
  },
  {
    name: "a Kubernetes role in a namespace the network policy does not admit",
    setup: (d) => editYaml(join(d.config, "dev.yaml"), (raw) => (raw.cluster.allowedNamespaces = raw.cluster.allowedNamespaces.filter((n: string) => n !== "voicehive"))),
    expected: /dev\.yaml: applications\[\d+\]\.auth\.namespaces\[0\]: must also be listed in cluster\.allowedNamespaces/,
  },
];

/** Root ignores permission bits: the unreadable cases run as nobody there, as themselves otherwise. */
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe("synth on bad files (real entry point)", () => {
  const base = mkdtempSync(join(tmpdir(), "vault-platform-files-"));
  chmodSync(base, 0o755);
  const outdir = join(base, "out", "cdktf.out");
  let before: string;
  const results = new Map<string, SynthRun>();

  beforeAll(async () => {
    const good = await runSynth({ CDKTF_OUTDIR: outdir });
    if (good.status !== 0) throw new Error(`the unmodified synth failed: ${good.stderr}`);
    before = treeDigest(join(base, "out"));
    const queue = CASES.map((c, i) => async () => {
      const dirs = { config: join(base, `case-${i}`, "config"), policies: join(base, `case-${i}`, "policies") };
      cpSync(join(ROOT, "config"), dirs.config, { recursive: true });
      cpSync(join(ROOT, "policies"), dirs.policies, { recursive: true });
      c.setup(dirs);
      const env = { CDKTF_OUTDIR: outdir, VAULT_PLATFORM_CONFIG_DIR: dirs.config, VAULT_PLATFORM_POLICY_DIR: dirs.policies };
      results.set(c.name, await runSynth(env, { timeoutMs: 30_000, ...(c.unprivileged ? NOBODY : {}) }));
    });
    // Two at a time (the CI machines' cores): each is a Node process loading zod, yaml and the HCL parser.
    const workers = Array.from({ length: 2 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    });
    await Promise.all(workers);
    // About 1.2 s of CPU per run; the timeout allows for a machine shared with other test runs.
  }, 300_000);

  it.each(CASES.map((c) => [c.name, c] as const))("%s: exit 1 naming the path, no stack trace, no hang", (_name, c) => {
    const run = results.get(c.name)!;
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toMatch(c.expected);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.status).toBe(1);
  });

  it("leaves the previous output untouched through every failed run", () => {
    expect(results.size).toBe(CASES.length);
    expect(treeDigest(join(base, "out"))).toBe(before);
  });
});
