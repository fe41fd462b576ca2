#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# make testacc: the acceptance tests (TestAcc*) against the real HostUp API,
# through Terraform. Needs HOSTUP_API_KEY and HOSTUP_TEST_BUCKET (an existing
# bucket of that account).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

: "${HOSTUP_API_KEY:?set HOSTUP_API_KEY to a HostUp API key}"
: "${HOSTUP_TEST_BUCKET:?set HOSTUP_TEST_BUCKET to an existing bucket of that account}"
bash scripts/clis.sh terraform
empty_cli_config
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin/terraform" \
  go test -count=1 -v -run '^TestAcc' -timeout 120m ./internal/provider/
