#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Builds (or finds, when already built at the right version) the two CLIs the
# acceptance tests and the demo run against, from the Go module proxy only:
#   Terraform $TERRAFORM_VERSION (the last MPL-2.0 release; `go install`
#             works as is)
#   OpenTofu  $OPENTOFU_VERSION (pinned in tools/opentofu/go.mod, which repeats
#             its replace directive)
# The binaries land in $HOSTUP_CLI_DIR (default: ./bin under the repository).
# A binary is reused only when it reports the pinned version.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
dir=$bin
want=${1:-all} # all, terraform or tofu
mkdir -p "$dir"

# The CLI config named by the caller's environment may not exist; a missing
# file makes OpenTofu print a warning before its version.
export TF_CLI_CONFIG_FILE=/dev/null

reports() { # binary version-prefix
  [ -x "$1" ] && "$1" version 2>/dev/null | head -n 1 | grep -q " v$2\b"
}

if [ "$want" = tofu ]; then
  :
elif reports "$dir/terraform" "$TERRAFORM_VERSION"; then
  echo "clis: terraform $TERRAFORM_VERSION found at $dir/terraform" >&2
else
  echo "clis: building terraform $TERRAFORM_VERSION from the Go module proxy (about 4 minutes cold)..." >&2
  GOBIN="$dir" CGO_ENABLED=0 go install -trimpath "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
  reports "$dir/terraform" "$TERRAFORM_VERSION" || { echo "clis: $dir/terraform does not report v$TERRAFORM_VERSION" >&2; exit 1; }
fi

if [ "$want" = terraform ]; then
  :
elif reports "$dir/tofu" "$OPENTOFU_VERSION"; then
  echo "clis: tofu $OPENTOFU_VERSION found at $dir/tofu" >&2
else
  echo "clis: building tofu $OPENTOFU_VERSION from the Go module proxy (about 9 minutes cold)..." >&2
  (cd "$root/tools/opentofu" && CGO_ENABLED=0 go build -trimpath -o "$dir/tofu" github.com/opentofu/opentofu/cmd/tofu)
  reports "$dir/tofu" "$OPENTOFU_VERSION" || { echo "clis: $dir/tofu does not report v$OPENTOFU_VERSION" >&2; exit 1; }
fi
