#!/usr/bin/env bash
# Java 17+ and Maven are the only tools the build cannot install itself.
set -euo pipefail
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' is required but not installed" >&2; exit 1; }
done
