#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Builds (or finds, when already built at the right version) the CLIs the
# acceptance tests and the demo run against, from the Go module proxy only:
#   terraform       Terraform $TERRAFORM_VERSION, the oldest supported (the last
#                   MPL-2.0 release; `go install` works as is)
#   terraform-1.15  Terraform $TERRAFORM_CURRENT_VERSION, the current line ($TERRAFORM_CURRENT_CLI
#                   in scripts/lib.sh; pinned in tools/terraform/go.mod, which
#                   replaces the cloud state backends by stand-ins)
#   tofu            OpenTofu $OPENTOFU_VERSION (pinned in tools/opentofu/go.mod,
#                   which repeats its replace directive)
#   scripts/clis.sh [all|terraform|terraform-1.15|tofu]
# The binaries land in $HOSTUP_CLI_DIR (default: ./bin under the repository).
# A binary is reused only when it reports the pinned version.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
dir=$bin
want=${1:-all}
case "$want" in
  all | terraform | "$TERRAFORM_CURRENT_CLI" | tofu) ;;
  *) echo "clis: unknown CLI '$want' (all, terraform, $TERRAFORM_CURRENT_CLI or tofu)" >&2; exit 2 ;;
esac
mkdir -p "$dir"

# The CLI config named by the caller's environment may not exist; a missing
# file makes OpenTofu print a warning before its version.
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1

reports() { # binary first-line (an extended regular expression)
  [ -x "$1" ] || return 1
  # The whole output first: a pipe closed early could fail the check (pipefail).
  local out
  out=$("$1" version 2>/dev/null) || return 1
  printf '%s\n' "${out%%$'\n'*}" | grep -Eqx "$2"
}
# A version as a regular expression.
re() { printf '%s' "$1" | sed 's/\./\\./g'; }
wanted() { [ "$want" = all ] || [ "$want" = "$1" ]; }

if wanted terraform; then
  if reports "$dir/terraform" "Terraform v$(re "$TERRAFORM_VERSION")"; then
    echo "clis: terraform $TERRAFORM_VERSION found at $dir/terraform" >&2
  else
    echo "clis: building terraform $TERRAFORM_VERSION from the Go module proxy (about 4 minutes cold)..." >&2
    GOBIN="$dir" CGO_ENABLED=0 go install -trimpath "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
    reports "$dir/terraform" "Terraform v$(re "$TERRAFORM_VERSION")" || { echo "clis: $dir/terraform does not report v$TERRAFORM_VERSION" >&2; exit 1; }
  fi
fi

if wanted "$TERRAFORM_CURRENT_CLI"; then
  # Without version.dev=no it would report v$TERRAFORM_CURRENT_VERSION-dev, a
  # prerelease to version checks; the reuse check below refuses that.
  current=$dir/$TERRAFORM_CURRENT_CLI
  if reports "$current" "Terraform v$(re "$TERRAFORM_CURRENT_VERSION")"; then
    echo "clis: terraform $TERRAFORM_CURRENT_VERSION found at $current" >&2
  else
    echo "clis: building terraform $TERRAFORM_CURRENT_VERSION from the Go module proxy (about 6 minutes cold)..." >&2
    (cd "$root/tools/terraform" && CGO_ENABLED=0 go build -trimpath \
      -ldflags "-X github.com/hashicorp/terraform/version.dev=no" \
      -o "$current" github.com/hashicorp/terraform)
    reports "$current" "Terraform v$(re "$TERRAFORM_CURRENT_VERSION")" || { echo "clis: $current does not report v$TERRAFORM_CURRENT_VERSION" >&2; exit 1; }
  fi
fi

if wanted tofu; then
  # OpenTofu built from source reports itself as a -dev build.
  if reports "$dir/tofu" "OpenTofu v$(re "$OPENTOFU_VERSION")(-dev)?"; then
    echo "clis: tofu $OPENTOFU_VERSION found at $dir/tofu" >&2
  else
    echo "clis: building tofu $OPENTOFU_VERSION from the Go module proxy (about 9 minutes cold)..." >&2
    (cd "$root/tools/opentofu" && CGO_ENABLED=0 go build -trimpath -o "$dir/tofu" github.com/opentofu/opentofu/cmd/tofu)
    reports "$dir/tofu" "OpenTofu v$(re "$OPENTOFU_VERSION")(-dev)?" || { echo "clis: $dir/tofu does not report v$OPENTOFU_VERSION" >&2; exit 1; }
  fi
fi
