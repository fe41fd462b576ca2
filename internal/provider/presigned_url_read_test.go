// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// Local signing with an S3 key pair: URLs of any lifetime up to 7 days,
// stable within a rotation period, with response overrides, and no API call.

// testClock is one clock for the provider and the emulator, moved by tests.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// clockedFactories serve the provider in process with clock as its clock.
func clockedFactories(clock *testClock) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hostup": providerserver.NewProtocol6WithError(provider.NewWithClock("test", clock.Now)()),
	}
}

func TestPresignedURL_localSigning(t *testing.T) {
	unsetEnv(t)
	clock := &testClock{now: time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)}
	e := startEmulator(t, emulator.Options{Now: clock.Now})
	if err := e.PutObject("media", "reports/q1.bin", []byte("quarterly")); err != nil {
		t.Fatal(err)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: clockedFactories(clock),
		Steps: []resource.TestStep{{
			Config: keyPairProviderBlock(e) + `
data "hostup_presigned_url" "test" {
  bucket                       = "media"
  key                          = "reports/q1.bin"
  action                       = "download"
  expires_in                   = 86400
  rotation_period              = "24h"
  response_content_disposition = "attachment; filename=\"q1.pdf\""
  response_content_type        = "application/pdf"
}

data "hostup_presigned_url" "upload" {
  bucket       = "media"
  key          = "uploads/new.txt"
  action       = "upload"
  content_type = "text/plain"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue("url", knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(e.S3URL())+
					`/media/reports/q1\.bin\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&.*X-Amz-Date=20260210T000000Z&X-Amz-Expires=172800&.*response-content-disposition=attachment.*&x-id=GetObject&X-Amz-Signature=[0-9a-f]{64}$`))),
				stateValue("expires_in", knownvalue.Int64Exact(86400)),
				stateValue("rotates_at", knownvalue.StringExact("2026-02-11T00:00:00Z")),
				stateValue("expires_at", knownvalue.StringExact("2026-02-12T00:00:00Z")),
				stateValue("http_method", knownvalue.StringExact("GET")),
				stateValue("request_id", knownvalue.Null()),
				statecheck.ExpectKnownValue("data.hostup_presigned_url.upload", tfjsonpath.New("expires_in"), knownvalue.Int64Exact(900)),
				statecheck.ExpectKnownValue("data.hostup_presigned_url.upload", tfjsonpath.New("required_headers"),
					knownvalue.MapExact(map[string]knownvalue.Check{"Content-Type": knownvalue.StringExact("text/plain")})),
				statecheck.ExpectKnownValue("data.hostup_presigned_url.upload", tfjsonpath.New("rotates_at"), knownvalue.Null()),
				urlsCheck(func(urls map[string]string) error {
					resp, err := http.Get(urls["data.hostup_presigned_url.test"])
					if err != nil {
						return err
					}
					resp.Body.Close()
					if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="q1.pdf"` ||
						resp.Header.Get("Content-Type") != "application/pdf" {
						return fmt.Errorf("download: %d %v", resp.StatusCode, resp.Header)
					}
					up := urls["data.hostup_presigned_url.upload"]
					if err := expect("upload", http.MethodPut, up, "text/plain", []byte("new"), 200, ""); err != nil {
						return err
					}
					return expect("upload with another type", http.MethodPut, up, "application/json", []byte("x"), 403, "SignatureDoesNotMatch")
				}),
			},
		}},
	})
	if n := e.Counters().APIRequests; n != 0 {
		t.Errorf("local signing made %d API requests", n)
	}
}

// Within one period every read returns the byte-identical URL, so a
// resource that takes it as input has no changes; the next period gives a
// new URL, and the old one works until its own expiry.
func TestPresignedURL_stableWithinRotationPeriod(t *testing.T) {
	unsetEnv(t)
	clock := &testClock{now: time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)}
	e := startEmulator(t, emulator.Options{Now: clock.Now})
	if err := e.PutObject("media", "boot.sh", []byte("#!/bin/sh\n")); err != nil {
		t.Fatal(err)
	}
	config := keyPairProviderBlock(e) + `
data "hostup_presigned_url" "test" {
  bucket          = "media"
  key             = "boot.sh"
  action          = "download"
  expires_in      = 3600
  rotation_period = "6h"
}

resource "terraform_data" "instance" {
  input = data.hostup_presigned_url.test.url
}
`
	same := statecheck.CompareValue(compare.ValuesSame())
	differ := statecheck.CompareValue(compare.ValuesDiffer())
	var oldURL string
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: clockedFactories(clock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					same.AddStateValue("data.hostup_presigned_url.test", tfjsonpath.New("url")),
					differ.AddStateValue("data.hostup_presigned_url.test", tfjsonpath.New("url")),
					stateValue("rotates_at", knownvalue.StringExact("2026-02-10T12:00:00Z")),
					urlsCheck(func(urls map[string]string) error { oldURL = urls["data.hostup_presigned_url.test"]; return nil }),
				},
			},
			{
				// Two hours later, still in the 06:00-12:00 period.
				PreConfig: func() { clock.Advance(2 * time.Hour) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					same.AddStateValue("data.hostup_presigned_url.test", tfjsonpath.New("url")),
				},
			},
			{
				// Into the next period: a new URL, and the instance's input changes.
				PreConfig: func() { clock.Advance(3 * time.Hour) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("terraform_data.instance", plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differ.AddStateValue("data.hostup_presigned_url.test", tfjsonpath.New("url")),
					stateValue("rotates_at", knownvalue.StringExact("2026-02-10T18:00:00Z")),
				},
			},
		},
	})
	// Now 14:30; the old URL was signed at 06:00 for 6 h + 1 h: valid until 13:00.
	if oldURL == "" {
		t.Fatal("the first URL was not captured")
	}
	clock.now = time.Date(2026, 2, 10, 12, 59, 59, 0, time.UTC)
	if status, body, err := emulatortest.Do(http.MethodGet, oldURL, "", nil); err != nil || status != 200 {
		t.Fatalf("the old URL before its expiry: %d %s %v", status, body, err)
	}
	clock.now = time.Date(2026, 2, 10, 13, 0, 0, 0, time.UTC)
	if status, body, _ := emulatortest.Do(http.MethodGet, oldURL, "", nil); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Fatalf("the old URL after its expiry: %d %s", status, body)
	}
}

