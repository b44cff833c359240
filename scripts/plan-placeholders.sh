#!/usr/bin/env bash
# Sourced before a plan that CI makes without secrets (pull requests, drift):
#   source scripts/plan-placeholders.sh <cdk.tf.json>
# exports TF_VAR_<name>=plan-placeholder for every ephemeral variable of the stack. They are the database root
# passwords: write-only, sent only by a deploy that raises their version, and never stored in a plan, so a plan
# never sends the value and a placeholder is enough (docs/security.md).
for name in $(jq -r '(.variable // {}) | to_entries[] | select(.value.ephemeral == true) | .key' "${1:?usage: source scripts/plan-placeholders.sh <cdk.tf.json>}"); do
  export "TF_VAR_$name=plan-placeholder"
done
