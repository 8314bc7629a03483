#!/usr/bin/env bash
# The Bicep checker: tree-sitter + tree-sitter-bicep from npm (prebuilt binaries, no install scripts).
set -euo pipefail
cd "$(dirname "$0")/../../tools/bicep-check"
command -v node >/dev/null || { echo "setup: node is required for the Bicep checks" >&2; exit 1; }
if [ ! -d node_modules/tree-sitter-bicep ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
