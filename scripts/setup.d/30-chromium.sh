#!/usr/bin/env bash
# Browser tests (review page, Teams card rendering) drive Debian's Chromium through its own
# chromedriver; Selenium must never download a browser of its own. Idempotent: skips when present.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "setup: chromium and chromedriver present"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: chromium/chromium-driver missing; run as root or: sudo apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Another process may hold the dpkg lock briefly (unattended upgrades, a parallel setup).
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core
fi

# The Teams card renderer: the adaptivecards package, pinned by package-lock.json.
if [ -f tools/card-render/package-lock.json ]; then
  if [ ! -f tools/card-render/node_modules/adaptivecards/package.json ] \
    || [ tools/card-render/package-lock.json -nt tools/card-render/node_modules/.package-lock.json ]; then
    command -v npm >/dev/null || { echo "setup: npm is required for tools/card-render" >&2; exit 1; }
    (cd tools/card-render && npm ci --no-audit --no-fund --ignore-scripts)
  else
    echo "setup: tools/card-render node_modules up to date"
  fi
fi
