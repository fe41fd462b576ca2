#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Tests against a real Ceph RGW (make test-rgw): starts one on loopback with
# scripts/rgw.sh (installing Ceph's packages when missing), runs the S3
# conformance suite against it, and stops it on exit, success, failure or
# Ctrl-C. RGW_DIR, when set, is where RGW keeps its data (it must not exist
# or be empty).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

rgw_dir=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$rgw_dir" ]; then
    bash "$root/scripts/rgw.sh" stop "$rgw_dir" || status=1
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "==> starting Ceph RGW on loopback"
rgw_dir=$(bash "$root/scripts/rgw.sh" start ${RGW_DIR:+"$RGW_DIR"} | tail -n1)
[ -f "$rgw_dir/env" ] || { echo "test-rgw: no $rgw_dir/env" >&2; exit 1; }
set -a
# shellcheck source=/dev/null
. "$rgw_dir/env"
set +a
echo "    S3 at $HOSTUP_TEST_S3_ENDPOINT and $HOSTUP_TEST_S3_TLS_ENDPOINT"

echo "==> S3 conformance suite against RGW"
(cd "$root" && go test -count=1 -v ./internal/s3conformance/)

# ---------------------------------------------------------------------------
# Provider tests through the CLIs against RGW go here. The environment above
# (HOSTUP_TEST_S3_ENDPOINT, HOSTUP_TEST_S3_TLS_ENDPOINT, HOSTUP_TEST_S3_CA_FILE,
# HOSTUP_TEST_S3_ACCESS_KEY_ID, HOSTUP_TEST_S3_SECRET_ACCESS_KEY,
# HOSTUP_TEST_S3_SERVER) is exported for them; RGW stops when this script
# exits.
#
# echo "==> provider tests against RGW"
# (cd "$root" && go test -count=1 ./internal/provider/ -run ...)
# ---------------------------------------------------------------------------
