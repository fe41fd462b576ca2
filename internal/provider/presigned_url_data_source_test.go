// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

const uuidPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`

func dataSourceConfig(e *emulator.Emulator, body string) string {
	return providerBlock(e) + `
data "hostup_presigned_url" "test" {
` + body + `
}
`
}

func TestPresignedURLDataSource_download(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dataSourceConfig(e, `
  bucket = "media"
  key    = "releases/app v1.2+build%7.tar.gz"
  action = "download"
`),
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue("bucket", knownvalue.StringExact("media")),
				stateValue("key", knownvalue.StringExact("releases/app v1.2+build%7.tar.gz")),
				stateValue("action", knownvalue.StringExact("download")),
				stateValue("content_type", knownvalue.Null()),
				stateValue("url", knownvalue.StringRegexp(regexp.MustCompile(
					`^`+regexp.QuoteMeta(e.S3URL())+`/media/releases/app%20v1\.2%2Bbuild%257\.tar\.gz\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}`))),
				stateValue("expires_in", knownvalue.Int64Exact(900)),
				stateValue("expires_at", knownvalue.StringExact("2026-02-10T12:15:00Z")),
				stateValue("http_method", knownvalue.StringExact("GET")),
				stateValue("required_headers", knownvalue.MapExact(map[string]knownvalue.Check{})),
				stateValue("request_id", knownvalue.StringRegexp(regexp.MustCompile(uuidPattern))),
				sensitiveInState("url"),
			},
		}},
	})
	assertPresignRequests(t, e, "media", map[string]any{"key": "releases/app v1.2+build%7.tar.gz", "action": "download"})
}

func TestPresignedURLDataSource_uploadWithContentType(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dataSourceConfig(e, `
  bucket       = "media"
  key          = "results/run 42/日本語.json"
  action       = "upload"
  content_type = "application/json"
`),
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue("content_type", knownvalue.StringExact("application/json")),
				stateValue("required_headers", knownvalue.MapExact(map[string]knownvalue.Check{"Content-Type": knownvalue.StringExact("application/json")})),
				stateValue("http_method", knownvalue.StringExact("PUT")),
				stateValue("url", knownvalue.StringRegexp(regexp.MustCompile(`X-Amz-SignedHeaders=content-type%3Bhost`))),
				stateValue("expires_in", knownvalue.Int64Exact(900)),
			},
		}},
	})
	assertPresignRequests(t, e, "media", map[string]any{"key": "results/run 42/日本語.json", "action": "upload", "contentType": "application/json"})
}

// The URL is sensitive: the CLI refuses to show it in an unmarked output.
func TestPresignedURLDataSource_urlIsSensitive(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dataSourceConfig(e, `
  bucket = "media"
  key    = "a.txt"
  action = "download"
`) + `
output "leak" {
  value = data.hostup_presigned_url.test.url
}
`,
			ExpectError: words("Output refers to sensitive values"),
		}},
	})
}

// assertPresignRequests checks that every request the provider made was the
// one documented presign call, byte for byte where it matters.
func assertPresignRequests(t *testing.T, e *emulator.Emulator, bucket string, wantBody map[string]any) {
	t.Helper()
	reqs := e.Requests()
	if len(reqs) == 0 {
		t.Fatal("the provider made no API request")
	}
	ua := regexp.MustCompile(`^terraform-provider-hostup/test \(\+https://registry\.terraform\.io/providers/hostup/hostup\) Terraform/\d+\.\d+\.\d+\S*$`)
	for i, r := range reqs {
		if r.Method != http.MethodPost || r.Path != "/api/object-storage/buckets/"+bucket+"/presign" {
			t.Errorf("request %d: %s %s", i, r.Method, r.Path)
		}
		for h, want := range map[string]string{"X-Api-Key": emulator.DefaultAPIKey, "Content-Type": "application/json", "Accept": "application/json"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("request %d: header %s = %q, want %q", i, h, got, want)
			}
		}
		if !ua.MatchString(r.Header.Get("User-Agent")) {
			t.Errorf("request %d: User-Agent %q", i, r.Header.Get("User-Agent"))
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Errorf("request %d: body %q: %v", i, r.Body, err)
			continue
		}
		if fmt.Sprint(body) != fmt.Sprint(wantBody) {
			t.Errorf("request %d: body %v, want %v", i, body, wantBody)
		}
	}
}

func stateValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.hostup_presigned_url.test", tfjsonpath.New(attr), check)
}

func sensitiveInState(attr string) statecheck.StateCheck {
	return statecheck.ExpectSensitiveValue("data.hostup_presigned_url.test", tfjsonpath.New(attr))
}
