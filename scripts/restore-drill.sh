#!/usr/bin/env bash
# Quarterly Vault restore drill (docs/restore-drill.md): first prove, from inside the scratch Vault's pod, that the
# tenants' databases are unreachable (a restored lease whose expiry has passed is revoked at unseal, and revoking a
# database lease runs SQL against the database it names); then find the latest Raft snapshot of an environment,
# download it, verify its SHA-256 against the checksum S3 stored at upload, inspect it, restore it into the scratch
# Vault with `vault operator raft snapshot restore`, log in to the restored data and read a canary secret.
# --result-file records the outcome as JSON (snapshot time, restore duration, canary read, verdict) on every exit.
#
# --dry-run prints every command it would run and runs none (no aws or vault needed); tests use it.
set -euo pipefail

readonly PROG="${0##*/}"

usage() {
  cat <<EOF
Usage: $PROG --env ENV --bucket BUCKET --vault-addr URL [options]

Required:
  --env ENV              environment whose snapshots to restore (key prefix <prefix>/ENV/)
  --bucket BUCKET        snapshot bucket (the backup stack's bucket_name output)
  --vault-addr URL       https address of the SCRATCH Vault to restore into (never the live cluster): a service
                         in the scratch namespace, https://<service>.<scratch namespace>.svc:8200
  --scratch-namespace NS the scratch Vault's namespace (cluster.restoreDrill.namespace; its network policy denies
                         every database port)
  --database HOST:PORT   a tenant database that must be unreachable from the scratch pod (repeat for each), or
  --no-databases         there is none; one of the two is required

Options:
  --prefix PREFIX        snapshot key prefix (default: raft-snapshots)
  --region REGION        AWS region of the bucket (default: the AWS CLI's)
  --login-role ROLE      Kubernetes auth role in the restored data used to read the canary (default: restore-drill)
  --jwt-file FILE        service account token the login presents, audience vault (default: /var/run/secrets/vault/token,
                         the projected token of the drill pod in docs/restore-drill.md)
  --canary PATH          KV v2 secret to read after the restore, as mount/path (default: secret/restore-drill/canary,
                         vault.restoreDrill.canary in config)
  --canary-field FIELD   field that must be non-empty (default: written_at)
  --workdir DIR          where the snapshot is downloaded (default: a new temporary directory)
  --scratch-pod POD      the scratch Vault's pod the isolation check runs in (default: vault-drill-0)
  --result-file FILE     write the drill's result as JSON there, whatever the outcome
  --dry-run              print the commands instead of running them
  -h, --help             this help

Exit status: 0 passed, 2 bad arguments, 3 refused (a database reachable from the scratch pod, or the check could
not be made), anything else a failed step.

Real mode needs: kubectl (exec into the scratch pod), aws, vault, openssl, base64; VAULT_TOKEN with the scratch Vault's own root token (for the
forced restore); AWS credentials of the restore role (IRSA service account vault-restore-drill).
EOF
}

die() {
  printf '%s: error: %s\n' "$PROG" "$1" >&2
  [[ "${2:-}" == usage ]] && printf 'Run %s --help for usage.\n' "$PROG" >&2
  exit 2
}

env_name="" bucket="" vault_addr="" prefix="raft-snapshots" region="" login_role="restore-drill"
canary="secret/restore-drill/canary" canary_field="written_at" workdir="" dry_run=false
jwt_file="/var/run/secrets/vault/token"
scratch_ns="" scratch_pod="vault-drill-0" databases=() no_databases=false result_file=""

need_value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || die "$1 needs a value" usage; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$@"; env_name="$2"; shift 2 ;;
    --bucket) need_value "$@"; bucket="$2"; shift 2 ;;
    --vault-addr) need_value "$@"; vault_addr="$2"; shift 2 ;;
    --prefix) need_value "$@"; prefix="$2"; shift 2 ;;
    --region) need_value "$@"; region="$2"; shift 2 ;;
    --login-role) need_value "$@"; login_role="$2"; shift 2 ;;
    --jwt-file) need_value "$@"; jwt_file="$2"; shift 2 ;;
    --canary) need_value "$@"; canary="$2"; shift 2 ;;
    --canary-field) need_value "$@"; canary_field="$2"; shift 2 ;;
    --workdir) need_value "$@"; workdir="$2"; shift 2 ;;
    --scratch-namespace) need_value "$@"; scratch_ns="$2"; shift 2 ;;
    --scratch-pod) need_value "$@"; scratch_pod="$2"; shift 2 ;;
    --database) need_value "$@"; databases+=("$2"); shift 2 ;;
    --no-databases) no_databases=true; shift ;;
    --result-file) need_value "$@"; result_file="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1" usage ;;
  esac
done

