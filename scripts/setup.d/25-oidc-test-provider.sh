#!/usr/bin/env bash
# The sign-in tests run against a real OpenID Provider: npm `oidc-provider` (pinned in
# tools/oidc-test-provider), started by the tests themselves through launch.mjs. This installs it
# with `npm ci --ignore-scripts`; it is skipped when node_modules already matches package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../../tools/oidc-test-provider"
for tool in node npm; do
  command -v "$tool" >/dev/null || {
    echo "setup: '$tool' is required for the sign-in tests (Debian: apt-get install nodejs npm)" >&2
    exit 1
  }
done
stamp=node_modules/.dvo-package-lock.sha256
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] \
    && [ -f node_modules/oidc-provider/package.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --ignore-scripts
echo "$wanted" > "$stamp"
