#!/usr/bin/env bash
# Java 17+ and Maven are the only tools the build cannot install itself.
set -euo pipefail
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' is required but not installed" >&2; exit 1; }
done
# The README's quick start (run by ReadmeQuickStartTest) stops its server with pkill (procps).
if ! command -v pkill >/dev/null; then
  if command -v apt-get >/dev/null; then
    apt-get install -y -qq procps >/dev/null
  else
    echo "setup: 'pkill' (procps) is required for the README test" >&2
    exit 1
  fi
fi
