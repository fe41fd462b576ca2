#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# The project's test command (make test): unit tests, then every provider
# test through each of the three pinned CLIs (scripts/lib.sh): Terraform
# 1.5.7, the oldest supported; the current Terraform line; and OpenTofu; built
# from the Go module proxy by scripts/clis.sh on first use. The provider tests
# include installing the release zip that scripts/release.sh builds
# (linux_amd64 only) through a filesystem mirror.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

bash scripts/clis.sh
empty_cli_config
# Live acceptance tests (TestAcc*, TF_ACC=1 with HOSTUP_API_KEY) run only through
# `make testacc`; the provider's own variables must not leak into tests.
unset TF_ACC HOSTUP_API_KEY HOSTUP_ENDPOINT HOSTUP_MAX_RETRIES HOSTUP_REQUEST_TIMEOUT \
  HOSTUP_S3_ACCESS_KEY_ID HOSTUP_S3_SECRET_ACCESS_KEY HOSTUP_S3_ENDPOINT HOSTUP_S3_REGION \
  TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE TF_LOG
# The browser tests' Chromium: Debian's package, installed when missing.
HOSTUP_TEST_CHROMIUM=$(bash scripts/chromium.sh | tail -n1)
export HOSTUP_TEST_CHROMIUM

timeout=${TEST_TIMEOUT:-30m}
mapfile -t unit < <(go list ./... | grep -v '/internal/provider$')

echo "==> unit tests (client, emulator, tools) with the race detector"
go test -count=1 -race -timeout "$timeout" "${unit[@]}"

echo "==> the release zip for linux_amd64, for the install test"
RELEASE_ONLY=linux_amd64_v1 bash scripts/release.sh >"$bin/release.log" 2>&1 || { cat "$bin/release.log" >&2; exit 1; }
export HOSTUP_RELEASE_DIR=$root/dist

for cli in terraform "$TERRAFORM_CURRENT_CLI" tofu; do
  case "$cli" in
    terraform) version=$TERRAFORM_VERSION name=Terraform ;;
    tofu)
      version=$OPENTOFU_VERSION name=OpenTofu
      # terraform-plugin-testing addresses in-process providers under this host.
      export TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp
      ;;
    *) version=$TERRAFORM_CURRENT_VERSION name=Terraform ;;
  esac
  echo "==> provider tests through $name $version ($bin/$cli)"
  log="$bin/provider-tests-$cli.log"
  TF_ACC_TERRAFORM_PATH="$bin/$cli" go test -count=1 -v -skip '^TestAcc' -timeout "$timeout" ./internal/provider/ 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  # Nothing may drop out quietly: a test that skips for want of a CLI, or a
  # run in which the CLI tests did not run, fails here.
  if grep -q 'there is none: run make test' "$log"; then
    echo "test: provider tests skipped for want of a CLI under $name $version" >&2
    exit 1
  fi
  ran=$(grep -c -- '^--- PASS: TestCLI_' "$log" || true)
  [ "$ran" -ge 10 ] || { echo "test: only $ran TestCLI_ tests passed under $name $version" >&2; exit 1; }
  echo "==> $name $version: $(grep -c -- '^--- PASS' "$log") tests passed, $(grep -c -- '^--- SKIP' "$log") skipped by version"
done

echo "==> all tests passed under Terraform $TERRAFORM_VERSION, Terraform $TERRAFORM_CURRENT_VERSION and OpenTofu $OPENTOFU_VERSION"
