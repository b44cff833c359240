/**
 * The reloader script for real, as in the pod: PID 1 of its own PID namespace and /proc, with stand-in `vault`
 * processes (rehearsal/vault-process.ts) whose command name is `vault`: the server, started as
 * `vault server -config=…`, and a readiness probe's `vault status` and an operator's `vault operator …` whose PIDs
 * sort before the server's in /proc's lexical order (23456 and 23500 before 7).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RELOADER_SCRIPT } from "../../constructs/vault-reloader";
import { nextPidShell, requireRoot, startInPidNamespace, until, type PidNamespace } from "../../rehearsal/pid-namespace";
import { clientsStartedShell, installVaultStandIn } from "../../rehearsal/vault-process";

interface Pod {
  readonly dir: string;
  readonly certs: string;
  readonly auditLog: string;
  readonly ns: PidNamespace;
}

const pods: Pod[] = [];
afterEach(async () => {
  for (const p of pods.splice(0)) {
    await p.ns.stop();
    rmSync(p.dir, { recursive: true, force: true });
  }
});

/** PID 1 starts the other `vault` processes at chosen PIDs, lists them, then becomes the reloader. */
const POD_SCRIPT = [
  "set -eu",
  'cd "$CMD_DIR"',
  'PATH="$BIN:$PATH"',
  nextPidShell(23456),
  "vault status &",
  clientsStartedShell(1),
  nextPidShell(23500),
  "vault operator raft list-peers &",
  clientsStartedShell(2),
  nextPidShell(7),
  "vault server -config=/tmp/storageconfig.hcl &",
  // Each `&` child is a shell until it execs vault: wait until all three have (on a loaded machine that takes a while).
  'vaults() { for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = vault ] && [ -n "$(tr "\\0" " " 2>/dev/null < "$p/cmdline")" ] && echo "${p#/proc/} $(tr "\\0" " " 2>/dev/null < "$p/cmdline")"; done; true; }',
  'n=0; until [ "$(vaults | wc -l)" -ge 3 ] || [ $n -ge 200 ]; do sleep 0.1; n=$((n + 1)); done',
  'vaults >> "$STANDIN_DIR/processes"',
  'exec sh -c "$RELOADER_SCRIPT"',
].join("\n");

function startPod(extra: Record<string, string> = {}): Pod {
  requireRoot("the vault-reloader rehearsal");
  const dir = mkdtempSync(join(tmpdir(), "reloader-ns-"));
  const [certs, audit] = ["certs", "audit"].map((d) => join(dir, d));
  for (const d of [certs, audit]) mkdirSync(d);
  const { bin, cmd } = installVaultStandIn(dir);
  for (const f of ["tls.crt", "tls.key", "ca.crt"]) writeFileSync(join(certs, f), `${f} v1\n`);
  const auditLog = join(audit, "audit.log");
  const ns = startInPidNamespace(POD_SCRIPT, {
    PATH: process.env.PATH,
    BIN: bin,
    CMD_DIR: cmd,
    STANDIN_DIR: dir,
    AUDIT_FILE: auditLog,
    RELOADER_SCRIPT,
    CERT_DIR: certs,
    AUDIT_FILES: auditLog,
    MAX_BYTES: "1000000000",
    KEEP: "100",
    INTERVAL: "1",
    ...extra,
  });
  const pod = { dir, certs, auditLog, ns };
  pods.push(pod);
  return pod;
}

const read = (p: Pod, name: string): string => (existsSync(join(p.dir, name)) ? readFileSync(join(p.dir, name), "utf8") : "");
const lines = (text: string): string[] => text.split("\n").filter(Boolean);

/** The vault processes PID 1 listed: pid and command line. */
function vaultProcesses(p: Pod): { pid: string; cmd: string }[] {
  return lines(read(p, "processes")).map((l) => ({ pid: l.split(" ")[0], cmd: l.slice(l.indexOf(" ") + 1).trim() }));
}

