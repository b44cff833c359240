/**
 * Automated Raft snapshots for open-source Vault (what vault-helm issue 453 asks for): a CronJob whose init
 * container logs in to Vault and saves a snapshot into an emptyDir, and whose main container uploads it to S3 with
 * SSE-KMS. The upload only starts after a successful save, and any failing command fails the job.
 *
 * Credentials: no long-lived token secret and no automounted API token. Vault login uses a projected, short-lived
 * service account token with audience `vault`; AWS access comes from the IRSA role, whose web identity token the
 * EKS webhook projects into the upload container only.
 */
import { Construct } from "constructs";
import { KUBERNETES_CRON_JOB, PlainResource } from "./plain-resource";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { SERVICE_ACCOUNTS } from "./service-accounts";
import { vaultActiveAddress } from "./vault-tls";

export type SnapshotEncryption = { readonly type: "kms"; readonly keyArn: string } | { readonly type: "aes256" };

export interface RaftSnapshotJobProps {
  /** Kubernetes namespace the job runs in (Vault's). */
  readonly namespace: string;
  /** Environment name; snapshots go to `<prefix>/<environment>/`. */
  readonly environment: string;
  readonly bucketName: string;
  /** Key prefix of the snapshots in the bucket. */
  readonly prefix: string;
  /** How the upload asks S3 to encrypt (the bucket policy denies anything else). */
  readonly encryption: SnapshotEncryption;
  /** AWS region of the bucket. */
  readonly region: string;
  /** IRSA role allowed to put snapshots. */
  readonly roleArn: string;
  /** Secret whose `ca.crt` verifies Vault's certificate. */
  readonly tlsSecretName: string;
  /** Pinned images: the Vault CLI and the AWS CLI. */
  readonly images: { readonly vault: string; readonly awsCli: string };
  /**
   * Cron schedule of the snapshot job.
   * @default "0 * * * *" (hourly)
   */
  readonly schedule?: string;
  /**
   * Kubernetes auth mount path in Vault.
   * @default "kubernetes"
   */
  readonly authPath?: string;
  /**
   * Kubernetes auth role the job logs in with (policy: read `sys/storage/raft/snapshot`).
   * @default "raft-snapshot"
   */
  readonly vaultRole?: string;
  /**
   * Audience of the projected token, as the Vault role expects it.
   * @default "vault"
   */
  readonly audience?: string;
  /**
   * Vault address.
   * @default "https://vault-active.<namespace>.svc:8200"
   */
  readonly vaultAddress?: string;
  /**
   * Upper bound on the snapshot size (emptyDir size limit).
   * @default "2Gi"
   */
  readonly snapshotSizeLimit?: string;
  /**
   * Retries of a failed run.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Hard time limit of one run, in seconds.
   * @default 900
   */
  readonly activeDeadlineSeconds?: number;
}

/** An image reference pinned to a version tag or a digest (never implicit or `latest`). */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(image.split("/").pop() ?? "")?.[1];
  return tag !== undefined && tag !== "latest";
}

const TOKEN_DIR = "/var/run/secrets/vault";
const CA_DIR = "/vault/tls";
const SNAPSHOT_DIR = "/snapshots";

/** Init container script: log in, save, check the file is not empty. `$VAR`, never `${VAR}` (Terraform would read it). */
const SAVE_SCRIPT = [
  "set -eu",
  `VAULT_TOKEN="$(vault write -field=token "auth/$VAULT_AUTH_PATH/login" role="$VAULT_ROLE" jwt=@${TOKEN_DIR}/token)"`,
  "export VAULT_TOKEN",
  `file="${SNAPSHOT_DIR}/vault-$(date -u +%Y%m%dT%H%M%SZ).snap"`,
  'vault operator raft snapshot save "$file"',
  'test -s "$file"',
  'echo "saved $file"',
  'vault token revoke -self || echo "warning: token not revoked; it expires with its TTL" >&2',
].join("\n");

/**
 * The S3 key of a snapshot taken at `at` under `keyPrefix` (`<prefix>/<environment>`): the upload script's
 * `$KEY_PREFIX/$(basename "$1")` of the file SAVE_SCRIPT names with `date -u +%Y%m%dT%H%M%SZ`.
 */
export function snapshotObjectKey(keyPrefix: string, at: Date): string {
  return `${keyPrefix}/vault-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.snap`;
}

/**
 * One PutObject, never `aws s3 cp`: above 8 MB `cp` switches to a multipart upload whose UploadPart requests
 * carry no encryption header, which the bucket policy denies. A single PUT takes up to 5 GB, sends the SSE
 * headers the policy requires, and stores a SHA-256 checksum that the restore drill verifies.
 */
function uploadScript(encryption: SnapshotEncryption): string {
  const sse =
    encryption.type === "kms" ? '--server-side-encryption aws:kms --ssekms-key-id "$SSE_KMS_KEY_ID"' : "--server-side-encryption AES256";
  return [
    "set -eu",
    `set -- ${SNAPSHOT_DIR}/vault-*.snap`,
    'if [ "$#" -ne 1 ] || [ ! -s "$1" ]; then echo "expected exactly one non-empty snapshot, found: $*" >&2; exit 1; fi',
    'key="$KEY_PREFIX/$(basename "$1")"',
    `aws s3api put-object --bucket "$BUCKET" --key "$key" --body "$1" ${sse} --checksum-algorithm SHA256 >/dev/null`,
    'echo "uploaded s3://$BUCKET/$key"',
  ].join("\n");
}

