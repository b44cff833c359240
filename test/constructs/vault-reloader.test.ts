import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantityBytes } from "../../config/format-rules";
import { RELOADER_CONTAINER, RELOADER_SCRIPT, vaultReloaderContainer, type VaultReloaderProps } from "../../constructs/vault-reloader";

/**
 * The script runs for real (sh) against a fake /proc whose "vault" entry points at a live stand-in process that
 * records every SIGHUP it receives, a certificate directory and an audit directory.
 */
interface Tree {
  readonly root: string;
  readonly proc: string;
  readonly certs: string;
  readonly audit: string;
  readonly hups: string;
  readonly standIn: ChildProcess;
}

const trees: Tree[] = [];

function makeTree(withVault = true): Tree {
  const root = mkdtempSync(join(tmpdir(), "reloader-"));
  const [proc, certs, audit] = ["proc", "certs", "audit"].map((d) => join(root, d));
  for (const d of [proc, certs, audit]) mkdirSync(d);
  for (const f of ["tls.crt", "tls.key", "ca.crt"]) writeFileSync(join(certs, f), `${f} v1\n`);
  const hups = join(root, "hups");
  const standIn = spawn("sh", ["-c", `trap 'echo hup >> "${hups}"' HUP; while :; do sleep 0.05; done`], { stdio: "ignore" });
  // A process that is not Vault, which must never be signalled.
  mkdirSync(join(proc, "1"));
  writeFileSync(join(proc, "1", "comm"), "pause\n");
  // A client `vault` (the readiness probe's `vault status`) whose PID sorts first, which must never be signalled.
  mkdirSync(join(proc, "23456"));
  writeFileSync(join(proc, "23456", "comm"), "vault\n");
  writeFileSync(join(proc, "23456", "cmdline"), "vault\0status\0");
  if (withVault) {
    mkdirSync(join(proc, String(standIn.pid)));
    writeFileSync(join(proc, String(standIn.pid), "comm"), "vault\n");
    writeFileSync(join(proc, String(standIn.pid), "cmdline"), "vault\0server\0-config=/tmp/storageconfig.hcl\0");
  }
  const tree = { root, proc, certs, audit, hups, standIn };
  trees.push(tree);
  return tree;
}

afterAll(() => {
  for (const t of trees) {
    t.standIn.kill("SIGKILL");
    rmSync(t.root, { recursive: true, force: true });
  }
});

function env(t: Tree, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    PROC_ROOT: t.proc,
    CERT_DIR: t.certs,
    AUDIT_FILES: join(t.audit, "audit.log"),
    MAX_BYTES: "100",
    KEEP: "2",
    INTERVAL: "1",
    ...extra,
  };
}

function runOnce(t: Tree, extra: Record<string, string> = {}): string {
  const r = spawnSync("sh", ["-c", RELOADER_SCRIPT], { env: env(t, { ONCE: "1", ...extra }), encoding: "utf8", timeout: 10_000 });
  expect(r.status).toBe(0);
  return r.stdout + r.stderr;
}

const hupCount = (t: Tree): number => (existsSync(t.hups) ? readFileSync(t.hups, "utf8").split("\n").filter(Boolean).length : 0);

