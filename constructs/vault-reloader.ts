/**
 * The `vault-reloader` sidecar of the Vault server pods. Vault reads its listener certificate once and again only on
 * SIGHUP (command/server.go: the SIGHUP case of the run loop calls Reload, which runs every "listener|" reload func,
 * reloadutil.CertificateGetter.Reload); the StatefulSet is OnDelete, so nothing restarts the pods either. cert-manager
 * renews the secret 15 days before expiry and the kubelet swaps the mounted files; this container notices the new
 * files and sends SIGHUP, so the renewal reaches the running server without a person.
 *
 * The same loop rotates the file audit log by size: rename, then SIGHUP (the "audit_file|" reload funcs reopen the
 * file at its path, event.FileSink.Reopen), then delete all but the newest `keep` rotated files, so the log cannot
 * fill its volume. Entries written between the rename and the reopen land in the renamed file (same descriptor).
 *
 * It runs the Vault image itself (already pinned to an exact tag and pulled on the node; Alpine, so busybox sh),
 * as the Vault user, which may signal Vault's process through the shared process namespace
 * (server.shareProcessNamespace).
 */
import { TLS_MOUNT_PATH } from "./vault-helm-values";

export interface VaultReloaderProps {
  /** Vault image (repository:tag), reused for its busybox shell. */
  readonly image: string;
  /**
   * Directory of the mounted TLS secret (tls.crt, tls.key, ca.crt).
   * @default TLS_MOUNT_PATH
   */
  readonly certDir?: string;
  /** Audit log files on the audit volume to rotate (file audit devices' file_path). */
  readonly auditFiles: readonly string[];
  /** Where the chart mounts the audit volume (server.auditStorage.mountPath). */
  readonly auditMountPath: string;
  /** Rotate a log once it reaches this many bytes. */
  readonly maxFileBytes: number;
  /** Rotated files kept per log; older ones are deleted. */
  readonly keep: number;
  /** Seconds between checks. */
  readonly intervalSeconds: number;
  readonly resources: { readonly requests: Quantities; readonly limits: Quantities };
}

type Quantities = { readonly cpu: string; readonly memory: string };

/** Container name, also used by the alert on its restarts. */
export const RELOADER_CONTAINER = "vault-reloader";

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

/**
 * The loop, POSIX sh (busybox ash in the pod, dash in the tests). Inputs come from the environment so a test can run
 * it against a fake /proc and file tree: PROC_ROOT, CERT_DIR, AUDIT_FILES (space separated), MAX_BYTES, KEEP,
 * INTERVAL, and ONCE=1 for a single pass.
 *
 * Which process: the shared process namespace also shows the readiness probe's `vault status` (every 5 s) and any
 * `kubectl exec … vault …`, all with the command name `vault`, and /proc lists PIDs in lexical order (23456 before 7).
 * Only the process whose command line is `vault server …` (the chart starts `vault server -config=…`) is signalled,
 * and only if it is the only one; a client `vault` has no SIGHUP handler and would just die.
 *
 * When a change counts as done: a rotated audit log once its path exists again, since Vault's reload reopens each
 * file audit device at its path (internal/observability/event/sink_file.go, FileSink.Reopen: close, then open with
 * O_CREATE); until then it is signalled again every pass and the next rotation of that log waits. A certificate
 * change leaves no trace Vault's process shows from here, so it is signalled on two consecutive passes (a signal
 * lost in between, or sent while the server was restarting, is made up by the second).
 */
