#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# make bench: builds or finds OpenTofu and the peers a user would run
# instead of the provider (rclone, pinned in tools/rclone; Debian's awscli),
# then measures the provider against its floors and those peers in one run
# (cmd/hostup-bench) and prints the table. BENCH_ARGS are passed on (e.g.
# BENCH_ARGS="-deploy-files 0 -shaped-mib 0" for the presigned URL parts).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
cli=${BENCH_CLI:-tofu}

bash scripts/clis.sh "$cli"
empty_cli_config
unset TF_LOG HOSTUP_API_KEY HOSTUP_ENDPOINT

rclone_version=$(sed -n 's/^\tgithub.com\/rclone\/rclone v\([^ ]*\).*/\1/p' tools/rclone/go.mod)
rclone_reports=$("$bin/rclone" version 2>/dev/null || true)
if [ "${rclone_reports%%$'\n'*}" != "rclone v$rclone_version" ]; then
  echo "bench: building rclone $rclone_version from the Go module proxy (about 3 minutes cold)..." >&2
  (cd tools/rclone && CGO_ENABLED=0 go build -trimpath -ldflags "-X github.com/rclone/rclone/fs.VersionSuffix=" \
    -o "$bin/rclone" github.com/rclone/rclone)
fi
if [ ! -x /usr/bin/aws ]; then
  echo "bench: installing Debian's awscli..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
fi

go build -o "$bin/hostup-bench" ./cmd/hostup-bench
# shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
"$bin/hostup-bench" -cli "$bin/$cli" -runs "${BENCH_RUNS:-5}" -n "${BENCH_N:-1,100,1000}" \
  -rclone "$bin/rclone" -aws /usr/bin/aws ${BENCH_ARGS:-}
