/**
 * The commands README.md and docs/ tell people to run, found in the Markdown and run through the real CLIs (npm,
 * cdktf-cli 0.21.0 with its own argument and stack-dependency checks) with the stand-in `terraform` first on PATH
 * (rehearsal/bin/terraform: a person's workstation reaches AWS and the Kubernetes API, and Vault only through a
 * port-forward).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectedSetup, workflowFiles } from "../config/github-setup";
import { restResponses } from "./github-settings";
import { configsIn, STANDIN_BIN } from "./scenario";

/** The repository the docs' commands name. */
const DOCS_REPOSITORY = "example-org/vault-platform";

export interface DocumentedCommand {
  /** The command as written (continuation lines joined), e.g. "npm run cdktf -- deploy vault-backup-<env>". */
  readonly text: string;
  /** `export` lines before it in the same fenced block: a person runs those first. */
  readonly exports: readonly string[];
  /** file:line where it is written. */
  readonly where: string;
}

const COMMAND = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|<[^>]*>|\S+)\s+)*(?:npm (?:run|ci|test)\b|npx cdktf\b|terraform (?:init|plan|apply|show|output|destroy|import|state)\b)/;

/** Commands in fenced shell blocks (one per line, `\` continuations joined, comments dropped) and inline code. */
export function documentedCommands(root: string, files: readonly string[]): DocumentedCommand[] {
  const out: DocumentedCommand[] = [];
  for (const file of files) {
    const rows = readFileSync(join(root, file), "utf8").split("\n");
    let fenced = false;
    let exports: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (/^\s*```/.test(row)) {
        fenced = !fenced;
        exports = [];
        continue;
      }
      if (fenced) {
        let line = row.replace(/^\s*(\|\s*)?/, "");
        const at = i + 1;
        while (line.endsWith("\\") && i + 1 < rows.length) line = `${line.slice(0, -1).trimEnd()} ${rows[++i].trim()}`;
        line = line.replace(/\s+#.*$/, "").trim();
        if (/^export\s/.test(line)) exports.push(line);
        for (const part of line.split(/\s*&&\s*/)) if (COMMAND.test(part)) out.push({ text: part, exports: [...exports], where: `${file}:${at}` });
      } else {
        for (const m of row.matchAll(/`([^`]+)`/g)) if (COMMAND.test(m[1].trim())) out.push({ text: m[1].trim(), exports: [], where: `${file}:${i + 1}` });
      }
    }
  }
  return out;
}

export function markdownFiles(root: string): string[] {
  return ["README.md", ...readdirSync(join(root, "docs"), { recursive: true }).map(String).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
}

export interface Workstation {
  readonly dir: string;
  readonly world: string;
  readonly env: Record<string, string>;
}

/**
 * A checkout of the given files as a person has it after `npm ci` (node_modules linked), a git repository (synth
 * records the commit), with the credentials the README says the platform team provides (AWS, a kubeconfig) and
 * the files the documented non-rehearsed steps produce (vault-ca.crt from the kubectl step of the bootstrap), and
 * GitHub's settings as README's table of what the platform team provides says.
 */
export function workstation(project: string, files: readonly string[]): Workstation {
  const base = mkdtempSync(join(tmpdir(), "documented-commands-"));
  const dir = join(base, "vault-platform");
  for (const f of files) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), readFileSync(join(project, f)));
  }
  spawnSync("chmod", ["-R", "u+x", join(dir, "scripts"), join(dir, "rehearsal", "bin")]);
  symlinkSync(join(project, "node_modules"), join(dir, "node_modules"));
  const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=doc", "-c", "user.email=doc@example.invalid", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "docs rehearsal");
  const world = join(base, "world");
  mkdirSync(world);
  const standIns = join(base, "bin");
  mkdirSync(standIns);
  symlinkSync(join(STANDIN_BIN, "terraform"), join(standIns, "terraform"));
  // gh: the platform team's check of GitHub's settings (README), answered as README's table sets them up.
  symlinkSync(join(STANDIN_BIN, "gh"), join(standIns, "gh"));
  const configs = configsIn(dir);
  // Every environment a CI role is bound to is set up with reviewers (README), a superset of the check's.
  const ciEnvironments = configs.flatMap((c) => c.platform.flatMap((p) => (p.auth.method === "jwt" && p.auth.boundClaims?.environment ? [p.auth.boundClaims.environment].flat() : [])));
  writeFileSync(join(world, "github-settings.json"), JSON.stringify(restResponses(DOCS_REPOSITORY, expectedSetup(DOCS_REPOSITORY, workflowFiles(dir), configs, ciEnvironments))));
  writeFileSync(join(base, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
  writeFileSync(join(dir, "vault-ca.crt"), "-----BEGIN CERTIFICATE-----\nrehearsal\n-----END CERTIFICATE-----\n");
  const env = {
    PATH: `${standIns}:${process.env.PATH}`,
    HOME: base,
    REHEARSAL_WORLD: world,
    REHEARSAL_ZONE: "workstation",
    AWS_ACCESS_KEY_ID: "AKIAWORKSTATION",
    AWS_SECRET_ACCESS_KEY: "rehearsal",
    KUBE_CONFIG_PATH: join(base, "kubeconfig"),
    CI: "1",
  };
  return { dir, world, env };
}

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs one command line in the workstation through bash, after its block's exports. It runs in its own PID
 * namespace, so a command that hangs is killed with everything it started (timeout kills unshare, whose
 * --kill-child takes the namespace down).
 */
export function runDocumented(ws: Workstation, command: string, exports: readonly string[] = [], wrap: string[] = []): CommandResult {
  const script = [...exports, command].join("\n");
  const user = process.getuid?.() === 0 ? [] : ["--user", "--map-root-user"];
  const [cmd, ...args] = ["timeout", "-s", "KILL", "240", "unshare", ...user, "--pid", "--fork", "--kill-child", ...wrap, "bash", "-eo", "pipefail", "-c", script];
  const r = spawnSync(cmd, args, { cwd: ws.dir, env: ws.env, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
