#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Makes sure a Chromium is available for the browser tests and prints its
# path as the last line: the one on PATH when there is one, otherwise Debian's
# chromium package, installed with apt-get (as root). The test scripts export
# the path as HOSTUP_TEST_CHROMIUM.
set -euo pipefail

log() { echo "chromium: $*" >&2; }

if path=$(command -v chromium); then
  echo "$path"
  exit 0
fi
[ "$(id -u)" = 0 ] || { log "chromium is not installed and installing it needs root: apt-get install chromium"; exit 1; }
log "installing Debian's chromium package"
start=$(date +%s)
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2
log "installed in $(($(date +%s) - start)) s"
path=$(command -v chromium) || { log "chromium is still not on PATH after the install"; exit 1; }
echo "$path"
