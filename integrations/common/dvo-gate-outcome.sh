#!/usr/bin/env bash
# Reports how the run ended with `dvo-gate run outcome`; shared by the GitHub Action's outcome step
# and the Azure DevOps and GitLab templates. Run it at the end of the job whatever happened
# (GitHub `if: always()`, Azure DevOps `condition: always()`, GitLab `after_script`).
#
# Inputs (environment): DVO_GATE_URL, DVO_GATE_TENANT, DVO_GATE_API_KEY, DVO_RUN_STATUS (succeeded,
# failed, cancelled, or the CI's own job status), DVO_IDEMPOTENCY_KEY (the gate step's output;
# else DVO_AGENT and DVO_ENVIRONMENT build the same default key), DVO_ACTUAL_CREDITS,
# DVO_ARTIFACT_VERSION, DVO_COMMIT, DVO_CLI / DVO_CLI_JAR (as for the gate step).
# Exit code: the CLI's (0 reported, 20 not reported, 2 usage). The CI wrappers turn a failed report
# into a warning: a finished job is never failed by its report (the charge then stays as it was).
set -uo pipefail

args=(run outcome)
add() { if [ -n "${2:-}" ]; then args+=("$1" "$2"); fi; }
add --status "${DVO_RUN_STATUS:-}"
add --idempotency-key "${DVO_IDEMPOTENCY_KEY:-}"
add --agent "${DVO_AGENT:-}"
add --environment "${DVO_ENVIRONMENT:-}"
add --credits "${DVO_ACTUAL_CREDITS:-}"
add --artifact-version "${DVO_ARTIFACT_VERSION:-}"
add --commit "${DVO_COMMIT:-}"

if [ -n "${DVO_CLI:-}" ]; then
  read -r -a cli <<< "$DVO_CLI"
elif command -v dvo-gate >/dev/null 2>&1; then
  cli=(dvo-gate)
elif [ -n "${DVO_CLI_JAR:-}" ]; then
  cli=(java -jar "$DVO_CLI_JAR")
else
  echo "dvo-gate: the CLI is not installed: put dvo-gate on PATH or set DVO_CLI_JAR to dvo-gate-client.jar" >&2
  exit 20
fi

"${cli[@]}" "${args[@]}"
