#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# make release-snapshot: the release artifacts, built by the pinned goreleaser
# (tools/goreleaser) from .goreleaser.yml, without signing or publishing: a
# zip per platform, the SHA256SUMS file and the registry manifest, in dist/.
#   RELEASE_ONLY=linux_amd64_v1   build one platform only (what the install
#                                 test needs; the full matrix takes minutes)
#   scripts/release.sh check      validate .goreleaser.yml and stop
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

goreleaser=$(build_goreleaser)
if [ "${1:-}" = check ]; then
  exec "$goreleaser" check
fi

config=.goreleaser.yml
if [ -n "${RELEASE_ONLY:-}" ]; then
  config=$(mktemp "${TMPDIR:-/tmp}/goreleaser.XXXXXX.yml")
  trap 'rm -f "$config"' EXIT
  # targets, when set, replaces the goos x goarch matrix.
  sed "s|^    binary: |    targets: [${RELEASE_ONLY}]\n    binary: |" .goreleaser.yml >"$config"
fi
"$goreleaser" release --snapshot --clean --skip=sign,publish --config "$config"
ls dist/*.zip dist/*_SHA256SUMS >/dev/null
