#!/usr/bin/env bash
# Script of the Azure DevOps step template: runs the CLI with DVO_* variables, sets the output
# variables decision, approvalId, reviewUrl, outcome, idempotencyKey (isOutput, so later jobs read them as
# dependencies.<job>.outputs['<step>.decision']), uploads a Markdown summary to the run's page,
# and exits with the CLI's exit code (non-zero fails the step).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}"
outputs="$(mktemp "$work/dvo-gate-outputs.XXXXXX")"
summary="$work/dvo-gate-summary-${SYSTEM_JOBID:-local}.md"
: > "$summary"
export DVO_OUTPUTS="$outputs" DVO_SUMMARY="$summary"
bash "$here/../common/dvo-gate-step.sh"
code=$?
while IFS='=' read -r name value; do
  case "$name" in
    decision) echo "##vso[task.setvariable variable=decision;isOutput=true]$value" ;;
    approval-id) echo "##vso[task.setvariable variable=approvalId;isOutput=true]$value" ;;
    review-url) echo "##vso[task.setvariable variable=reviewUrl;isOutput=true]$value" ;;
    outcome) echo "##vso[task.setvariable variable=outcome;isOutput=true]$value" ;;
    idempotency-key) echo "##vso[task.setvariable variable=idempotencyKey;isOutput=true]$value" ;;
  esac
done < "$outputs"
rm -f "$outputs"
[ -s "$summary" ] && echo "##vso[task.uploadsummary]$summary"
if [ "$code" -ne 0 ]; then
  echo "##vso[task.logissue type=error]DVO Policy Gate: the run may not go ahead (exit code $code)."
fi
exit "$code"
