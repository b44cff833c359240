#!/usr/bin/env bash
# Applies one stack in the deploy workflow, from the workspace root holding the reviewed run's cdktf.out/ (the synth
# artifact, with the stack's plan artifact downloaded into its directory: tfplan and .terraform.lock.hcl).
#
#   scripts/deploy-stack.sh <stack>
#
# - The reviewed plan (tfplan) is applied as it is, unless the stack reads an output (terraform_remote_state) that
#   this deploy just changed by applying another stack, or the pull request deferred the stack's plan because it
#   reads an output the pull request adds or changes (deferred-plans.json, written by the analyse job). Then the
#   stack is planned here, after its inputs are applied, and that plan goes through the same gate
#   (npm run plan-summary: fails on a destroyed or replaced stateful resource, an errored plan, an unknown action)
#   before it is applied; its summary is in the run's summary.
# - Outputs before and after the apply are kept in $RUNNER_TEMP/outputs-{before,after}/<stack>.json for the stacks
#   that read them (scripts/stack-inputs.js changed).
# terraform init -lockfile=readonly installs exactly the providers the pull request planned with.
set -euo pipefail
stack="${1:?usage: scripts/deploy-stack.sh <stack>}"
root="$PWD"
dir="cdktf.out/stacks/$stack"
tmp="${RUNNER_TEMP:?RUNNER_TEMP is not set}"
mkdir -p "$tmp/outputs-before" "$tmp/outputs-after"
[ -d "$dir" ] || { echo "deploy-stack: $dir does not exist: download the synth artifact first" >&2; exit 1; }
[ -f "$dir/.terraform.lock.hcl" ] || { echo "deploy-stack: $dir/.terraform.lock.hcl is missing: download plan-$stack into $dir" >&2; exit 1; }

deferred=false
if [ -f deferred-plans.json ] && jq -e --arg s "$stack" 'index($s) != null' deferred-plans.json > /dev/null; then deferred=true; fi
changed=$(node scripts/stack-inputs.js changed cdktf.out "$stack" "$tmp/outputs-before" "$tmp/outputs-after")

cd "$dir"
terraform init -input=false -lockfile=readonly > /dev/null
terraform output -json > "$tmp/outputs-before/$stack.json"
if [ "$deferred" = false ] && [ "$changed" = "changed=false" ]; then
  [ -f tfplan ] || { echo "deploy-stack: no reviewed plan for $stack in $dir (tfplan): download plan-$stack into $dir" >&2; exit 1; }
  echo "Applying the reviewed plan of $stack"
  terraform apply -input=false -lock-timeout=5m tfplan
else
  why="its plan was deferred by the pull request (it reads outputs the pull request adds or changes)"
  [ "$deferred" = true ] || why="it reads outputs this deploy changed"
  echo "Planning $stack again: $why"
  terraform plan -input=false -lock-timeout=5m -out=tfplan.deploy
  terraform show -json tfplan.deploy > "$tmp/$stack.deploy.plan.json"
  status=0
  (cd "$root" && npm run --silent plan-summary -- --synth-dir cdktf.out "$stack=$tmp/$stack.deploy.plan.json") > "$tmp/$stack.deploy.md" || status=$?
  rm -f "$tmp/$stack.deploy.plan.json"
  { echo "Planned at deploy ($why):"; cat "$tmp/$stack.deploy.md"; } >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
  [ "$status" -eq 0 ] || { cat "$tmp/$stack.deploy.md" >&2; echo "deploy-stack: the plan gate refused the plan of $stack made at deploy" >&2; exit "$status"; }
  terraform apply -input=false -lock-timeout=5m tfplan.deploy
fi
terraform output -json > "$tmp/outputs-after/$stack.json"
