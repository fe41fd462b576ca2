# SPDX-License-Identifier: MPL-2.0
#
# Shared by the scripts in this directory (sourced, not run). Everything that
# more than one script needs is defined once here: where the CLIs live, which
# versions are pinned, the CLI configurations they run with, and the tools
# built from pinned modules.

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
bin=${HOSTUP_CLI_DIR:-$root/bin}

# The pinned CLI versions. Terraform $TERRAFORM_VERSION (the oldest supported,
# and the last MPL-2.0 release) is $bin/terraform; the current Terraform line,
# pinned in tools/terraform/go.mod, is $bin/$TERRAFORM_CURRENT_CLI (for 1.15.x:
# terraform-1.15); OpenTofu, pinned in tools/opentofu/go.mod, is $bin/tofu.
TERRAFORM_VERSION=1.5.7
TERRAFORM_CURRENT_VERSION=$(sed -n 's/^\(require\)\{0,1\}[[:space:]]*github.com\/hashicorp\/terraform v\([^ ]*\).*/\2/p' "$root/tools/terraform/go.mod")
TERRAFORM_CURRENT_CLI=terraform-${TERRAFORM_CURRENT_VERSION%.*}
OPENTOFU_VERSION=$(sed -n 's/^\tgithub.com\/opentofu\/opentofu v\([^ ]*\).*/\1/p' "$root/tools/opentofu/go.mod")

# empty_cli_config writes a CLI configuration the project controls and
# exports it: the caller's may name a missing file, which makes OpenTofu
# print a warning the test harness cannot parse.
empty_cli_config() {
  mkdir -p "$bin"
  : >"$bin/empty.tfrc"
  export TF_CLI_CONFIG_FILE="$bin/empty.tfrc"
}

# dev_overrides_config FILE PLUGIN_DIR writes a CLI configuration that loads
# the provider from PLUGIN_DIR under both registries' addresses: the one the
# Go tests use, internal/cliconfig/dev-overrides.tfrc, filled in.
dev_overrides_config() {
  local dir=${2//\\/\\\\}
  sed "s|PLUGIN_DIR|\"${dir//|/\\|}\"|g" "$root/internal/cliconfig/dev-overrides.tfrc" >"$1"
}

# build_goreleaser builds the pinned goreleaser into $bin and prints its path.
build_goreleaser() {
  (cd "$root/tools/goreleaser" && go build -o "$bin/goreleaser" github.com/goreleaser/goreleaser/v2) >&2
  echo "$bin/goreleaser"
}
