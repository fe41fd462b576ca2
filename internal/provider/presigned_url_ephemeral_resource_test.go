// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// withEcho adds the echo provider, which copies an ephemeral value into
// state so tests can inspect it.
func withEcho() map[string]func() (tfprotov6.ProviderServer, error) {
	f := map[string]func() (tfprotov6.ProviderServer, error){"echo": echoprovider.NewProviderServer()}
	for k, v := range protoV6ProviderFactories {
		f[k] = v
	}
	return f
}

// Ephemeral resources need Terraform 1.10+ (OpenTofu 1.11+); under older
// CLIs these tests are skipped by a version check that names the version.
var ephemeralVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// ephemeralTest runs steps as a unitTest with the echo provider, skipped
// under CLIs without ephemeral resources.
func ephemeralTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	unitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: withEcho(),
		Steps:                    steps,
	})
}

func echoConfig(e *emulator.Emulator, body string) string {
	return echoConfigWith(providerBlock(e), body)
}

// echoConfigWith copies ephemeral.hostup_presigned_url.test, configured by
// providerConfig and body, into echo.test's state.
func echoConfigWith(providerConfig, body string) string {
	return providerConfig + `
ephemeral "hostup_presigned_url" "test" {
` + body + `
}

provider "echo" {
  data = ephemeral.hostup_presigned_url.test
}

resource "echo" "test" {}
`
}

func echoValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey(attr), check)
}

func TestPresignedURLEphemeralResource_upload(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	ephemeralTest(t, resource.TestStep{
		Config: echoConfig(e, `
  bucket       = "media"
  key          = "jobs/42/result file+1.json"
  action       = "upload"
  content_type = "application/json"
`),
		ConfigStateChecks: []statecheck.StateCheck{
			echoValue("bucket", knownvalue.StringExact("media")),
			echoValue("key", knownvalue.StringExact("jobs/42/result file+1.json")),
			echoValue("url", knownvalue.StringRegexp(regexp.MustCompile(
				`^`+regexp.QuoteMeta(e.S3URL())+`/media/jobs/42/result%20file%2B1\.json\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-SignedHeaders=content-type%3Bhost&.*X-Amz-Signature=[0-9a-f]{64}`))),
			echoValue("expires_in", knownvalue.Int64Exact(900)),
			echoValue("expires_at", knownvalue.StringExact("2026-02-10T12:15:00Z")),
			echoValue("http_method", knownvalue.StringExact("PUT")),
			echoValue("required_headers", knownvalue.MapExact(map[string]knownvalue.Check{
				"Content-Type": knownvalue.StringExact("application/json"),
			})),
			echoValue("request_id", knownvalue.StringRegexp(regexp.MustCompile(uuidPattern))),
		},
	})
	assertPresignRequests(t, e, "media", map[string]any{"key": "jobs/42/result file+1.json", "action": "upload", "contentType": "application/json"})
}

func TestPresignedURLEphemeralResource_downloadWorksAgainstS3(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Now: time.Now})
	if err := e.PutObject("media", "seeded/file.txt", []byte("seeded bytes")); err != nil {
		t.Fatal(err)
	}
	ephemeralTest(t, resource.TestStep{
		Config: echoConfig(e, `
  bucket = "media"
  key    = "seeded/file.txt"
  action = "download"
`),
		ConfigStateChecks: []statecheck.StateCheck{
			echoValue("http_method", knownvalue.StringExact("GET")),
			echoValue("required_headers", knownvalue.MapExact(map[string]knownvalue.Check{})),
			echoValue("content_type", knownvalue.Null()),
			urlsCheck(func(urls map[string]string) error {
				url := urls["echo.test"]
				if url == "" {
					return fmt.Errorf("echo.test has no data.url")
				}
				if err := expect("GET", http.MethodGet, url, "", nil, 200, "seeded bytes"); err != nil {
					return err
				}
				return expect("PUT with a download URL", http.MethodPut, url, "", []byte("x"), 403, "SignatureDoesNotMatch")
			}),
		},
	})
}

func TestPresignedURLEphemeralResource_validationAndErrors(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"content type on download", "bucket = \"media\"\nkey = \"k\"\naction = \"download\"\ncontent_type = \"text/plain\"", words("Content Type Only Applies to Uploads")},
		{"bad bucket", "bucket = \"Media_1\"\nkey = \"k\"\naction = \"download\"", words("Attribute bucket must contain only lowercase letters")},
		{"bad action", "bucket = \"media\"\nkey = \"k\"\naction = \"list\"", words(`Attribute action value must be one of: ["download" "upload"]`)},
		{"unknown bucket", "bucket = \"ghost\"\nkey = \"k\"\naction = \"download\"", words("HostUp Bucket Not Found")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ephemeralTest(t, resource.TestStep{Config: echoConfig(e, tc.body), ExpectError: tc.want})
		})
	}
}

// The ephemeral resource signs locally with a key pair, as the data source
// does, and the URL works.
func TestPresignedURLEphemeralResource_localSigning(t *testing.T) {
	unsetEnv(t)
	clock := &testClock{now: time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)}
	e := startEmulator(t, emulator.Options{Now: clock.Now})
	if err := e.PutObject("media", "seeded/file.txt", []byte("seeded bytes")); err != nil {
		t.Fatal(err)
	}
	factories := clockedFactories(clock)
	factories["echo"] = echoprovider.NewProviderServer()
	unitTest(t, resource.TestCase{
		TerraformVersionChecks:   ephemeralVersions,
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: echoConfigWith(keyPairProviderBlock(e), `
  bucket                 = "media"
  key                    = "seeded/file.txt"
  action                 = "download"
  rotation_period        = "1h"
  response_cache_control = "no-store"
`),
			ConfigStateChecks: []statecheck.StateCheck{
				echoValue("rotates_at", knownvalue.StringExact("2026-02-10T10:00:00Z")),
				echoValue("expires_at", knownvalue.StringExact("2026-02-10T10:15:00Z")),
				echoValue("request_id", knownvalue.Null()),
				urlsCheck(func(urls map[string]string) error {
					return expect("GET", http.MethodGet, urls["echo.test"], "", nil, 200, "seeded bytes")
				}),
			},
		}},
	})
	if n := e.Counters().APIRequests; n != 0 {
		t.Errorf("local signing made %d API requests", n)
	}
}
