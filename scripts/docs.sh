#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# Generates docs/ with tfplugindocs (pinned in tools/go.mod) from templates/,
# examples/ and the provider schema. The schema is exported with OpenTofu
# (built by scripts/clis.sh) through a dev_overrides CLI config, because
# Terraform 1.5 cannot export ephemeral resources or functions.
#   scripts/docs.sh          regenerate docs/ and format examples/
#   scripts/docs.sh check    fail when docs/ or examples/ differ from what
#                            generation and formatting produce
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
mode=${1:-generate}

bash scripts/clis.sh tofu
empty_cli_config
(cd tools && go build -o "$bin/tfplugindocs" github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs)

if [ "$mode" = check ]; then
  "$bin/tofu" fmt -check -recursive -diff examples/ || {
    echo "docs: examples/ is not formatted; run 'make docs'" >&2
    exit 1
  }
else
  "$bin/tofu" fmt -recursive examples/
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hostup-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/plugins/terraform-provider-hostup" .
dev_overrides_config "$work/cli.tfrc" "$work/plugins"
mkdir -p "$work/config"
cat >"$work/config/main.tf" <<'HCL'
terraform {
  required_providers {
    hostup = { source = "hostup/hostup" }
  }
}
HCL
TF_CLI_CONFIG_FILE="$work/cli.tfrc" "$bin/tofu" -chdir="$work/config" providers schema -json >"$work/schema.json"
# tfplugindocs looks the provider up under the registry.terraform.io name.
sed -i 's|"registry.opentofu.org/hostup/hostup"|"registry.terraform.io/hashicorp/hostup"|' "$work/schema.json"
grep -q '"registry.terraform.io/hashicorp/hostup"' "$work/schema.json" || { echo "docs: no hostup schema exported" >&2; exit 1; }

"$bin/tfplugindocs" generate --provider-dir . --provider-name hostup --providers-schema "$work/schema.json"

if [ "$mode" = check ]; then
  if [ -n "$(git status --porcelain -- docs/)" ]; then
    git status --short -- docs/ >&2
    git --no-pager diff -- docs/ >&2
    echo "docs: docs/ differs from a fresh generation; run 'make docs' and commit the result" >&2
    exit 1
  fi
  echo "docs: up to date"
fi