// Bad input is refused at plan time, naming the attribute and the fix.
func TestPresignedURL_localSigningValidation(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	block := func(body string) string {
		return "data \"hostup_presigned_url\" \"test\" {\n  bucket = \"media\"\n  key = \"k\"\n" + body + "\n}\n"
	}
	cases := []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"expires_in 0", keyPairProviderBlock(e) + block(`action = "download"
expires_in = 0`), words("Attribute expires_in value must be between 1 and 604800, got: 0")},
		{"expires_in over 7 days", keyPairProviderBlock(e) + block(`action = "download"
expires_in = 604801`), words("Attribute expires_in value must be between 1 and 604800, got: 604801")},
		{"rotation and lifetime over 7 days", keyPairProviderBlock(e) + block(`action = "download"
rotation_period = "144h"
expires_in = 86401`), words(`A URL with rotation_period "144h" and expires_in 86401 is signed for 604801 seconds`)},
		{"rotation period too short", keyPairProviderBlock(e) + block(`action = "download"
rotation_period = "10s"`), words(`The value of rotation_period is "10s": a period must be at least "1m"`)},
		{"response override on an upload", keyPairProviderBlock(e) + block(`action = "upload"
response_content_disposition = "attachment"`), words(`response_content_disposition is set, but action is "upload"`)},
		{"half a key pair", `provider "hostup" {
  s3_access_key_id = "AKID"
  s3_endpoint      = "` + e.S3URL() + `"
}
` + block(`action = "download"`), words(`The access key ID is set (by s3_access_key_id), but the secret access key is not: neither s3_secret_access_key nor HOSTUP_S3_SECRET_ACCESS_KEY is set`)},
		{"s3_endpoint with a path", `provider "hostup" {
  s3_access_key_id     = "AKID"
  s3_secret_access_key = "secret"
  s3_endpoint          = "http://127.0.0.1:18081/my-bucket"
}
` + block(`action = "download"`), words(`Invalid HostUp S3 Endpoint`)},
		{"expires_in without a key pair", providerBlock(e) + block(`action = "download"
expires_in = 3600`), words("S3 Key Pair Required")},
		{"rotation without a key pair names the settings", providerBlock(e) + block(`action = "download"
rotation_period = "24h"`), words("rotation_period needs a URL the provider signs itself, with one of the account's S3 key pairs: HostUp's API issues only 900-second URLs")},
		{"override without a key pair", providerBlock(e) + block(`action = "download"
response_cache_control = "no-store"`), words("Set s3_access_key_id and s3_secret_access_key in the provider block (or the HOSTUP_S3_ACCESS_KEY_ID and HOSTUP_S3_SECRET_ACCESS_KEY environment variables)")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitSteps(t, resource.TestStep{Config: tc.config, ExpectError: tc.want})
		})
	}
	if n := len(e.Requests()); n != 0 {
		t.Errorf("refused configurations made %d API requests", n)
	}
}

// Half a key pair from the environment is a configure-time error naming both
// variables.
func TestPresignedURL_halfAKeyPairFromTheEnvironment(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	t.Setenv(provider.EnvS3SecretAccessKey, "secret-only")
	unitSteps(t, resource.TestStep{
		Config:      providerBlock(e) + "data \"hostup_presigned_url\" \"test\" {\n  bucket = \"media\"\n  key = \"k\"\n  action = \"download\"\n}\n",
		ExpectError: words("The secret access key is set (by the HOSTUP_S3_SECRET_ACCESS_KEY environment variable), but the access key ID is not"),
	})
}

// One half of the key pair in the provider block and the other in the
// environment, either way round, is a key pair: the URL is signed with it
// and works.
func TestPresignedURL_keyPairSplitBetweenBlockAndEnvironment(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	if err := e.PutObject("media", "k", []byte("split")); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ attr, value, env, envValue string }{
		"access key in the block": {"s3_access_key_id", emulator.DefaultAccessKeyID, provider.EnvS3SecretAccessKey, emulator.DefaultSecretAccessKey},
		"secret in the block":     {"s3_secret_access_key", emulator.DefaultSecretAccessKey, provider.EnvS3AccessKeyID, emulator.DefaultAccessKeyID},
	} {
		t.Run(name, func(t *testing.T) {
			unsetEnv(t)
			t.Setenv(c.env, c.envValue)
			unitSteps(t, resource.TestStep{
				Config: fmt.Sprintf("provider \"hostup\" {\n  %s = %q\n  s3_endpoint = %q\n}\n", c.attr, c.value, e.S3URL()) +
					"data \"hostup_presigned_url\" \"test\" {\n  bucket = \"media\"\n  key = \"k\"\n  action = \"download\"\n  expires_in = 3600\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{urlsCheck(func(urls map[string]string) error {
					return expect("download", http.MethodGet, urls["data.hostup_presigned_url.test"], "", nil, 200, "split")
				})},
			})
		})
	}
}
