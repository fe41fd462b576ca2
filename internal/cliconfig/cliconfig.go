// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package cliconfig writes the Terraform and OpenTofu CLI configurations that
// the tests and the benchmark run the provider with. The provider's address
// differs between the two CLIs' registries, so every configuration names
// both. The dev_overrides configuration is dev-overrides.tfrc, which
// scripts/lib.sh fills in too.
package cliconfig

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// devOverrides is the dev_overrides configuration, PLUGIN_DIR standing for
// the quoted plugin directory.
//
//go:embed dev-overrides.tfrc
var devOverrides string

// Addresses are the provider's addresses in Terraform's and OpenTofu's
// registries.
var Addresses = []string{"registry.terraform.io/hostup/hostup", "registry.opentofu.org/hostup/hostup"}

// DevOverrides loads the provider binary in pluginDir instead of installing
// it; every other provider installs as usual.
func DevOverrides(pluginDir string) string {
	return strings.ReplaceAll(devOverrides, "PLUGIN_DIR", strconv.Quote(pluginDir))
}

// FilesystemMirror installs providers only from mirrorDir, as a registry
// would serve them: release zips under <address>/, checked against the
// lock file's hashes. Nothing is downloaded.
func FilesystemMirror(mirrorDir string) string {
	return fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path = %q
  }
}
`, mirrorDir)
}