export const RELOADER_SCRIPT = `set -u
PROC_ROOT=\${PROC_ROOT:-/proc}
log() { echo "vault-reloader: $*"; }
# The Vault server process: command name "vault" and command line "vault server ...", exactly one of them.
vault_server_pid() {
  found=""
  for d in "$PROC_ROOT"/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = vault ] || continue
    # 2>/dev/null before < : a process that exited since the glob has no cmdline, and that is not worth a log line.
    case "$(tr '\\0' '\\n' 2>/dev/null < "$d/cmdline" | head -n 2 | tr '\\n' ' ')" in
      "vault server "|*"/vault server ") found="$found \${d##*/}" ;;
    esac
  done
  set -- $found
  [ $# -eq 1 ] && { echo "$1"; return 0; }
  [ $# -gt 1 ] && log "several vault server processes ($found), signalling none" >&2
  return 1
}
# Fingerprint of the mounted certificate files; the kubelet swaps them atomically on renewal.
cert_sum() { cat "$CERT_DIR/tls.crt" "$CERT_DIR/tls.key" "$CERT_DIR/ca.crt" 2>/dev/null | sha256sum | cut -d' ' -f1; }
# Rename a log that reached MAX_BYTES; Vault keeps writing to the renamed file until SIGHUP reopens the path.
rotate() {
  [ -f "$1" ] || return 1
  [ "$(wc -c < "$1")" -ge "$MAX_BYTES" ] || return 1
  target="$1.$(date -u +%Y%m%dT%H%M%SZ)"
  [ -e "$target" ] && return 1
  mv "$1" "$target" && log "rotated $1 to $target"
}
# Keep the newest KEEP rotated files of a log (their names sort by time).
prune() {
  ls -1 "$1".* 2>/dev/null | sort -r | tail -n +$((KEEP + 1)) | while read -r old; do rm -f "$old" && log "deleted $old"; done
}
seen=$(cert_sum)
cert_passes=0
unopened=""
log "watching $CERT_DIR and [$AUDIT_FILES] every \${INTERVAL}s"
while :; do
  still=""
  for f in $unopened; do
    if [ -e "$f" ]; then log "vault reopened $f"; else still="$still $f"; fi
  done
  unopened=$still
  now=$(cert_sum)
  if [ "$now" != "$seen" ]; then cert_passes=2; seen=$now; fi
  for f in $AUDIT_FILES; do
    case " $unopened " in *" $f "*) continue ;; esac
    if rotate "$f"; then unopened="$unopened $f"; fi
  done
  pending=""
  [ "$cert_passes" -gt 0 ] && pending="certificate changed"
  for f in $unopened; do pending="\${pending:+$pending, }rotated $f"; done
  if [ -n "$pending" ]; then
    if pid=$(vault_server_pid) && kill -HUP "$pid"; then
      log "sent SIGHUP to vault server (pid $pid): $pending"
      [ "$cert_passes" -gt 0 ] && cert_passes=$((cert_passes - 1))
    else
      log "could not signal vault server, will retry: $pending"
    fi
  fi
  for f in $AUDIT_FILES; do prune "$f"; done
  [ "\${ONCE:-0}" = 1 ] && exit 0
  sleep "$INTERVAL"
done
`;

/** The sidecar container, as the chart's `server.extraContainers` entry (Kubernetes pod spec, camelCase). */
export function vaultReloaderContainer(props: VaultReloaderProps): Record<string, unknown> {
  const certDir = props.certDir ?? TLS_MOUNT_PATH;
  const problems: string[] = [];
  for (const f of props.auditFiles) {
    if (!SAFE_PATH.test(f) || !f.startsWith(`${props.auditMountPath}/`)) {
      problems.push(`audit file ${JSON.stringify(f)} must be a plain path under ${props.auditMountPath}/`);
    }
  }
  if (!Number.isInteger(props.maxFileBytes) || props.maxFileBytes < 1) problems.push(`maxFileBytes must be a positive integer (got ${props.maxFileBytes})`);
  if (!Number.isInteger(props.keep) || props.keep < 1) problems.push(`keep must be at least 1 (got ${props.keep})`);
  if (!Number.isInteger(props.intervalSeconds) || props.intervalSeconds < 1) problems.push(`intervalSeconds must be at least 1 (got ${props.intervalSeconds})`);
  if (problems.length > 0) throw new Error(`vault reloader: ${problems.join("; ")}`);

  return {
    name: RELOADER_CONTAINER,
    image: props.image,
    command: ["/bin/sh", "-c", RELOADER_SCRIPT],
    env: [
      { name: "CERT_DIR", value: certDir },
      { name: "AUDIT_FILES", value: props.auditFiles.join(" ") },
      { name: "MAX_BYTES", value: String(props.maxFileBytes) },
      { name: "KEEP", value: String(props.keep) },
      { name: "INTERVAL", value: String(props.intervalSeconds) },
    ],
    resources: { requests: { ...props.resources.requests }, limits: { ...props.resources.limits } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [
      { name: "vault-tls", mountPath: certDir, readOnly: true },
      // The chart's volumeClaimTemplate for server.auditStorage is named "audit".
      { name: "audit", mountPath: props.auditMountPath },
    ],
  };
}
