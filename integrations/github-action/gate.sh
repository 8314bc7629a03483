#!/usr/bin/env bash
# Entry script of the DVO Policy Gate action: runs the CLI with the action's inputs (as DVO_*
# variables), writes the outputs to $GITHUB_OUTPUT and a job summary to $GITHUB_STEP_SUMMARY, and
# exits with the CLI's exit code (non-zero fails the step).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
common="$here/dvo-gate-step.sh"
[ -f "$common" ] || common="$here/../common/dvo-gate-step.sh"

export DVO_OUTPUTS="${GITHUB_OUTPUT:-}"
export DVO_SUMMARY="${GITHUB_STEP_SUMMARY:-}"
bash "$common"
code=$?
case "$code" in
  0) ;;
  15) echo "::notice title=DVO Policy Gate::Approval pending; not waiting (wait: false). Run again with the same idempotency-key to wait and start." ;;
  *)
    if [ -n "${DVO_COMMAND:-}" ]; then
      echo "::error title=DVO Policy Gate::The gate did not let this run go ahead, or the run command failed (exit code $code); see the log and the job summary."
    else
      echo "::error title=DVO Policy Gate::The gate did not let this run go ahead (exit code $code); see the log and the job summary."
    fi ;;
esac
exit "$code"