/** The Raft snapshot CronJob and its service account. */
export class RaftSnapshotJob extends Construct {
  public readonly cronJob: PlainResource;
  public readonly serviceAccount: ServiceAccountV1;
  /** Name of the CronJob (jobs are named `<name>-<n>`). */
  public readonly name: string;
  public readonly schedule: string;
  /** `<prefix>/<environment>`: where the snapshots land. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: RaftSnapshotJobProps) {
    super(scope, id);
    const bad = Object.entries(props.images).filter(([, image]) => !isPinnedImage(image));
    if (bad.length > 0) {
      throw new Error(
        `raft snapshot job: images must be pinned to a version tag or digest, not latest or untagged (got ${bad.map(([k, v]) => `${k}=${v}`).join(", ")})`,
      );
    }
    const ns = props.namespace;
    this.name = SERVICE_ACCOUNTS.raftSnapshot;
    this.schedule = props.schedule ?? "0 * * * *";
    this.keyPrefix = `${props.prefix}/${props.environment}`;
    const labels = { "app.kubernetes.io/name": this.name, "app.kubernetes.io/part-of": "vault-platform" };

    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: SERVICE_ACCOUNTS.raftSnapshot,
        namespace: ns,
        labels,
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" },
      },
      automountServiceAccountToken: false,
    });

    const containerSecurity = {
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    };
    const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };
    const tmp = { name: "tmp", mount_path: "/tmp" };
    const snapshots = { name: "snapshots", mount_path: SNAPSHOT_DIR };

    // Attributes as the provider's schema names them (snake_case): the prebuilt CronJobV1 class would load 5 MB of
    // struct converters, a sixth of a synth, for this one resource (constructs/plain-resource.ts).
    this.cronJob = new PlainResource(this, "cron-job", KUBERNETES_CRON_JOB, {
      metadata: { name: this.name, namespace: ns, labels },
      spec: {
        schedule: this.schedule,
        timezone: "Etc/UTC",
        concurrency_policy: "Forbid",
        starting_deadline_seconds: 300,
        successful_jobs_history_limit: 3,
        // Kept so the failed-job alert and `kubectl logs` have something to show.
        failed_jobs_history_limit: 3,
        job_template: {
          metadata: { labels },
          spec: {
            backoff_limit: props.backoffLimit ?? 2,
            active_deadline_seconds: props.activeDeadlineSeconds ?? 900,
            template: {
              metadata: {
                labels,
                // The IRSA webhook gives AWS credentials to the upload container only.
                annotations: { "eks.amazonaws.com/skip-containers": "vault" },
              },
              spec: {
                service_account_name: this.serviceAccount.metadata.name,
                automount_service_account_token: false,
                restart_policy: "Never",
                security_context: {
                  run_as_non_root: true,
                  run_as_user: "100",
                  run_as_group: "1000",
                  fs_group: "1000",
                  seccomp_profile: { type: "RuntimeDefault" },
                },
                init_container: [
                  {
                    name: "vault",
                    image: props.images.vault,
                    image_pull_policy: "IfNotPresent",
                    command: ["/bin/sh", "-c", SAVE_SCRIPT],
                    env: [
                      { name: "VAULT_ADDR", value: props.vaultAddress ?? vaultActiveAddress(ns) },
                      { name: "VAULT_CACERT", value: `${CA_DIR}/ca.crt` },
                      { name: "VAULT_AUTH_PATH", value: props.authPath ?? "kubernetes" },
                      { name: "VAULT_ROLE", value: props.vaultRole ?? "raft-snapshot" },
                      { name: "HOME", value: "/tmp" },
                    ],
                    volume_mount: [
                      snapshots,
                      tmp,
                      { name: "vault-token", mount_path: TOKEN_DIR, read_only: true },
                      { name: "vault-ca", mount_path: CA_DIR, read_only: true },
                    ],
                    security_context: containerSecurity,
                    resources,
                  },
                ],
                container: [
                  {
                    name: "upload",
                    image: props.images.awsCli,
                    image_pull_policy: "IfNotPresent",
                    command: ["/bin/sh", "-c", uploadScript(props.encryption)],
                    env: [
                      { name: "BUCKET", value: props.bucketName },
                      { name: "KEY_PREFIX", value: this.keyPrefix },
                      ...(props.encryption.type === "kms" ? [{ name: "SSE_KMS_KEY_ID", value: props.encryption.keyArn }] : []),
                      { name: "AWS_REGION", value: props.region },
                      { name: "AWS_DEFAULT_REGION", value: props.region },
                      { name: "HOME", value: "/tmp" },
                    ],
                    volume_mount: [{ ...snapshots, read_only: true }, tmp],
                    security_context: containerSecurity,
                    resources,
                  },
                ],
                volume: [
                  { name: "snapshots", empty_dir: { size_limit: props.snapshotSizeLimit ?? "2Gi" } },
                  { name: "tmp", empty_dir: { size_limit: "64Mi" } },
                  {
                    name: "vault-token",
                    projected: [
                      { sources: [{ service_account_token: { audience: props.audience ?? "vault", expiration_seconds: 600, path: "token" } }] },
                    ],
                  },
                  { name: "vault-ca", secret: { secret_name: props.tlsSecretName, items: [{ key: "ca.crt", path: "ca.crt" }] } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
