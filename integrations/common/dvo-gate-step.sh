#!/usr/bin/env bash
# Runs `dvo-gate gate` from DVO_* variables; shared by the GitHub Action, the Azure DevOps step
# template and the GitLab job template. The API key is only ever read from DVO_GATE_API_KEY by the
# CLI itself; this script never puts it on a command line.
#
# Inputs (environment): DVO_GATE_URL, DVO_GATE_TENANT, DVO_GATE_API_KEY, DVO_ENVIRONMENT, DVO_AGENT,
# DVO_ESTIMATE, DVO_ATTRIBUTES (one KEY=VALUE per line), DVO_PLAN (file), DVO_IDEMPOTENCY_KEY,
# DVO_TIMEOUT, DVO_FAIL_ON_WARNING (true/false), DVO_WAIT (true/false), DVO_WAIT_FOR_LOCK
# (true/false), DVO_INITIATOR_ID, DVO_SOURCE_URL, DVO_EMERGENCY_REASON and DVO_EMERGENCY_TICKET
# (break-glass: both), DVO_COMMAND (a bash command run once allowed, its end reported as the
# run's outcome), DVO_CLI (how to run the CLI, default: dvo-gate on PATH, else
# java -jar $DVO_CLI_JAR), DVO_OUTPUTS (file for name=value outputs), DVO_SUMMARY (Markdown file).
# Exit code: the CLI's (0 allowed/warn, 10 deny, 11 rejected, 12 expired, 13 cancelled,
# 14 timed out, 15 pending with wait=false, 20 gate unreachable or answer unusable, 2 usage).
set -uo pipefail

args=(gate)
add() { if [ -n "${2:-}" ]; then args+=("$1" "$2"); fi; }
add --environment "${DVO_ENVIRONMENT:-}"
add --agent "${DVO_AGENT:-}"
add --estimate "${DVO_ESTIMATE:-}"
add --plan "${DVO_PLAN:-}"
add --idempotency-key "${DVO_IDEMPOTENCY_KEY:-}"
add --timeout "${DVO_TIMEOUT:-}"
add --initiator-id "${DVO_INITIATOR_ID:-}"
add --source-url "${DVO_SOURCE_URL:-}"
add --emergency-reason "${DVO_EMERGENCY_REASON:-}"
add --emergency-ticket "${DVO_EMERGENCY_TICKET:-}"
add --outputs "${DVO_OUTPUTS:-}"
add --summary "${DVO_SUMMARY:-}"
add --progress-interval "${DVO_PROGRESS_INTERVAL:-}"
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [ -z "$line" ] && continue
  args+=(--attr "$line")
done <<< "${DVO_ATTRIBUTES:-}"
case "${DVO_FAIL_ON_WARNING:-false}" in true|True|TRUE|1) args+=(--fail-on-warning) ;; esac
case "${DVO_WAIT:-true}" in false|False|FALSE|0) args+=(--no-wait) ;; esac
case "${DVO_WAIT_FOR_LOCK:-false}" in true|True|TRUE|1) args+=(--wait-for-lock) ;; esac

# Last: the deployment to run once allowed; its end is reported as the run's outcome.
if [ -n "${DVO_COMMAND:-}" ]; then args+=(-- bash -c "$DVO_COMMAND"); fi

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