# Collect every problem with the arguments, then report them together.
problems=()
[[ -n "$env_name" ]] || problems+=("--env is required")
[[ -n "$bucket" ]] || problems+=("--bucket is required")
[[ -n "$vault_addr" ]] || problems+=("--vault-addr is required (the scratch Vault)")
[[ -z "$env_name" || "$env_name" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]] || problems+=("--env must be a lower-case name such as dev (got $env_name)")
[[ -z "$bucket" || "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || problems+=("--bucket must be an S3 bucket name (got $bucket)")
[[ -z "$vault_addr" || "$vault_addr" =~ ^https:// ]] || problems+=("--vault-addr must start with https:// (got $vault_addr)")
[[ "$prefix" =~ ^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$ ]] || problems+=("--prefix must have no leading or trailing / (got $prefix)")
[[ "$canary" == */* ]] || problems+=("--canary must be mount/path (got $canary)")
k8s_name='^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'
[[ -n "$scratch_ns" ]] || problems+=("--scratch-namespace is required (the scratch Vault's own namespace)")
[[ -z "$scratch_ns" || "$scratch_ns" =~ $k8s_name ]] || problems+=("--scratch-namespace must be a namespace name (got $scratch_ns)")
[[ "$scratch_pod" =~ $k8s_name ]] || problems+=("--scratch-pod must be a pod name (got $scratch_pod)")
if [[ -n "$scratch_ns" && -n "$vault_addr" && ! "$vault_addr" =~ ^https://[a-z0-9-]+\.${scratch_ns}\.svc(\.cluster\.local)?(:[0-9]+)?/?$ ]]; then
  problems+=("--vault-addr must be a service in the scratch namespace, https://<service>.$scratch_ns.svc:8200 (got $vault_addr)")
fi
if $no_databases && [[ ${#databases[@]} -gt 0 ]]; then problems+=("--no-databases and --database exclude each other"); fi
if ! $no_databases && [[ ${#databases[@]} -eq 0 ]]; then
  problems+=("--database HOST:PORT is required for every tenant database (or --no-databases if there is none)")
fi
for db in "${databases[@]}"; do
  [[ "$db" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || problems+=("--database must be HOST:PORT (got $db)")
done
if [[ ${#problems[@]} -gt 0 ]]; then
  for p in "${problems[@]}"; do printf '%s: error: %s\n' "$PROG" "$p" >&2; done
  printf 'Run %s --help for usage.\n' "$PROG" >&2
  exit 2
fi

# Dry-run lines go to the original stdout (fd 3), even from inside $(...).
exec 3>&1
say() { printf '==> %s\n' "$*" >&3; }
show() {
  local out="+" arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then out+=" $arg"; else out+=" '${arg//\'/\'\\\'\'}'"; fi
  done
  printf '%s\n' "$out" >&3
}
# run: print in dry-run, else execute. capture: same, and in dry-run stand in a placeholder for the output.
run() { if $dry_run; then show "$@"; else "$@"; fi; }
capture() {
  local placeholder="$1"
  shift
  if $dry_run; then show "$@"; printf '%s' "$placeholder"; else "$@"; fi
}

refuse() {
  verdict="refused"
  printf '%s: refused: %s\n' "$PROG" "$1" >&2
  exit 3
}

# The drill's record, written on every exit when --result-file is given (the scheduled workflow keeps it).
step="arguments" verdict="fail" key="" restore_seconds="" canary_value="" checked=()
json_string() { local v="${1//\\/\\\\}"; v="${v//\"/\\\"}"; printf '"%s"' "$v"; }
write_result() {
  local status=$?
  [[ -n "$result_file" ]] || return 0
  [[ $status -eq 0 && "$verdict" == pass ]] || [[ "$verdict" == refused ]] || verdict="fail"
  local taken="" c list=""
  # Snapshot keys end in vault-<UTC timestamp>.snap (the snapshot job names them so).
  if [[ "$key" =~ vault-([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z\.snap$ ]]; then
    taken="${BASH_REMATCH[1]}-${BASH_REMATCH[2]}-${BASH_REMATCH[3]}T${BASH_REMATCH[4]}:${BASH_REMATCH[5]}:${BASH_REMATCH[6]}Z"
  fi
  for c in "${checked[@]}"; do list+="${list:+, }$(json_string "$c")"; done
  {
    printf '{\n'
    printf '  "environment": %s,\n' "$(json_string "$env_name")"
    printf '  "finished_at": %s,\n' "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "verdict": %s,\n' "$(json_string "$verdict")"
    printf '  "step": %s,\n' "$(json_string "$step")"
    printf '  "databases_unreachable": [%s],\n' "$list"
    printf '  "snapshot_key": %s,\n' "$(json_string "$key")"
    printf '  "snapshot_taken_at": %s,\n' "$(json_string "$taken")"
    printf '  "restore_seconds": %s,\n' "${restore_seconds:-null}"
    printf '  "canary_read": %s,\n' "$([[ -n "$canary_value" ]] && echo true || echo false)"
    printf '  "dry_run": %s\n' "$dry_run"
    printf '}\n'
  } > "$result_file"
}
trap write_result EXIT

if ! $dry_run; then
  for tool in kubectl aws vault openssl base64; do
    command -v "$tool" >/dev/null || die "$tool is not installed (needed in real mode; --dry-run needs nothing)"
  done
  [[ -n "${VAULT_TOKEN:-}" ]] || die "VAULT_TOKEN must hold the scratch Vault's root token for the forced restore"
fi

aws_args=()
[[ -n "$region" ]] && aws_args+=(--region "$region")
if [[ -z "$workdir" ]]; then
  if $dry_run; then workdir="<temporary directory>"; else workdir="$(mktemp -d)"; fi
fi
snapshot="$workdir/restore-drill.snap"
export VAULT_ADDR="$vault_addr"

say "restore drill for $env_name: s3://$bucket/$prefix/$env_name/ -> $vault_addr$($dry_run && printf ' (dry run)')"

# From inside the scratch pod, as the restored Vault would connect: a probe that cannot run is not a pass.
probe='command -v nc >/dev/null 2>&1 || { echo NO-PROBE; exit 0; }
if nc -w 3 "$0" "$1" </dev/null >/dev/null 2>&1; then echo REACHABLE; else echo UNREACHABLE; fi'
reach() { capture "UNREACHABLE" kubectl -n "$scratch_ns" exec "$scratch_pod" -c vault -- sh -c "$probe" "$1" "$2" 2>/dev/null || true; }
step="isolation"
say "0. check from $scratch_ns/$scratch_pod that no tenant database is reachable"
for db in "${databases[@]}"; do
  result="$(reach "${db%:*}" "${db##*:}")"
  case "$result" in
    UNREACHABLE) checked+=("$db"); say "$db unreachable from the scratch pod" ;;
    REACHABLE) refuse "$db is reachable from $scratch_ns/$scratch_pod: a restored lease could be revoked against it; fix the scratch namespace's network policy" ;;
    *) refuse "could not check $db from $scratch_ns/$scratch_pod (got: ${result:-nothing}); the drill runs only after the check" ;;
  esac
done
# The probe must be able to say yes: AWS KMS (needed to unseal) is reachable.
if [[ -n "$region" ]] && ! $dry_run; then
  control="$(reach "kms.$region.amazonaws.com" 443)"
  [[ "$control" == REACHABLE ]] || refuse "the probe cannot reach kms.$region.amazonaws.com:443 from $scratch_ns/$scratch_pod (got: ${control:-nothing}), so its no for the databases proves nothing"
fi

step="find"
say "1. find the latest snapshot"
key="$(capture "<latest snapshot key>" aws "${aws_args[@]}" s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix/$env_name/" \
  --query 'sort_by(Contents[?ends_with(Key, `.snap`)], &LastModified)[-1].Key' --output text)"
if ! $dry_run && [[ -z "$key" || "$key" == None ]]; then
  die "no snapshot under s3://$bucket/$prefix/$env_name/"
fi
say "latest snapshot: $key"

step="download"
say "2. download it"
run aws "${aws_args[@]}" s3api get-object --bucket "$bucket" --key "$key" --checksum-mode ENABLED "$snapshot" >/dev/null

step="verify"
say "3. verify its SHA-256 against the checksum S3 stored at upload"
expected="$(capture "<stored sha256>" aws "${aws_args[@]}" s3api head-object --bucket "$bucket" --key "$key" --checksum-mode ENABLED \
  --query ChecksumSHA256 --output text)"
if $dry_run; then
  printf '+ openssl dgst -sha256 -binary %s | base64\n' "'$snapshot'" >&3
else
  actual="$(openssl dgst -sha256 -binary "$snapshot" | base64)"
  [[ -n "$expected" && "$expected" != None ]] ||
    die "s3://$bucket/$key has no SHA-256 checksum; the snapshot job must upload with --checksum-algorithm SHA256"
  [[ "$actual" == "$expected" ]] || die "checksum mismatch for $key: S3 has $expected, the download has $actual"
  say "checksum ok ($actual)"
fi

step="inspect"
say "4. inspect the snapshot (Vault checks its internal SHA256SUMS too)"
run vault operator raft snapshot inspect "$snapshot"

step="restore"
say "5. restore into the scratch Vault (forced: the scratch cluster has its own keyring until now)"
started=$SECONDS
run vault operator raft snapshot restore -force "$snapshot"
restore_seconds=$((SECONDS - started))

step="canary"
say "6. log in to the restored data and read the canary"
token="$(capture "<restored token>" vault write -field=token "auth/kubernetes/login" role="$login_role" \
  jwt=@"$jwt_file")"
canary_value="$(VAULT_TOKEN="$token" capture "<canary value>" vault kv get -field="$canary_field" "$canary")"
if ! $dry_run; then
  [[ -n "$canary_value" ]] || die "canary $canary has no $canary_field after the restore"
  # The value is a timestamp, not a secret; print it as the drill's evidence.
  say "canary $canary $canary_field=$canary_value"
fi

step="done"
verdict="pass"
say "restore drill passed$($dry_run && printf ' (dry run: nothing was run)')"
