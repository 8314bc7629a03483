#!/usr/bin/env bash
# Reports how the GitLab job ended (CI_JOB_STATUS: success, failed, canceled), for the `after_script`
# of the deploy job; the key comes from the gate job's dotenv report (DVO_RUN_KEY). A report that
# fails is a warning in the log, never a failed job (after_script cannot fail one anyway).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DVO_RUN_STATUS="${DVO_RUN_STATUS:-${CI_JOB_STATUS:-}}"
export DVO_IDEMPOTENCY_KEY="${DVO_IDEMPOTENCY_KEY:-${DVO_RUN_KEY:-}}"
bash "$here/../common/dvo-gate-outcome.sh"
code=$?
if [ "$code" -ne 0 ]; then
  echo "DVO Policy Gate: warning: the run's outcome was not reported (exit code $code); the gate keeps the charge as it was." >&2
fi
exit 0
