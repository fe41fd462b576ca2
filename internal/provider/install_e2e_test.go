// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/hostup/terraform-provider-hostup/internal/cliconfig"
	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// The release zip installs the way a registry install does: from a
// filesystem mirror, with no dev_overrides, verified against the lock file's
// hashes, and then plans a data source. HOSTUP_RELEASE_DIR names goreleaser's
// dist/ directory; make test builds it (scripts/release.sh).
func TestCLI_installReleaseZip(t *testing.T) {
	dist := os.Getenv("HOSTUP_RELEASE_DIR")
	if dist == "" {
		t.Skip("HOSTUP_RELEASE_DIR is not set: run make test, which builds the release zip first")
	}
	zips, _ := filepath.Glob(filepath.Join(dist, "terraform-provider-hostup_*_linux_amd64.zip"))
	if len(zips) != 1 {
		t.Fatalf("want one linux_amd64 zip in %s, found %q", dist, zips)
	}
	zipName := filepath.Base(zips[0])
	version := strings.TrimSuffix(strings.TrimPrefix(zipName, "terraform-provider-hostup_"), "_linux_amd64.zip")

	root := t.TempDir()
	mirror := filepath.Join(root, "mirror")
	raw, err := os.ReadFile(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, address := range cliconfig.Addresses {
		dir := filepath.Join(mirror, filepath.FromSlash(address))
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, zipName), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(root, "cli.tfrc")
	if err := os.WriteFile(rc, []byte(cliconfig.FilesystemMirror(mirror)), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "config")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	config := `terraform {
  required_providers {
    hostup = {
      source  = "hostup/hostup"
      version = "` + version + `"
    }
  }
}
` + presignedURLBlock + `
output "method" {
  value = data.hostup_presigned_url.test.http_method
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	e := startEmulator(t, emulator.Options{})
	h := &cliHarness{t: t, cli: cliUnderTest(t), dir: dir, env: append(cleanEnv(),
		"TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		provider.EnvAPIKey+"="+emulator.DefaultAPIKey, provider.EnvEndpoint+"="+e.APIURL())}

	initOut := h.run("init", "-no-color")
	if !regexp.MustCompile(`Installing hostup/hostup v` + regexp.QuoteMeta(version)).MatchString(initOut) {
		t.Errorf("init did not install the release zip:\n%s", initOut)
	}
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	// The CLI's h1 hash of a provider package is the Go module dirhash of
	// the zip's contents: the lock file must hold exactly this zip's.
	h1, err := dirhash.HashZip(zips[0], dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lock), `version     = "`+version+`"`) || !strings.Contains(string(lock), `"`+h1+`"`) {
		t.Errorf("the lock file does not record the zip's version and hash %s:\n%s", h1, lock)
	}
	plan := h.run("plan", "-no-color")
	if !words(`method = "GET"`).MatchString(plan) || strings.Contains(plan, "development overrides") {
		t.Errorf("plan:\n%s", plan)
	}
	if n := len(e.Requests()); n == 0 {
		t.Error("the installed provider made no API request")
	}
}
