// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// The S3 blocks through the CLI, against the S3 target: the emulator, or a
// real Ceph RGW when make test-rgw names one (HOSTUP_TEST_S3_*). Over http
// and over https (where a multipart upload is where SDKs send checksum
// trailers): hostup_object from content and from files, a file above the
// multipart threshold, odd keys, hostup_objects, a stable locally signed
// URL downloaded as an instance would, a second plan with no changes,
// drift, import and destroy.
func TestCLI_S3BlocksOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	for ep, e := range map[*s3test.Endpoint]*emulator.Emulator{tgt.Plain: tgt.PlainEmulator, tgt.TLS: tgt.TLSEmulator} {
		// Uploads are counted where the server is the emulator.
		puts := func() int { return -1 }
		if e != nil {
			puts = func() int { return e.S3Requests()[emulator.OpPutObject] }
		}
		t.Run(strings.SplitN(ep.URL, ":", 2)[0], func(t *testing.T) {
			testS3BlocksOn(t, ep, strings.HasPrefix(ep.URL, "https:"), puts)
		})
	}
	t.Run("generated configuration", func(t *testing.T) { testGeneratedObjectConfig(t, tgt.Plain) })
}

// s3Harness is a CLI harness whose provider uses ep's S3 side and key pair.
func s3Harness(t *testing.T, ep *s3test.Endpoint, config string) *cliHarness {
	t.Helper()
	h := newConfigHarness(t, startEmulator(t, emulator.Options{Now: nowFunc()}), config)
	h.setEnv(provider.EnvS3Endpoint, ep.URL)
	h.setEnv(provider.EnvS3AccessKeyID, ep.AccessKey)
	h.setEnv(provider.EnvS3SecretAccessKey, ep.SecretKey)
	if ep.CAFile != "" {
		h.setEnv("SSL_CERT_FILE", ep.CAFile)
	}
	return h
}

