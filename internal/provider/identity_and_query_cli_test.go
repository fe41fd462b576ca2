// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// requireTerraform skips a test whose feature the CLI under test lacks,
// naming the version it needs; make test runs it under Terraform 1.15.
func requireTerraform(t *testing.T, minVersion, feature string) {
	t.Helper()
	cli := cliUnderTest(t)
	if out, _ := exec.Command(cli, "version").Output(); strings.Contains(string(out), "OpenTofu") {
		t.Skipf("%s is Terraform's; OpenTofu does not offer it yet (make test runs this under Terraform 1.15)", feature)
	}
	if cliVersion(t, cli).Core().LessThan(goversion.Must(goversion.NewVersion(minVersion))) {
		t.Skipf("%s needs Terraform %s or later; %s is older (make test runs this under Terraform 1.15)", feature, minVersion, filepath.Base(cli))
	}
}

// An existing bucket and its objects brought under Terraform in one step:
// terraform query lists them (hostup_bucket and hostup_object list
// resources), -generate-config-out writes import blocks that name them by
// identity and a resource for each, and applying that imports them without
// uploading anything; the next plan is empty.
func TestCLI_queryImportsAnExistingBucket(t *testing.T) {
	requireTerraform(t, "1.14.0", "terraform query (list resources)")
	e := startEmulator(t, emulator.Options{Now: nowFunc(), Buckets: []string{"legacy-site", "other"}})
	for _, k := range []string{"site/index.html", "site/app.js", "logs/skip.txt"} {
		if err := e.PutObject("legacy-site", k, []byte("content of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	h := newConfigHarness(t, e, "provider \"hostup\" {}\n")
	h.useKeyPair(e)
	query := `
list "hostup_bucket" "legacy" {
  provider = hostup
  config {
    name_prefix = "legacy-"
  }
}

list "hostup_object" "site" {
  provider = hostup
  config {
    bucket = "legacy-site"
    prefix = "site/"
  }
}
`
	if err := os.WriteFile(filepath.Join(h.dir, "import.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	out := h.run("query", "-no-color")
	for _, want := range []string{"legacy-site/site/index.html", "legacy-site/site/app.js", "legacy-site"} {
		if !strings.Contains(out, want) {
			t.Errorf("query output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "logs/skip.txt") || strings.Contains(out, "other") {
		t.Errorf("query listed what its filters leave out:\n%s", out)
	}
	h.run("query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(h.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(generated), "identity") {
		t.Errorf("the generated imports do not name their resources by identity:\n%s", generated)
	}
	t.Logf("generated:\n%s", generated)
	before := e.S3Requests()[emulator.OpPutObject]
	h.run("apply", "-auto-approve", "-no-color")
	if after := e.S3Requests()[emulator.OpPutObject]; after != before {
		t.Errorf("importing uploaded %d objects", after-before)
	}
	if code, out := h.exitCode("plan", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after the import: exit %d, want no changes:\n%s\ngenerated:\n%s", code, out, generated)
	}
	state := h.run("state", "list")
	for _, want := range []string{"hostup_object.", "hostup_bucket."} {
		if !strings.Contains(state, want) {
			t.Errorf("state after the import lacks %s*:\n%s", want, state)
		}
	}
}

// import blocks that name a bucket and an object by identity (Terraform
// 1.12+) instead of by ID.
func TestCLI_importByIdentity(t *testing.T) {
	requireTerraform(t, "1.12.0", "resource identity")
	e := startEmulator(t, emulator.Options{Now: nowFunc(), Buckets: []string{"media"}})
	if err := e.PutObject("media", "a.txt", []byte("a")); err != nil {
		t.Fatal(err)
	}
	h := newConfigHarness(t, e, `
provider "hostup" {}

import {
  to       = hostup_bucket.media
  identity = { name = "media" }
}

resource "hostup_bucket" "media" {
  name = "media"
}

import {
  to       = hostup_object.a
  identity = { bucket = "media", key = "a.txt" }
}

resource "hostup_object" "a" {
  bucket       = "media"
  key          = "a.txt"
  content      = "a"
  content_type = "application/octet-stream"
}
`)
	h.useKeyPair(e)
	plan := h.run("plan", "-no-color")
	if !strings.Contains(plan, "2 to import") {
		t.Fatalf("plan:\n%s", plan)
	}
	h.run("apply", "-auto-approve", "-no-color")
	if code, out := h.exitCode("plan", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after importing by identity: exit %d, want no changes:\n%s", code, out)
	}
}
