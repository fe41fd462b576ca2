// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// What the stable-URLs guide says about ordering, through the CLI: a stable
// link whose key refers to a hostup_object in the same module is read only
// at apply whenever that object changes, so everything built from it is
// replaced; the same link with the key from a local value (and the consumer
// depending on the object) is read at plan time, identical, and nothing is
// replaced.
func TestCLI_stableLinkKnownAtPlanTime(t *testing.T) {
	for name, tc := range map[string]struct {
		link, consumer string
		deferred       bool
	}{
		"key from the object (deferred)": {
			link:     "bucket = hostup_object.artifact.bucket\n  key    = hostup_object.artifact.key",
			deferred: true,
		},
		"key from a local (known at plan time)": {
			link:     "bucket = local.bucket\n  key    = local.key",
			consumer: "depends_on = [hostup_object.artifact]",
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := startEmulator(t, emulator.Options{Now: nowFunc(), Buckets: []string{"media"}})
			file := filepath.Join(t.TempDir(), "app.tar.gz")
			if err := os.WriteFile(file, []byte("v1"), 0o600); err != nil {
				t.Fatal(err)
			}
			h := newConfigHarness(t, e, fmt.Sprintf(`
provider "hostup" {}

locals {
  bucket = "media"
  key    = "releases/app.tar.gz"
}

resource "hostup_object" "artifact" {
  bucket = local.bucket
  key    = local.key
  source = %q
}

data "hostup_presigned_url" "artifact" {
  %s
  action          = "download"
  rotation_period = "24h"
  expires_in      = 3600
}

# Stands in for an instance whose user data carries the link.
resource "terraform_data" "instance" {
  triggers_replace = [sha256(data.hostup_presigned_url.artifact.url)]
  %s
}
`, file, tc.link, tc.consumer))
			h.useKeyPair(e)
			h.run("apply", "-auto-approve", "-no-color")
			if err := os.WriteFile(file, []byte("v2, rebuilt"), 0o600); err != nil {
				t.Fatal(err)
			}
			plan := h.run("plan", "-no-color")
			deferred := strings.Contains(plan, "data.hostup_presigned_url.artifact will be read during apply")
			replaced := strings.Contains(plan, "terraform_data.instance must be replaced")
			if !strings.Contains(plan, "hostup_object.artifact will be updated in-place") || deferred != tc.deferred || replaced != tc.deferred {
				t.Fatalf("plan (want the link deferred and the instance replaced: %v):\n%s", tc.deferred, plan)
			}
		})
	}
}
