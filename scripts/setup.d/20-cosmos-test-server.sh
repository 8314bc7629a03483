#!/usr/bin/env bash
# The Cosmos store tests run against @vercel/cosmosdb-server (pinned in tools/cosmos-test-server),
# started by the tests themselves through launch.js. This installs it with `npm ci`; it is skipped
# when node_modules already matches package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../../tools/cosmos-test-server"
for tool in node npm; do
  command -v "$tool" >/dev/null || {
    echo "setup: '$tool' is required for the Cosmos store tests (Debian: apt-get install nodejs npm)" >&2
    exit 1
  }
done
stamp=node_modules/.dvo-package-lock.sha256
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] \
    && [ -d node_modules/@vercel/cosmosdb-server ]; then
  exit 0
fi
npm ci --no-audit --no-fund --ignore-scripts
echo "$wanted" > "$stamp"
