#!/usr/bin/env bash
# The drift workflow's issue: one per environment, labelled `drift` and `environment:<env>`. Opened when a stack's
# live state differs from main (or could not be planned), updated on each later run while it does, closed with a
# comment when every stack converges again.
#
#   scripts/drift-issue.sh <env> <artifacts-dir> <stack>...
#
# <artifacts-dir>/drift-<stack>/{status,summary.md} come from scripts/drift-plan.sh through the run's artifacts; a
# stack without them did not report and counts as failed.
set -euo pipefail
env="${1:?usage: scripts/drift-issue.sh <env> <artifacts-dir> <stack>...}"
dir="${2:?usage: scripts/drift-issue.sh <env> <artifacts-dir> <stack>...}"
shift 2
title="Drift: live state of $env differs from main"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
differs=0
{
  echo "Daily drift check of \`$env\` (${RUN_URL:-this run}): live state planned against main."
  echo
  for stack in "$@"; do
    status="$(cat "$dir/drift-$stack/status" 2>/dev/null || echo failed)"
    [ "$status" = converged ] || differs=1
    echo "## $stack: $status"
    echo
    cat "$dir/drift-$stack/summary.md" 2>/dev/null || echo "No result: the plan job did not report (see the run)."
    echo
  done
  echo "Bring main and live state together again: apply main through the deploy workflow, or change main to what live"
  echo "state should be. This issue closes itself when the check finds no difference."
} > "$body"
open="$(gh issue list --label drift --label "environment:$env" --state open --json number --jq '.[0].number // empty')"
if [ "$differs" = 1 ]; then
  if [ -n "$open" ]; then
    gh issue edit "$open" --body-file "$body"
    echo "updated #$open"
  else
    gh issue create --title "$title" --label drift --label "environment:$env" --body-file "$body"
  fi
elif [ -n "$open" ]; then
  gh issue close "$open" --comment "Converged: every stack of $env matches main again (${RUN_URL:-this run})."
  echo "closed #$open"
else
  echo "no drift in $env"
fi
