#!/usr/bin/env bash
# The OpenAPI linter: @stoplight/spectral-cli (pinned in tools/openapi-lint), run by OpenApiLintTest
# on functions' openapi.json during `mvn verify`. Skipped when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../../tools/openapi-lint"
command -v npm >/dev/null || { echo "setup: npm is required for the OpenAPI lint" >&2; exit 1; }
stamp=node_modules/.dvo-package-lock.sha256
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x node_modules/.bin/spectral ]; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
