#!/usr/bin/env bash
# The SQLite disk-full test mounts a small tmpfs (a real file system that fills up), which needs
# the mount command and root (or CAP_SYS_ADMIN). Nothing to install on Debian (util-linux); this
# only says early, and clearly, why that test will fail on a machine that cannot mount.
set -euo pipefail
command -v mount >/dev/null && command -v umount >/dev/null || {
  echo "setup: 'mount' and 'umount' are required for the disk-full test (Debian: apt-get install -y mount)" >&2
  exit 1
}
if [ "$(id -u)" != 0 ]; then
  echo "setup: warning: not root; SqliteDiskFullTest mounts a tmpfs and will fail without root or CAP_SYS_ADMIN" >&2
fi
