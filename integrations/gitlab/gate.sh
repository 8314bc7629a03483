#!/usr/bin/env bash
# Script of the GitLab job template: runs the CLI with DVO_* variables, writes a dotenv report
# (DVO_DECISION, DVO_APPROVAL_ID, DVO_REVIEW_URL, DVO_OUTCOME, and DVO_RUN_KEY for the outcome
# report) for later jobs, and exits with the
# CLI's exit code (non-zero fails the job).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
outputs="$(mktemp "${TMPDIR:-/tmp}/dvo-gate-outputs.XXXXXX")"
export DVO_OUTPUTS="$outputs"
bash "$here/../common/dvo-gate-step.sh"
code=$?
report="${DVO_DOTENV:-dvo-gate.env}"
: > "$report"
while IFS='=' read -r name value; do
  case "$name" in
    decision) echo "DVO_DECISION=$value" >> "$report" ;;
    approval-id) echo "DVO_APPROVAL_ID=$value" >> "$report" ;;
    review-url) echo "DVO_REVIEW_URL=$value" >> "$report" ;;
    outcome) echo "DVO_OUTCOME=$value" >> "$report" ;;
    idempotency-key) echo "DVO_RUN_KEY=$value" >> "$report" ;;
  esac
done < "$outputs"
rm -f "$outputs"
exit "$code"