// An object imported with an import block and -generate-config-out: the
// generated configuration applies, leaves the object's bytes as they are,
// and plans no changes after.
func testGeneratedObjectConfig(t *testing.T, ep *s3test.Endpoint) {
	bucket := ep.Bucket(t, "gen")
	ep.Put(t, bucket, "config/app.json", []byte(`{"debug": false}`))
	h := s3Harness(t, ep, fmt.Sprintf(`
provider "hostup" {}

import {
  to = hostup_object.app
  id = "%s/config/app.json"
}
`, bucket))
	h.run("plan", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(h.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	h.run("apply", "-auto-approve", "-no-color")
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("plan after applying the generated configuration: exit %d, want 0:\n%s\ngenerated:\n%s", code, out, generated)
	}
	if got, _ := ep.Get(bucket, "config/app.json"); string(got) != `{"debug": false}` {
		t.Errorf("the object's bytes changed: %q", got)
	}
}

func testS3BlocksOn(t *testing.T, ep *s3test.Endpoint, multipart bool, puts func() int) {
	bucket := ep.Bucket(t, "cli")
	dir := t.TempDir()
	small := []byte("release one\n")
	if err := os.WriteFile(filepath.Join(dir, "app.tar.gz"), small, 0o600); err != nil {
		t.Fatal(err)
	}
	bigResource := ""
	var big []byte
	if multipart {
		big = make([]byte, 101<<20+12345) // above the 100 MiB threshold: 21 parts
		_, _ = rand.Read(big)
		if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o600); err != nil {
			t.Fatal(err)
		}
		bigResource = fmt.Sprintf(`
resource "hostup_object" "big" {
  bucket = %q
  key    = "releases/big.bin"
  source = %q
}
`, bucket, filepath.Join(dir, "big.bin"))
	}
	dependsOn := "hostup_object.file, hostup_object.odd"
	if multipart {
		dependsOn += ", hostup_object.big"
	}
	const oddKey = "odd keys/a b+c%d ü//x.txt"
	config := fmt.Sprintf(`
provider "hostup" {}

resource "hostup_object" "file" {
  bucket        = %[1]q
  key           = "releases/app.tar.gz"
  source        = %[2]q
  cache_control = "no-cache"
}

resource "hostup_object" "odd" {
  bucket  = %[1]q
  key     = %[3]q
  content = "odd"
}
%[4]s
data "hostup_objects" "all" {
  bucket     = %[1]q
  depends_on = [%[5]s]
}

data "hostup_presigned_url" "get" {
  bucket          = %[1]q
  key             = "releases/app.tar.gz"
  action          = "download"
  rotation_period = "24h"
  expires_in      = 3600
}

output "keys" {
  value = data.hostup_objects.all.keys
}

output "url" {
  value     = data.hostup_presigned_url.get.url
  sensitive = true
}
`, bucket, filepath.Join(dir, "app.tar.gz"), oddKey, bigResource, dependsOn)

	h := s3Harness(t, ep, config)
	h.run("apply", "-auto-approve", "-no-color")

	for key, want := range map[string][]byte{"releases/app.tar.gz": small, oddKey: []byte("odd")} {
		if got, err := ep.Get(bucket, key); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: stored %q (%v), want %q", key, got, err, want)
		}
	}
	if multipart {
		etag, size, err := ep.Head(bucket, "releases/big.bin")
		if err != nil || size != int64(len(big)) || !strings.HasSuffix(etag, "-21") {
			t.Errorf("big.bin: ETag %q, size %d (%v); want 21 parts of %d bytes", etag, size, err, len(big))
		}
		if got, err := ep.Get(bucket, "releases/big.bin"); err != nil || !bytes.Equal(got, big) {
			t.Errorf("big.bin: the stored bytes differ (%v)", err)
		}
	}
	var keys []string
	if err := json.Unmarshal([]byte(h.run("output", "-json", "keys")), &keys); err != nil || !contains(keys, oddKey) || !contains(keys, "releases/app.tar.gz") {
		t.Errorf("hostup_objects keys %v (%v)", keys, err)
	}
	url := h.run("output", "-raw", "url")
	if got, err := ep.Download(url); err != nil || !bytes.Equal(got, small) {
		t.Errorf("download through the locally signed URL: %q (%v)", got, err)
	}

	// Nothing changed: the plan says so.
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("second plan: exit %d, want 0 (no changes):\n%s", code, out)
	}

	// Changed outside Terraform: an update is planned, and applying it
	// restores the bytes.
	ep.Put(t, bucket, "releases/app.tar.gz", []byte("tampered"))
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, "hostup_object.file will be updated in-place") {
		t.Errorf("plan after drift: exit %d, want 2 with an update of hostup_object.file:\n%s", code, out)
	}
	h.run("apply", "-auto-approve", "-no-color")
	if got, _ := ep.Get(bucket, "releases/app.tar.gz"); !bytes.Equal(got, small) {
		t.Errorf("after applying the drift: stored %q", got)
	}

	if multipart {
		// A file above the multipart threshold changed, same size: its
		// multipart ETag is computed at plan time, so the change shows.
		changed := append([]byte("changed!"), big[8:]...)
		if err := os.WriteFile(filepath.Join(dir, "big.bin"), changed, 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, "hostup_object.big will be updated in-place") {
			t.Errorf("plan after changing big.bin: exit %d, want 2 with an update of hostup_object.big:\n%s", code, out)
		}
		h.run("apply", "-auto-approve", "-no-color")
		if got, err := ep.Get(bucket, "releases/big.bin"); err != nil || !bytes.Equal(got, changed) {
			t.Errorf("big.bin after the change: the stored bytes differ (%v)", err)
		}
	}

	// Import by bucket/key: the next plan only records content, with the
	// object's ETag unchanged, and applying it uploads nothing.
	h.run("state", "rm", "hostup_object.odd")
	h.run("import", "-no-color", "hostup_object.odd", bucket+"/"+oddKey)
	if out := h.run("state", "show", "-no-color", "hostup_object.odd"); !strings.Contains(out, md5Hex([]byte("odd"))) {
		t.Errorf("imported object's state has no ETag of its bytes:\n%s", out)
	}
	h.run("plan", "-no-color", "-out=after-import.tfplan")
	for _, rc := range h.showPlanChanges("after-import.tfplan") {
		if rc.Address != "hostup_object.odd" {
			continue
		}
		if rc.Change.After["etag"] != md5Hex([]byte("odd")) || strings.Join(rc.Change.Actions, ",") != "update" {
			t.Errorf("plan after import: %v with etag %v; want an update keeping the ETag", rc.Change.Actions, rc.Change.After["etag"])
		}
	}
	before := puts()
	h.run("apply", "-auto-approve", "-no-color", "after-import.tfplan")
	if after := puts(); after != before {
		t.Errorf("applying the plan after import uploaded %d objects", after-before)
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("second plan after import: exit %d, want 0:\n%s", code, out)
	}

	h.run("destroy", "-auto-approve", "-no-color")
	for _, key := range []string{"releases/app.tar.gz", oddKey, "releases/big.bin"} {
		if _, err := ep.Get(bucket, key); err == nil {
			t.Errorf("%s survived destroy", key)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// exitCode runs a command and returns its exit code and combined output;
// it fails the test only when the command cannot run at all.
func (h *cliHarness) exitCode(args ...string) (int, string) {
	h.t.Helper()
	out, err := h.command(args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	h.t.Fatalf("%s %s: %v", filepath.Base(h.cli), strings.Join(args, " "), err)
	return -1, ""
}

// resourceChange is the part of a plan's resource_changes these tests read.
type resourceChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions []string       `json:"actions"`
		After   map[string]any `json:"after"`
	} `json:"change"`
}

// showPlanChanges is a saved plan's resource changes.
func (h *cliHarness) showPlanChanges(file string) []resourceChange {
	h.t.Helper()
	var p struct {
		ResourceChanges []resourceChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(h.run("show", "-json", file)), &p); err != nil {
		h.t.Fatal(err)
	}
	return p.ResourceChanges
}
