#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# The project's test command (make test): unit tests, then every provider
# test through two real CLIs, Terraform 1.5.7 and OpenTofu 1.12.6, built from
# the Go module proxy by scripts/clis.sh on first use.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bin=${HOSTUP_CLI_DIR:-$root/bin}

bash scripts/clis.sh

# A CLI config the project controls: the caller's may name a missing file,
# which makes OpenTofu print a warning the test harness cannot parse.
mkdir -p "$bin"
: > "$bin/empty.tfrc"
export TF_CLI_CONFIG_FILE="$bin/empty.tfrc"
# Live acceptance tests (TestAcc*, TF_ACC=1 with HOSTUP_API_KEY) run only through
# `make testacc`; the provider's own variables must not leak into tests.
unset TF_ACC HOSTUP_API_KEY HOSTUP_ENDPOINT TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE TF_LOG

timeout=${TEST_TIMEOUT:-30m}
mapfile -t unit < <(go list ./... | grep -v '/internal/provider$')

echo "==> unit tests (client, emulator, tools) with the race detector"
go test -count=1 -race -timeout "$timeout" "${unit[@]}"

echo "==> provider tests through Terraform 1.5.7"
TF_ACC_TERRAFORM_PATH="$bin/terraform" \
  go test -count=1 -v -skip '^TestAcc' -timeout "$timeout" ./internal/provider/

echo "==> provider tests through OpenTofu 1.12.6"
TF_ACC_TERRAFORM_PATH="$bin/tofu" \
TF_ACC_PROVIDER_HOST=registry.opentofu.org \
TF_ACC_PROVIDER_NAMESPACE=hashicorp \
  go test -count=1 -v -skip '^TestAcc' -timeout "$timeout" ./internal/provider/

echo "==> all tests passed under Terraform 1.5.7 and OpenTofu 1.12.6"