async function started(p: Pod): Promise<void> {
  const up = await until(() => p.ns.output().includes("watching") && vaultProcesses(p).length === 3, 30_000);
  expect(up ? "up" : `not up; output: ${p.ns.output()}; processes: ${read(p, "processes")}`).toBe("up");
  const procs = vaultProcesses(p);
  // /proc's order (the shell's glob is lexical): both non-server processes come before the server.
  expect(procs.map((x) => x.cmd)).toEqual(["vault status", "vault operator raft list-peers", "vault server -config=/tmp/storageconfig.hcl"]);
  expect(procs.map((x) => x.pid)).toEqual(["23456", "23500", "7"]);
}

describe("vault-reloader in a PID namespace with stand-in vault processes", () => {
  it("sends SIGHUP only to `vault server` when the certificate changes, and the server loads the new one", async () => {
    const p = startPod();
    await started(p);
    await new Promise((r) => setTimeout(r, 1200));
    for (const f of ["tls.crt", "tls.key"]) writeFileSync(join(p.certs, f), `${f} v2\n`);
    const fingerprints = () => lines(read(p, "server-reloads")).filter((l) => l.startsWith("reloaded")).map((l) => l.split(" ")[1]);
    expect(await until(() => fingerprints().length >= 1)).toBe(true);
    const [loaded] = lines(read(p, "server-reloads"));
    expect(fingerprints()[0]).not.toBe(loaded.split(" ")[1]);
    // Two more passes: still nothing else signalled.
    await new Promise((r) => setTimeout(r, 2500));
    expect(read(p, "other-hups")).toBe("");
    expect(p.ns.output()).toContain("sent SIGHUP to vault server (pid 7)");
    expect(p.ns.output()).not.toMatch(/pid 23(456|500)/);
  }, 40_000);

  it("rotates the audit log while the server writes continuously, without losing or repeating an entry", async () => {
    const p = startPod({ MAX_BYTES: "20000" });
    await started(p);
    const rotated = () => readdirSync(join(p.dir, "audit")).filter((f) => f !== "audit.log");
    // Each rotation is acknowledged before the next can happen: the server reopened the path (it exists again).
    expect(await until(() => rotated().length >= 3 && existsSync(p.auditLog), 30_000)).toBe(true);
    writeFileSync(join(p.dir, "stop"), "");
    expect(await until(() => read(p, "written") !== "")).toBe(true);
    const written = Number(read(p, "written"));
    const entries = readdirSync(join(p.dir, "audit"))
      .flatMap((f) => lines(readFileSync(join(p.dir, "audit", f), "utf8")))
      .map((l) => Number(/^audit entry (\d+)$/.exec(l)?.[1]));
    entries.sort((a, b) => a - b);
    expect(written).toBeGreaterThan(1000);
    expect(entries).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    expect(lines(read(p, "server-reloads")).filter((l) => l.startsWith("reloaded")).length).toBeGreaterThanOrEqual(3);
    expect(read(p, "other-hups")).toBe("");
  }, 60_000);

  it("keeps a rotation pending until the server has reopened the log: a dropped signal is sent again", async () => {
    const p = startPod({ MAX_BYTES: "20000", DROP_HUPS: "1" });
    await started(p);
    expect(await until(() => lines(read(p, "server-reloads")).some((l) => l.startsWith("reloaded")), 30_000)).toBe(true);
    expect(lines(read(p, "server-reloads")).slice(1, 3).map((l) => l.split(" ")[0])).toEqual(["dropped", "reloaded"]);
    expect(await until(() => existsSync(p.auditLog) && /vault reopened \S+audit\.log/.test(p.ns.output()))).toBe(true);
    const sent = p.ns.output().match(/sent SIGHUP to vault server \(pid 7\): rotated \S+audit\.log/g) ?? [];
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(read(p, "other-hups")).toBe("");
  }, 60_000);
});
