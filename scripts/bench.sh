#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# make bench: builds or finds OpenTofu, then measures the provider against
# its floors in one run (cmd/hostup-bench) and prints the table.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
cli=${BENCH_CLI:-tofu}

bash scripts/clis.sh "$cli"
empty_cli_config
unset TF_LOG HOSTUP_API_KEY HOSTUP_ENDPOINT

go build -o "$bin/hostup-bench" ./cmd/hostup-bench
"$bin/hostup-bench" -cli "$bin/$cli" -runs "${BENCH_RUNS:-5}" -n "${BENCH_N:-1,100,1000}"
