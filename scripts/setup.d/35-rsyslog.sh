#!/usr/bin/env bash
# The SIEM forwarding tests start a real rsyslog on loopback (imtcp, and imtcp with the gtls
# driver for TLS): Debian packages rsyslog and rsyslog-gnutls. Only the binary is used; the tests
# write their own configuration and never start the system service. Idempotent: skips when present.
set -euo pipefail
if command -v rsyslogd >/dev/null && compgen -G '/usr/lib/*/rsyslog/lmnsd_gtls.so' >/dev/null; then
  echo "setup: rsyslog and rsyslog-gnutls present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: rsyslog/rsyslog-gnutls missing; run as root or: sudo apt-get install -y rsyslog rsyslog-gnutls" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: install the packages without starting the system rsyslog service.
policy=/usr/sbin/policy-rc.d
created_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[ -n "$created_policy" ] && rm -f "$policy"' EXIT
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends rsyslog rsyslog-gnutls
