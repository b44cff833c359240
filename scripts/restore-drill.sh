#!/usr/bin/env bash
# Quarterly Vault restore drill (docs/restore-drill.md): find the latest Raft snapshot of an environment, download
# it, verify its SHA-256 against the checksum S3 stored at upload, inspect it, restore it into a scratch Vault with
# `vault operator raft snapshot restore`, log in to the restored data and read a canary secret.
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
  --vault-addr URL       https address of the SCRATCH Vault to restore into (never the live cluster)

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
  --dry-run              print the commands instead of running them
  -h, --help             this help

Real mode needs: aws, vault, openssl, base64; VAULT_TOKEN with the scratch Vault's own root token (for the
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

if ! $dry_run; then
  for tool in aws vault openssl base64; do
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

say "1. find the latest snapshot"
key="$(capture "<latest snapshot key>" aws "${aws_args[@]}" s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix/$env_name/" \
  --query 'sort_by(Contents[?ends_with(Key, `.snap`)], &LastModified)[-1].Key' --output text)"
if ! $dry_run && [[ -z "$key" || "$key" == None ]]; then
  die "no snapshot under s3://$bucket/$prefix/$env_name/"
fi
say "latest snapshot: $key"

say "2. download it"
run aws "${aws_args[@]}" s3api get-object --bucket "$bucket" --key "$key" --checksum-mode ENABLED "$snapshot" >/dev/null

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

say "4. inspect the snapshot (Vault checks its internal SHA256SUMS too)"
run vault operator raft snapshot inspect "$snapshot"

say "5. restore into the scratch Vault (forced: the scratch cluster has its own keyring until now)"
run vault operator raft snapshot restore -force "$snapshot"

say "6. log in to the restored data and read the canary"
token="$(capture "<restored token>" vault write -field=token "auth/kubernetes/login" role="$login_role" \
  jwt=@"$jwt_file")"
canary_value="$(VAULT_TOKEN="$token" capture "<canary value>" vault kv get -field="$canary_field" "$canary")"
if ! $dry_run; then
  [[ -n "$canary_value" ]] || die "canary $canary has no $canary_field after the restore"
  # The value is a timestamp, not a secret; print it as the drill's evidence.
  say "canary $canary $canary_field=$canary_value"
fi

say "restore drill passed$($dry_run && printf ' (dry run: nothing was run)')"
