import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RaftSnapshotJob, isPinnedImage, type RaftSnapshotJobProps } from "../../constructs/raft-snapshot-job";
import { onlyResource, synthJson } from "../helpers";
import { FAKE_BACKUP, bareStack } from "./cluster-fixtures";

const props: RaftSnapshotJobProps = {
  namespace: "vault",
  environment: "dev",
  bucketName: FAKE_BACKUP.bucketName,
  prefix: FAKE_BACKUP.snapshotPrefix,
  encryption: { type: "kms", keyArn: FAKE_BACKUP.backupKeyArn },
  region: "eu-west-2",
  roleArn: FAKE_BACKUP.snapshotWriterRoleArn,
  tlsSecretName: "vault-tls",
  images: { vault: "hashicorp/vault:2.0.4", awsCli: "amazon/aws-cli:2.27.50" },
};

function synth(p: RaftSnapshotJobProps = props) {
  const stack = bareStack();
  new RaftSnapshotJob(stack, "raft-snapshot", p);
  const json = synthJson(stack);
  return { cron: onlyResource(json, "kubernetes_cron_job_v1"), sa: onlyResource(json, "kubernetes_service_account_v1") };
}

const envOf = (container: any): Record<string, string> => Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));

describe("RaftSnapshotJob", () => {
  const { cron, sa } = synth();
  const pod = cron.spec.job_template.spec.template.spec;
  const [save] = pod.init_container;
  const [upload] = pod.container;

  it("runs on the schedule without overlapping runs, with retry, deadline and history limits", () => {
    expect(cron.metadata).toMatchObject({ name: "vault-raft-snapshot", namespace: "vault" });
    expect(cron.spec).toMatchObject({
      schedule: "0 * * * *",
      concurrency_policy: "Forbid",
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
    });
    expect(cron.spec.job_template.spec).toMatchObject({ backoff_limit: 2, active_deadline_seconds: 900 });
    expect(pod.restart_policy).toBe("Never");
    expect(synth({ ...props, schedule: "30 */4 * * *" }).cron.spec.schedule).toBe("30 */4 * * *");
  });

  it("has its own service account with the IRSA role and no automounted API token", () => {
    expect(sa.metadata).toMatchObject({
      name: "vault-raft-snapshot",
      namespace: "vault",
      annotations: { "eks.amazonaws.com/role-arn": FAKE_BACKUP.snapshotWriterRoleArn },
    });
    expect(sa.automount_service_account_token).toBe(false);
    expect(sa.secret).toBeUndefined();
    expect(pod.service_account_name).toBe("${kubernetes_service_account_v1.raft-snapshot_service-account_98ED153B.metadata[0].name}");
    expect(pod.automount_service_account_token).toBe(false);
  });

  it("logs in to Vault with a short-lived projected token of audience vault, and trusts only Vault's CA", () => {
    const token = pod.volume.find((v: any) => v.name === "vault-token");
    expect(token.projected).toEqual([{ sources: [{ service_account_token: { audience: "vault", expiration_seconds: 600, path: "token" } }] }]);
    const ca = pod.volume.find((v: any) => v.name === "vault-ca");
    expect(ca.secret).toEqual({ secret_name: "vault-tls", items: [{ key: "ca.crt", path: "ca.crt" }] });
    expect(pod.volume.find((v: any) => v.name === "snapshots").empty_dir).toEqual({ size_limit: "2Gi" });
  });

  it("saves the snapshot in an init container logged in as raft-snapshot, and uploads it only afterwards", () => {
    expect(save.name).toBe("vault");
    expect(save.image).toBe("hashicorp/vault:2.0.4");
    const script = save.command[2];
    expect(script).toMatch(/^set -eu\n/);
    expect(script).toContain('vault write -field=token "auth/$VAULT_AUTH_PATH/login" role="$VAULT_ROLE" jwt=@/var/run/secrets/vault/token');
    expect(script).toContain('vault operator raft snapshot save "$file"');
    expect(envOf(save)).toMatchObject({
      VAULT_ADDR: "https://vault-active.vault.svc:8200",
      VAULT_CACERT: "/vault/tls/ca.crt",
      VAULT_AUTH_PATH: "kubernetes",
      VAULT_ROLE: "raft-snapshot",
    });
    expect(upload.name).toBe("upload");
    expect(upload.image).toBe("amazon/aws-cli:2.27.50");
    expect(upload.command[2]).toMatch(/^set -eu\n/);
    expect(upload.command[2]).toContain(
      'aws s3api put-object --bucket "$BUCKET" --key "$key" --body "$1" --server-side-encryption aws:kms --ssekms-key-id "$SSE_KMS_KEY_ID" --checksum-algorithm SHA256',
    );
    // A multipart upload (aws s3 cp above 8 MB) sends UploadPart without SSE headers: the bucket policy denies it.
    expect(upload.command[2]).not.toContain("s3 cp");
    expect(envOf(upload)).toMatchObject({
      BUCKET: FAKE_BACKUP.bucketName,
      KEY_PREFIX: "raft-snapshots/dev",
      SSE_KMS_KEY_ID: FAKE_BACKUP.backupKeyArn,
      AWS_REGION: "eu-west-2",
    });
  });

  it("keeps AWS credentials out of the Vault container", () => {
    expect(cron.spec.job_template.spec.template.metadata.annotations).toEqual({ "eks.amazonaws.com/skip-containers": "vault" });
  });

  it("uploads with SSE-S3 and no key id when the backup encryption is aes256", () => {
    const aes = synth({ ...props, encryption: { type: "aes256" } }).cron.spec.job_template.spec.template.spec.container[0];
    expect(aes.command[2]).toContain("--server-side-encryption AES256");
    expect(aes.command[2]).not.toContain("kms");
    expect(envOf(aes).SSE_KMS_KEY_ID).toBeUndefined();
  });

  it("runs every container non-root with a read-only root filesystem, no capabilities, RuntimeDefault seccomp and resources", () => {
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, run_as_user: "100", seccomp_profile: { type: "RuntimeDefault" } });
    for (const c of [save, upload]) {
      expect(c.security_context).toEqual({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        capabilities: { drop: ["ALL"] },
        seccomp_profile: { type: "RuntimeDefault" },
      });
      expect(c.resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
      expect(c.resources.limits).toEqual({ cpu: "500m", memory: "512Mi" });
      expect(c.volume_mount).toEqual(expect.arrayContaining([{ name: "tmp", mount_path: "/tmp" }]));
    }
  });

  it("leaves no ${ } in the scripts for Terraform to interpolate", () => {
    expect(`${save.command[2]}\n${upload.command[2]}`).not.toMatch(/\$\{|%\{/);
  });

  describe("the scripts, run with stub vault and aws commands", () => {
    /** Runs save then upload (as Kubernetes would: upload only after save exits 0) in a scratch directory. */
    function run(fail: { vault?: string; aws?: boolean } = {}) {
      const dir = mkdtempSync(join(tmpdir(), "raft-snapshot-"));
      const bin = join(dir, "bin");
      const snaps = join(dir, "snapshots");
      spawnSync("mkdir", ["-p", bin, snaps]);
      const log = join(dir, "calls.log");
      writeFileSync(
        join(bin, "vault"),
        `#!/bin/sh\necho "vault $*" >> ${log}\ncase "$1 $2" in\n` +
          `  "${fail.vault ?? "none"}"*) exit 2;;\nesac\n` +
          `case "$1" in write) echo s.faketoken;; operator) echo data > "$5";; esac\n`,
      );
      writeFileSync(join(bin, "aws"), `#!/bin/sh\necho "aws $*" >> ${log}\n${fail.aws ? "exit 1" : "exit 0"}\n`);
      chmodSync(join(bin, "vault"), 0o755);
      chmodSync(join(bin, "aws"), 0o755);
      const env = { PATH: `${bin}:${process.env.PATH}`, ...envOf(save), ...envOf(upload) };
      const sh = (script: string) => spawnSync("/bin/sh", ["-c", script.replaceAll("/snapshots", snaps)], { env, encoding: "utf8" });
      const saved = sh(save.command[2]);
      const uploaded = saved.status === 0 ? sh(upload.command[2]) : undefined;
      let calls = "";
      try {
        calls = readFileSync(log, "utf8");
      } catch {
        calls = "";
      }
      return { saved, uploaded, calls, files: readdirSync(snaps) };
    }

    it("saves one timestamped snapshot and uploads it to <prefix>/<env>/ with SSE-KMS", () => {
      const { saved, uploaded, calls, files } = run();
      expect(saved.status).toBe(0);
      expect(uploaded?.status).toBe(0);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^vault-\d{8}T\d{6}Z\.snap$/);
      expect(calls).toContain("vault write -field=token auth/kubernetes/login role=raft-snapshot jwt=@/var/run/secrets/vault/token");
      expect(calls).toMatch(
        new RegExp(
          `aws s3api put-object --bucket ${FAKE_BACKUP.bucketName} --key raft-snapshots/dev/${files[0]} --body \\S+/${files[0]} ` +
            `--server-side-encryption aws:kms --ssekms-key-id ${FAKE_BACKUP.backupKeyArn} --checksum-algorithm SHA256`,
        ),
      );
    });

    it("fails the job and uploads nothing when the login fails", () => {
      const { saved, uploaded, calls } = run({ vault: "write -field=token" });
      expect(saved.status).not.toBe(0);
      expect(uploaded).toBeUndefined();
      expect(calls).not.toContain("operator raft snapshot save");
    });

    it("fails the job and uploads nothing when the snapshot cannot be saved", () => {
      const { saved, uploaded } = run({ vault: "operator raft" });
      expect(saved.status).not.toBe(0);
      expect(uploaded).toBeUndefined();
    });

    it("fails the job when the upload fails", () => {
      const { saved, uploaded } = run({ aws: true });
      expect(saved.status).toBe(0);
      expect(uploaded?.status).not.toBe(0);
    });
  });

  it("accepts images pinned by tag or digest only", () => {
    expect(isPinnedImage("hashicorp/vault:2.0.4")).toBe(true);
    expect(isPinnedImage(`registry.example.com:5000/vault@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(isPinnedImage("hashicorp/vault")).toBe(false);
    expect(isPinnedImage("registry.example.com:5000/vault")).toBe(false);
    expect(isPinnedImage("amazon/aws-cli:latest")).toBe(false);
  });

  it("fails if an image is not pinned", () => {
    expect(() => synth({ ...props, images: { vault: "hashicorp/vault", awsCli: "amazon/aws-cli:latest" } })).toThrow(
      /images must be pinned to a version tag or digest.*vault=hashicorp\/vault, awsCli=amazon\/aws-cli:latest/,
    );
  });
});
