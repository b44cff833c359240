#!/usr/bin/env bash
# Plans one synthesized stack against its live state for the drift workflow and writes, into <out-dir>:
#   status   converged | drifted | failed
#   summary.md   the plan-summary of the differences (drifted), or the end of terraform's output (failed)
#
#   scripts/drift-plan.sh <stack> <out-dir>        (from the workspace root, after npm run synth)
#
# terraform plan -detailed-exitcode: 0 no differences, 2 differences, 1 error (hashicorp/terraform
# internal/command/plan.go). Ephemeral variables (the database root passwords: write-only, sent only by a deploy that
# increases their version) get a placeholder (scripts/plan-placeholders.sh): a plan never sends them. The JSON plan holds sensitive values in
# clear: it stays in RUNNER_TEMP and is removed; only the summary is kept. Exits 0 unless the script itself fails:
# the issue job reads the status.
set -euo pipefail
stack="${1:?usage: scripts/drift-plan.sh <stack> <out-dir>}"
out="${2:?usage: scripts/drift-plan.sh <stack> <out-dir>}"
root="$PWD"
tmp="${RUNNER_TEMP:?RUNNER_TEMP is not set}"
dir="cdktf.out/stacks/$stack"
mkdir -p "$out"
[ -f "$dir/cdk.tf.json" ] || { echo failed > "$out/status"; echo "No synthesized stack $dir (npm run synth first)." > "$out/summary.md"; exit 0; }
source scripts/plan-placeholders.sh "$dir/cdk.tf.json"
cd "$dir"
status=0
{ terraform init -input=false && terraform plan -input=false -lock-timeout=5m -detailed-exitcode -out=drift.tfplan; } > "$tmp/$stack.drift.log" 2>&1 || status=$?
case "$status" in
  0) echo converged > "$root/$out/status"; echo "No differences: live state matches main." > "$root/$out/summary.md" ;;
  2)
    echo drifted > "$root/$out/status"
    terraform show -json drift.tfplan > "$tmp/$stack.drift.json"
    (cd "$root" && npm run --silent plan-summary -- --synth-dir cdktf.out "$stack=$tmp/$stack.drift.json") > "$root/$out/summary.md" || true
    rm -f "$tmp/$stack.drift.json"
    ;;
  *) echo failed > "$root/$out/status"; { echo "terraform could not plan $stack (exit $status):"; echo '```'; tail -n 20 "$tmp/$stack.drift.log"; echo '```'; } > "$root/$out/summary.md" ;;
esac
rm -f drift.tfplan "$tmp/$stack.drift.log"
