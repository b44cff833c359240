/**
 * A stand-in for the `vault` binary as the processes of a Vault server pod run it, for the reloader rehearsal.
 * The executable is a copy of the system's POSIX shell named `vault`, so the kernel sets the command name
 * (/proc/<pid>/comm) to `vault` and the command line reads exactly `vault server -config=…`, as for the real binary
 * started through PATH; the shell takes its first argument as the script to run, so each subcommand is a script file
 * of that name in the directory the processes start in. What each does on SIGHUP is taken from hashicorp/vault:
 *
 * - `vault server -config=…` (how the chart's statefulset starts it, through docker-entrypoint.sh's `exec "$@"`):
 *   command/server.go's run loop handles SIGHUP (`case <-c.SighupCh`: "==> Vault reload triggered") and runs every
 *   reload function: the listener's certificate getter re-reads the certificate files, and each file audit device's
 *   internal/observability/event/sink_file.go `FileSink.Reopen` closes its descriptor and opens the path again
 *   (`open`: os.OpenFile with O_APPEND|O_WRONLY|O_CREATE), so the path exists again as soon as the reload ran. Until
 *   then every entry goes to the open descriptor, i.e. into a file that was renamed. The stand-in writes numbered audit
 *   lines continuously through one descriptor, re-reads the certificate and reopens the audit path on SIGHUP, and
 *   records each reload with the fingerprint of the certificate it loaded. `DROP_HUPS=n` drops the first n signals
 *   (os/signal's Notify never blocks: a signal arriving while the channel is full is dropped).
 * - any other subcommand (`vault status` from the readiness probe, `kubectl exec … vault …`): the CLI installs no
 *   SIGHUP handler, so the default action ends the process. The stand-in records the signal and exits 129.
 *
 * Environment: STANDIN_DIR (records), AUDIT_FILE, CERT_DIR, DROP_HUPS. Writing stops when $STANDIN_DIR/stop exists;
 * the server then writes its line count to $STANDIN_DIR/written.
 */
import { chmodSync, copyFileSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A client subcommand: no SIGHUP handler in the CLI, so the signal ends it. It forks once (its idle `sleep`) and then
 * says so, so a script placing processes at chosen PIDs knows no fork of it can take the next one (a `sleep 1` loop
 * did, on a loaded CI machine). `wait` returns as soon as a trapped signal arrives (POSIX), and the trap runs.
 */
const CLIENT = `set -u
idle=
trap 'kill $idle 2>/dev/null; echo "$$" >> "$STANDIN_DIR/other-hups"; exit 129' HUP
sleep 100000 &
idle=$!
echo "$$" >> "$STANDIN_DIR/clients-started"
wait "$idle"
`;

/** Shell that waits (up to 20 s) until `n` client subcommands have started and done their one fork. */
export function clientsStartedShell(n: number): string {
  const count = '$( [ -f "$STANDIN_DIR/clients-started" ] && wc -l < "$STANDIN_DIR/clients-started" || echo 0)';
  return `i=0; until [ "${count}" -ge ${n} ] || [ $i -ge 200 ]; do sleep 0.1; i=$((i + 1)); done`;
}

const SERVER = `set -u
d=$STANDIN_DIR
cert() { cat "$CERT_DIR/tls.crt" "$CERT_DIR/tls.key" "$CERT_DIR/ca.crt" 2>/dev/null | sha256sum | cut -d' ' -f1; }
drop=\${DROP_HUPS:-0}
n=0
exec 3>>"$AUDIT_FILE"
echo "loaded $(cert)" >> "$d/server-reloads"
reload() {
  if [ "$drop" -gt 0 ]; then drop=$((drop - 1)); echo dropped >> "$d/server-reloads"; return; fi
  exec 3>&-
  exec 3>>"$AUDIT_FILE"
  echo "reloaded $(cert)" >> "$d/server-reloads"
}
trap reload HUP
while [ ! -e "$d/stop" ]; do
  i=0
  while [ $i -lt 20 ]; do n=$((n + 1)); i=$((i + 1)); echo "audit entry $n" >&3; done
  sleep 0.02
done
echo "$n" > "$d/written"
`;

/**
 * Installs the stand-in under `dir`: `dir/bin/vault` (put `dir/bin` on PATH) and the subcommands `server`, `status`
 * and `operator` in `dir/cmd`, the directory to start the processes in. Returns both directories.
 */
export function installVaultStandIn(dir: string): { readonly bin: string; readonly cmd: string } {
  const bin = join(dir, "bin");
  const cmd = join(dir, "cmd");
  mkdirSync(bin, { recursive: true });
  mkdirSync(cmd, { recursive: true });
  copyFileSync(realpathSync("/bin/sh"), join(bin, "vault"));
  chmodSync(join(bin, "vault"), 0o755);
  writeFileSync(join(cmd, "server"), SERVER);
  for (const client of ["status", "operator"]) writeFileSync(join(cmd, client), CLIENT);
  return { bin, cmd };
}
