import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configFor, ROOT } from "../helpers";

const SCRIPT = join(ROOT, "scripts", "restore-drill.sh");
// The isolation check and the result file: restore-drill-isolation.test.ts.
const required = [
  "--env",
  "dev",
  "--bucket",
  "vault-platform-dev-raft-snapshots",
  "--vault-addr",
  "https://vault-drill.vault-restore-drill.svc:8200",
  "--scratch-namespace",
  "vault-restore-drill",
  "--no-databases",
];

function drill(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scripts/restore-drill.sh", () => {
  it("is strict bash", () => {
    const text = readFileSync(SCRIPT, "utf8");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toContain("set -euo pipefail");
  });

  it("--dry-run prints every step's command in order and exits 0", () => {
    const r = drill([...required, "--region", "eu-west-2", "--dry-run"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const commands = r.stdout.split("\n").filter((l) => l.startsWith("+ "));
    expect(commands).toEqual([
      expect.stringMatching(/^\+ aws --region eu-west-2 s3api list-objects-v2 --bucket vault-platform-dev-raft-snapshots --prefix raft-snapshots\/dev\/ --query '.*\.snap.*LastModified.*' --output text$/),
      "+ aws --region eu-west-2 s3api get-object --bucket vault-platform-dev-raft-snapshots --key '<latest snapshot key>' --checksum-mode ENABLED '<temporary directory>/restore-drill.snap'",
      "+ aws --region eu-west-2 s3api head-object --bucket vault-platform-dev-raft-snapshots --key '<latest snapshot key>' --checksum-mode ENABLED --query ChecksumSHA256 --output text",
      "+ openssl dgst -sha256 -binary '<temporary directory>/restore-drill.snap' | base64",
      "+ vault operator raft snapshot inspect '<temporary directory>/restore-drill.snap'",
      "+ vault operator raft snapshot restore -force '<temporary directory>/restore-drill.snap'",
      "+ vault write -field=token auth/kubernetes/login role=restore-drill jwt=@/var/run/secrets/vault/token",
      "+ vault kv get -field=written_at secret/restore-drill/canary",
    ]);
    expect(r.stdout).toContain("restore drill passed (dry run: nothing was run)");
  });

  it.each(["dev", "prod"] as const)("defaults to what the %s stacks create: the drill's role, its canary, the projected token", (env) => {
    const config = configFor(env);
    const drillRole = config.platform.find((i) => i.auth.method === "kubernetes" && i.auth.serviceAccounts.includes("vault-restore-drill"))!;
    expect(drillRole.auth.method === "kubernetes" && drillRole.auth.audience).toBe("vault");
    const { canary } = config.vault.restoreDrill;
    const commands = drill([...required, "--dry-run"]).stdout.split("\n");
    expect(commands).toContain(
      `+ vault write -field=token auth/${config.vault.auth.kubernetes.path}/login role=${drillRole.auth.role} jwt=@/var/run/secrets/vault/token`,
    );
    expect(commands).toContain(`+ vault kv get -field=${canary.field} ${canary.mount}/${canary.path}`);
  });

  it("--dry-run runs neither aws nor vault, and needs no VAULT_TOKEN", () => {
    const bin = mkdtempSync(join(tmpdir(), "drill-bin-"));
    const marker = join(bin, "called");
    for (const tool of ["aws", "vault"]) {
      writeFileSync(join(bin, tool), `#!/usr/bin/env bash\necho ${tool} >> ${marker}\nexit 1\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const r = drill([...required, "--prefix", "snaps/vault", "--workdir", "/tmp/drill", "--dry-run"], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--prefix snaps/vault/dev/");
    expect(r.stdout).toContain("+ vault operator raft snapshot restore -force /tmp/drill/restore-drill.snap");
    expect(() => readFileSync(marker)).toThrow(/ENOENT/);
  });

  it("runs the drill for real against stub aws and vault, verifying the checksum", () => {
    const bin = mkdtempSync(join(tmpdir(), "drill-bin-"));
    const log = join(bin, "calls.log");
    const content = "raft snapshot bytes";
    const sha = createHash("sha256").update(content).digest("base64");
    writeFileSync(
      join(bin, "aws"),
      `#!/usr/bin/env bash
echo "aws $*" >> ${log}
case "$*" in
  *list-objects-v2*) echo "raft-snapshots/dev/vault-20260101T000000Z.snap" ;;
  *get-object*) printf '%s' "${content}" > "\${@: -1}"; echo '{}' ;;
  *head-object*) echo "\${FAKE_SHA:-${sha}}" ;;
esac
`,
    );
    writeFileSync(
      join(bin, "vault"),
      `#!/usr/bin/env bash
echo "vault $* token=\${VAULT_TOKEN}" >> ${log}
case "$*" in
  *login*) echo "restored-token" ;;
  "kv get"*) echo "2026-01-01T00:00:00Z" ;;
esac
`,
    );
    writeFileSync(join(bin, "kubectl"), "#!/usr/bin/env bash\nexit 1\n");
    for (const tool of ["aws", "vault", "kubectl"]) chmodSync(join(bin, tool), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}`, VAULT_TOKEN: "scratch-root" };
    const r = drill([...required, "--workdir", bin], env);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`checksum ok (${sha})`);
    expect(r.stdout).toContain("canary secret/restore-drill/canary written_at=2026-01-01T00:00:00Z");
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
      "aws s3api list-objects-v2",
      "aws s3api get-object",
      "aws s3api head-object",
      "vault operator raft",
      "vault operator raft",
      "vault write -field=token",
      "vault kv get",
    ]);
    expect(calls[4]).toBe(`vault operator raft snapshot restore -force ${bin}/restore-drill.snap token=scratch-root`);
    expect(calls[6]).toMatch(/token=restored-token$/);

    const bad = drill([...required, "--workdir", bin], { ...env, FAKE_SHA: "AAAA" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/checksum mismatch for raft-snapshots\/dev\/vault-20260101T000000Z.snap: S3 has AAAA/);
  });

  it("fails if required arguments are missing, listing each one", () => {
    const r = drill(["--env", "dev", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/error: --bucket is required/);
    expect(r.stderr).toMatch(/error: --vault-addr is required/);
  });

  it("fails if an argument is unknown, lacks a value or is malformed", () => {
    expect(drill([...required, "--bogus"]).stderr).toMatch(/unknown argument: --bogus/);
    expect(drill(["--bucket"]).stderr).toMatch(/--bucket needs a value/);
    const r = drill(["--env", "dev", "--bucket", "Bad_Bucket", "--vault-addr", "http://vault:8200", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--bucket must be an S3 bucket name \(got Bad_Bucket\)/);
    expect(r.stderr).toMatch(/--vault-addr must start with https:\/\//);
  });

  it("fails if a tool or VAULT_TOKEN is missing in real mode", () => {
    const bin = mkdtempSync(join(tmpdir(), "drill-bin-"));
    for (const tool of ["aws", "vault", "kubectl"]) {
      writeFileSync(join(bin, tool), "#!/usr/bin/env bash\nexit 0\n");
      chmodSync(join(bin, tool), 0o755);
    }
    const noToken = drill(required, { PATH: `${bin}:${process.env.PATH}` });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toMatch(/VAULT_TOKEN must hold the scratch Vault's root token/);
    const noVault = drill(required, { PATH: "/usr/bin:/bin", VAULT_TOKEN: "t" });
    expect(noVault.status).toBe(2);
    expect(noVault.stderr).toMatch(/(kubectl|aws|vault) is not installed/);
  });
});
