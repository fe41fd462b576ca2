// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// What the tests of the bucket configuration resources share: a driver
// that takes one resource through its life against the S3 target, and a
// client to check the server with.

// configCase is one configuration resource's life on the S3 target.
type configCase struct {
	// address is the resource's, such as hostup_bucket_cors.this.
	address string
	// config is the configuration of version 1 (created) or 2 (updated).
	config func(bucket string, version int) string
	// read is the configuration the server holds, comparable as a string;
	// an error when it has none.
	read func(c *hostups3.ObjectClient, bucket string) (string, error)
	// drift changes the configuration outside Terraform, and remove
	// deletes it.
	drift, remove func(t *testing.T, c *hostups3.ObjectClient, bucket string)
	// applied, when set, checks what the configuration of version does
	// (and version 0: after destroy).
	applied func(t *testing.T, ep *s3test.Endpoint, bucket string, version int)
}

// testConfigOnTarget creates, plans again, updates, drifts and restores,
// loses and puts again, imports and destroys one configuration resource,
// in a bucket that holds an object, which stays as it was.
func testConfigOnTarget(t *testing.T, ep *s3test.Endpoint, cc configCase) {
	t.Helper()
	bucket := ep.Bucket(t, "config")
	ep.Put(t, bucket, "kept.txt", []byte("kept"))
	c := ep.ObjectClient(t, 0)
	h := s3Harness(t, ep, cc.config(bucket, 1))
	check := func(version int) string {
		t.Helper()
		got, err := cc.read(c, bucket)
		if err != nil {
			t.Fatalf("version %d: reading the configuration back: %v", version, err)
		}
		if cc.applied != nil {
			cc.applied(t, ep, bucket, version)
		}
		return got
	}
	noChanges := func(when string) {
		t.Helper()
		if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
			t.Errorf("plan %s: exit %d, want 0 (no changes):\n%s", when, code, out)
		}
	}

	h.run("apply", "-auto-approve", "-no-color")
	v1 := check(1)
	noChanges("after create")

	h.rewrite(cc.config(bucket, 2))
	h.run("apply", "-auto-approve", "-no-color")
	v2 := check(2)
	if v2 == v1 {
		t.Errorf("the update changed nothing on the server: %s", v2)
	}
	noChanges("after update")

	cc.drift(t, c, bucket)
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, cc.address+" will be updated in-place") {
		t.Errorf("plan after a change outside Terraform: exit %d, want 2 with an update of %s:\n%s", code, cc.address, out)
	}
	h.run("apply", "-auto-approve", "-no-color")
	if got := check(2); got != v2 {
		t.Errorf("after applying the drift: %s, want %s", got, v2)
	}

	cc.remove(t, c, bucket)
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, cc.address+" will be created") ||
		!strings.Contains(out, "Warning: HostUp Bucket Has No") {
		t.Errorf("plan after the configuration was deleted outside Terraform: exit %d, want 2 with a warning and %s created:\n%s", code, cc.address, out)
	}
	h.run("apply", "-auto-approve", "-no-color")
	if got := check(2); got != v2 {
		t.Errorf("after putting the configuration again: %s, want %s", got, v2)
	}

	h.run("state", "rm", cc.address)
	h.run("import", "-no-color", cc.address, bucket)
	noChanges("after import")

	h.run("destroy", "-auto-approve", "-no-color")
	if got, err := cc.read(c, bucket); !hostups3.NoSuchConfiguration(err) {
		t.Errorf("after destroy the bucket still has the configuration: %s (%v)", got, err)
	}
	if cc.applied != nil {
		cc.applied(t, ep, bucket, 0)
	}
	if got, err := ep.Get(bucket, "kept.txt"); err != nil || string(got) != "kept" {
		t.Errorf("after destroy the bucket's object is %q (%v), want it kept", got, err)
	}
}

// asJSON is v as a comparable string.
func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// rewrite replaces the harness's configuration.
func (h *cliHarness) rewrite(config string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, "main.tf"), []byte(providerHeader+config), 0o600); err != nil {
		h.t.Fatal(err)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A server that refuses bucket configuration (501 NotImplemented, 405
// MethodNotAllowed) reaches the user as the operation not being offered,
// naming what was asked.
func TestBucketConfigurationResources_notOffered(t *testing.T) {
	unsetEnv(t)
	for _, code := range []string{"NotImplemented", "MethodNotAllowed"} {
		t.Run(code, func(t *testing.T) {
			status := map[string]int{"NotImplemented": http.StatusNotImplemented, "MethodNotAllowed": http.StatusMethodNotAllowed}[code]
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("x-amz-request-id", "tx-refused")
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(status)
				_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message></Message></Error>`, code)
			}))
			t.Cleanup(srv.Close)
			unitSteps(t, resource.TestStep{
				Config: fmt.Sprintf(`
provider "hostup" {
  api_key              = "unused"
  s3_access_key_id     = "AKEXAMPLE"
  s3_secret_access_key = "secret"
  s3_endpoint          = %q
  max_retries          = 0
}

resource "hostup_bucket_cors" "this" {
  bucket = "site"
  rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`, srv.URL),
				ExpectError: regexp.MustCompile(`(?s)S3 Operation Not Offered by the Server.*put\s+the\s+CORS\s+configuration\s+of\s+bucket\s+"site"\s+\(PutBucketCors\)`),
			})
		})
	}
}
