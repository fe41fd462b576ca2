#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Tests against a real Ceph RGW (make test-rgw): starts one on loopback with
# scripts/rgw.sh (installing Ceph's packages when missing), runs the S3
# conformance suite, the S3 client's tests and the provider's S3 blocks
# through each pinned CLI against it, and stops it on exit, success, failure
# or Ctrl-C. RGW_DIR, when set, is where RGW keeps its data (it must not exist
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

# The provider tests that take their S3 server from HOSTUP_TEST_S3_*.
RGW_PROVIDER_TESTS=${RGW_PROVIDER_TESTS:-'^(TestCLI_S3BlocksOnTarget|TestCLI_BucketCORSOnTarget|TestCLI_BucketLifecycleOnTarget|TestCLI_BucketPolicyOnTarget|TestCLI_BucketLifecycleWithVersioningOnTarget|TestCLI_exampleBrowserUpload|TestCLI_ObjectHeadersAndTagsOnTarget|TestCLI_StateBackendOnTarget)$'}

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

echo "==> S3 client against RGW"
out=$(cd "$root" && go test -count=1 -v -run '^(TestObjectsOnTarget|TestBucketConfigurationOnTarget)$' ./internal/hostups3/ 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E '^(--- |ok)|S3 target'
echo "$out" | grep -q 'S3 target: rgw' || { echo "test-rgw: the client tests did not run against RGW" >&2; exit 1; }

# The provider's S3 blocks through each pinned CLI, against RGW. Under CI a
# test that skips is a failure: every one of them must run here.
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
bash "$root/scripts/clis.sh"
empty_cli_config
# The browser test's Chromium: Debian's package, installed when missing.
HOSTUP_TEST_CHROMIUM=$(bash "$root/scripts/chromium.sh" | tail -n1)
export HOSTUP_TEST_CHROMIUM
for cli in terraform tofu; do
  name=Terraform version=$TERRAFORM_VERSION
  if [ "$cli" = tofu ]; then
    name=OpenTofu version=$OPENTOFU_VERSION
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp
  fi
  echo "==> provider S3 tests against RGW through $name $version"
  out=$(cd "$root" && TF_ACC_TERRAFORM_PATH="$bin/$cli" go test -count=1 -v -run "$RGW_PROVIDER_TESTS" ./internal/provider/ 2>&1) || { echo "$out"; exit 1; }
  echo "$out" | grep -E '^(--- |ok|PASS|FAIL)|S3 target' || true
  if echo "$out" | grep -q -- '--- SKIP'; then
    echo "test-rgw: a provider test skipped against RGW" >&2
    exit 1
  fi
  echo "$out" | grep -q 'S3 target: rgw' || { echo "test-rgw: the provider tests did not run against RGW" >&2; exit 1; }
done
echo "==> RGW: conformance, client and provider S3 tests passed"
