// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// content_wo through the CLI: on a CLI with write-only arguments (Terraform
// 1.11+, OpenTofu 1.11+) the secret is uploaded and reaches no saved plan,
// state or TRACE log, the next plan is empty, and a new content_wo_version
// uploads new bytes; on an older CLI the plan fails saying which CLI it needs.
func TestCLI_objectWriteOnlyContent(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc(), Buckets: []string{"media"}})
	cli := cliUnderTest(t)
	if cliVersion(t, cli).Core().LessThan(goversion.Must(goversion.NewVersion("1.11.0"))) {
		h := newConfigHarness(t, e, `
provider "hostup" {}

resource "hostup_object" "env" {
  bucket             = "media"
  key                = "app/.env"
  content_wo         = "DB_PASSWORD=literal"
  content_wo_version = 1
}
`)
		h.useKeyPair(e)
		out := h.runFailing("plan", "-no-color")
		if !strings.Contains(out, "Write-Only Content Needs a Newer CLI") || !strings.Contains(out, "Terraform 1.11 or later, or OpenTofu 1.11") {
			t.Fatalf("plan on %s:\n%s", filepath.Base(cli), out)
		}
		return
	}

	const secret1, secret2 = "DB_PASSWORD=wo-secret-one-4b1f9c", "DB_PASSWORD=wo-secret-two-7d2e0a"
	config := func(version int) string {
		return fmt.Sprintf(`
provider "hostup" {}

variable "env_file" {
  type      = string
  ephemeral = true
}

resource "hostup_object" "env" {
  bucket             = "media"
  key                = "app/.env"
  content_wo         = var.env_file
  content_wo_version = %d
}
`, version)
	}
	h := newConfigHarness(t, e, config(1))
	h.useKeyPair(e)
	logFile := h.traceLog()
	h.setEnv("TF_VAR_env_file", secret1)
	h.run("plan", "-no-color", "-out=first.tfplan")
	h.run("apply", "-no-color", "first.tfplan")
	if got, _ := e.GetObject("media", "app/.env"); string(got) != secret1 {
		t.Fatalf("stored %q, want the write-only content", got)
	}
	if code, out := h.exitCode("plan", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("second plan: exit %d, want no changes:\n%s", code, out)
	}

	// A new version uploads the new bytes.
	if err := os.WriteFile(filepath.Join(h.dir, "main.tf"), []byte(providerHeader+config(2)), 0o600); err != nil {
		t.Fatal(err)
	}
	h.setEnv("TF_VAR_env_file", secret2)
	h.run("plan", "-no-color", "-out=second.tfplan")
	h.run("apply", "-no-color", "second.tfplan")
	if got, _ := e.GetObject("media", "app/.env"); string(got) != secret2 {
		t.Fatalf("after a new content_wo_version: stored %q, want the new content", got)
	}

	for _, f := range []string{"first.tfplan", "second.tfplan", "terraform.tfstate"} {
		h.assertNoSecrets(filepath.Join(h.dir, f), secret1, secret2)
	}
	h.assertNoSecrets(logFile, secret1, secret2)
	if !strings.Contains(string(h.logs()), "HostUp S3 call") {
		t.Error("the TRACE log holds no S3 call: is it the provider's log?")
	}
}