async function until(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("vault-reloader script", () => {
  it("does nothing while the certificate is unchanged and the audit log is small", async () => {
    const t = makeTree();
    writeFileSync(join(t.audit, "audit.log"), "x".repeat(99));
    expect(runOnce(t)).toMatch(/^vault-reloader: watching \S+ and \[\S+audit\.log\] every 1s\n$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(hupCount(t)).toBe(0);
    expect(readdirSync(t.audit)).toEqual(["audit.log"]);
  }, 20_000);

  it("says nothing about a vault process that exits while /proc is read (its cmdline is gone)", () => {
    const t = makeTree();
    writeFileSync(join(t.audit, "audit.log"), "x".repeat(101));
    // The kubelet's probe `vault status` lives a few milliseconds: listed by the glob, gone when its cmdline is read.
    mkdirSync(join(t.proc, "24000"));
    writeFileSync(join(t.proc, "24000", "comm"), "vault\n");
    const out = runOnce(t);
    expect(out).not.toMatch(/cannot open|No such file/);
    expect(out).toMatch(/sent SIGHUP to vault server/);
  });

  it("sends SIGHUP to the vault server on two passes when the mounted certificate changes, then stops", async () => {
    const t = makeTree();
    const loop = spawn("sh", ["-c", RELOADER_SCRIPT], { env: env(t), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    loop.stdout.on("data", (d: Buffer) => (out += d.toString()));
    try {
      // The first fingerprint is taken before the "watching" line; change the files only after it.
      expect(await until(() => out.includes("watching"))).toBe(true);
      await new Promise((r) => setTimeout(r, 1200));
      expect(hupCount(t)).toBe(0);
      for (const f of ["tls.crt", "tls.key"]) writeFileSync(join(t.certs, f), `${f} v2\n`);
      expect(await until(() => hupCount(t) === 2)).toBe(true);
      // Later passes see the same files: no third signal.
      await new Promise((r) => setTimeout(r, 2500));
      expect(hupCount(t)).toBe(2);
      expect(out.match(new RegExp(`sent SIGHUP to vault server \\(pid ${t.standIn.pid}\\): certificate changed`, "g"))).toHaveLength(2);
    } finally {
      loop.kill("SIGKILL");
    }
  }, 40_000);

  it("rotates a full audit log (rename, then SIGHUP) and keeps only the newest rotated files", async () => {
    const t = makeTree();
    const log = join(t.audit, "audit.log");
    writeFileSync(log, "y".repeat(100));
    for (const old of ["20240101T000000Z", "20240102T000000Z", "20240103T000000Z"]) writeFileSync(`${log}.${old}`, "old");
    const out = runOnce(t);
    expect(await until(() => hupCount(t) === 1)).toBe(true);
    const files = readdirSync(t.audit).sort();
    // The current log was renamed (Vault recreates it on reopen); the newest KEEP=2 rotated files remain.
    expect(files).toHaveLength(2);
    expect(files).not.toContain("audit.log");
    expect(files).toContain("audit.log.20240103T000000Z");
    const rotated = files.find((f) => !f.startsWith("audit.log.2024"));
    expect(rotated).toMatch(/^audit\.log\.\d{8}T\d{6}Z$/);
    expect(readFileSync(join(t.audit, rotated as string), "utf8")).toBe("y".repeat(100));
    expect(out).toMatch(/sent SIGHUP to vault server \(pid \d+\): rotated .*audit\.log/);
    expect(out).toContain("deleted");
  }, 20_000);

  it("keeps the rotation pending and says so when no vault process is found", () => {
    const t = makeTree(false);
    writeFileSync(join(t.audit, "audit.log"), "z".repeat(150));
    const out = runOnce(t);
    expect(out).toMatch(/could not signal vault server, will retry: rotated .*audit\.log/);
    expect(hupCount(t)).toBe(0);
  });
});

describe("vaultReloaderContainer", () => {
  const props: VaultReloaderProps = {
    image: "hashicorp/vault:2.0.4",
    auditFiles: ["/vault/audit/audit.log"],
    auditMountPath: "/vault/audit",
    maxFileBytes: quantityBytes("1Gi"),
    keep: 5,
    intervalSeconds: 30,
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
  };
  const container = vaultReloaderContainer(props) as any;

  it("runs the script non-root, read-only, without privilege escalation, with limits", () => {
    expect(container).toMatchObject({ name: RELOADER_CONTAINER, image: "hashicorp/vault:2.0.4", command: ["/bin/sh", "-c", RELOADER_SCRIPT] });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.resources.limits).toEqual({ cpu: "100m", memory: "32Mi" });
    const vars = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(vars).toEqual({ CERT_DIR: "/vault/userconfig/vault-tls", AUDIT_FILES: "/vault/audit/audit.log", MAX_BYTES: "1073741824", KEEP: "5", INTERVAL: "30" });
    expect(container.volumeMounts).toEqual([
      { name: "vault-tls", mountPath: "/vault/userconfig/vault-tls", readOnly: true },
      { name: "audit", mountPath: "/vault/audit" },
    ]);
  });

  it("has no $(NAME) reference that Kubernetes would expand from the container's env", () => {
    for (const e of container.env) expect(RELOADER_SCRIPT).not.toContain(`$(${e.name})`);
  });

  it("fails if an audit file is outside the audit volume or the numbers are not positive", () => {
    expect(() => vaultReloaderContainer({ ...props, auditFiles: ["/tmp/audit.log"] })).toThrow(/must be a plain path under \/vault\/audit\//);
    expect(() => vaultReloaderContainer({ ...props, auditFiles: ["/vault/audit/a b.log"] })).toThrow(/must be a plain path/);
    expect(() => vaultReloaderContainer({ ...props, keep: 0, intervalSeconds: 0 })).toThrow(/keep must be at least 1 .*intervalSeconds must be at least 1/);
  });

  it("converts binary quantities to bytes", () => {
    expect(quantityBytes("512Mi")).toBe(512 * 1024 * 1024);
    expect(quantityBytes("10Gi")).toBe(10 * 1024 ** 3);
    expect(() => quantityBytes("10GB")).toThrow(/not a binary quantity/);
  });
});
