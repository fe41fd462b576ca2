// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// A download URL and an upload URL with a content type: the block's values
// in state, and the one presign call that issued each.
func TestPresignedURLDataSource_issue(t *testing.T) {
	unsetEnv(t)
	cases := []struct {
		name, body  string
		checks      func(e *emulator.Emulator) []statecheck.StateCheck
		wantRequest map[string]any
	}{
		{
			name: "download",
			body: `
  bucket = "media"
  key    = "releases/app v1.2+build%7.tar.gz"
  action = "download"
`,
			checks: func(e *emulator.Emulator) []statecheck.StateCheck {
				return []statecheck.StateCheck{
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
				}
			},
			wantRequest: map[string]any{"key": "releases/app v1.2+build%7.tar.gz", "action": "download"},
		},
		{
			name: "upload with content type",
			body: `
  bucket       = "media"
  key          = "results/run 42/日本語.json"
  action       = "upload"
  content_type = "application/json"
`,
			checks: func(*emulator.Emulator) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					stateValue("content_type", knownvalue.StringExact("application/json")),
					stateValue("required_headers", knownvalue.MapExact(map[string]knownvalue.Check{"Content-Type": knownvalue.StringExact("application/json")})),
					stateValue("http_method", knownvalue.StringExact("PUT")),
					stateValue("url", knownvalue.StringRegexp(regexp.MustCompile(`X-Amz-SignedHeaders=content-type%3Bhost`))),
					stateValue("expires_in", knownvalue.Int64Exact(900)),
				}
			},
			wantRequest: map[string]any{"key": "results/run 42/日本語.json", "action": "upload", "contentType": "application/json"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, emulator.Options{})
			unitSteps(t, resource.TestStep{Config: dataSourceConfig(e, tc.body), ConfigStateChecks: tc.checks(e)})
			assertPresignRequests(t, e, "media", tc.wantRequest)
		})
	}
}

// The URL is sensitive: the CLI refuses to show it in an unmarked output.
func TestPresignedURLDataSource_urlIsSensitive(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	unitSteps(t, resource.TestStep{
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
	})
}

// Bad arguments fail at plan time, before any API call.
func TestPresignedURLDataSource_planTimeValidation(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"bucket too short", `bucket = "ab"
key = "k"
action = "download"`,
			words(`Attribute bucket string length must be between 3 and 63, got: 2`)},
		{"bucket too long", `bucket = "` + strings.Repeat("a", 64) + `"
key = "k"
action = "download"`,
			words(`Attribute bucket string length must be between 3 and 63, got: 64`)},
		{"bucket upper case", `bucket = "Media"
key = "k"
action = "download"`,
			words(`Attribute bucket must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)`)},
		{"bucket with underscore", `bucket = "my_bucket"
key = "k"
action = "download"`,
			words(`Attribute bucket must contain only lowercase letters`)},
		{"empty key", `bucket = "media"
key = ""
action = "download"`,
			words(`Attribute key string length must be between 1 and 1024, got: 0`)},
		{"key over 1024 bytes", `bucket = "media"
key = "` + strings.Repeat("ö", 513) + `"
action = "download"`,
			words(`Attribute key string length must be between 1 and 1024, got: 1026`)},
		{"unknown action", `bucket = "media"
key = "k"
action = "delete"`,
			words(`Attribute action value must be one of: ["download" "upload"], got: "delete"`)},
		{"bad content type", `bucket = "media"
key = "k"
action = "upload"
content_type = "not a type"`,
			words(`Invalid Content Type`)},
		{"content type without subtype", `bucket = "media"
key = "k"
action = "upload"
content_type = "text"`,
			words(`"text" is not a valid media type (expected type/subtype)`)},
		{"content type with NUL in a parameter", `bucket = "media"
key = "k"
action = "upload"
content_type = "text/plain; name=\"a\u0000b\""`,
			words(`it contains a control character, which an HTTP header cannot carry`)},
		{"content type with DEL in a parameter", `bucket = "media"
key = "k"
action = "upload"
content_type = "text/plain; name=\"a\u007fb\""`,
			words(`it contains a control character`)},
		{"content type on download", `bucket = "media"
key = "k"
action = "download"
content_type = "text/plain"`,
			words(`Content Type Only Applies to Uploads`)},
		{"missing key argument", `bucket = "media"
action = "download"`,
			words(`The argument "key" is required`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitSteps(t, resource.TestStep{Config: dataSourceConfig(e, tc.body), ExpectError: tc.want})
		})
	}
	if n := len(e.Requests()); n != 0 {
		t.Fatalf("invalid configurations reached the API %d times", n)
	}
}

// A key at the 1024-byte limit, in multi-byte characters, is accepted.
func TestPresignedURLDataSource_keyAtLimit(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	key := strings.Repeat("ö", 512)
	unitSteps(t, resource.TestStep{
		Config:            dataSourceConfig(e, fmt.Sprintf("bucket = \"media\"\nkey = %q\naction = \"download\"", key)),
		ConfigStateChecks: []statecheck.StateCheck{stateValue("key", knownvalue.StringExact(key))},
	})
}

// Each API error class reaches the user as a diagnostic that says what to do
// and ends with the status, code and request ID.
func TestPresignedURLDataSource_apiErrors(t *testing.T) {
	unsetEnv(t)
	cases := []struct {
		name    string
		setup   func(*emulator.Emulator)
		bucket  string
		apiKey  string
		envelop emulator.Envelope
		want    []*regexp.Regexp
	}{
		{name: "wrong key", apiKey: "wrong", want: []*regexp.Regexp{
			words("HostUp API Key Rejected"), words("Check that HOSTUP_API_KEY"), words("HTTP status: 401, API code: UNAUTHORIZED, Request ID:")}},
		{name: "wrong key, problem envelope", apiKey: "wrong", envelop: emulator.EnvelopeProblem, want: []*regexp.Regexp{
			words("HostUp API Key Rejected"), words("HTTP status: 401, API code: unauthorized")}},
		{name: "forbidden", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 403, Code: "FORBIDDEN", Message: "Account is not verified."})...)
		}, want: []*regexp.Regexp{words("HostUp API Key Rejected"), words("Account is not verified."), words("HTTP status: 403, API code: FORBIDDEN")}},
		{name: "the API echoes the key", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 401, Code: "UNAUTHORIZED", Message: "Invalid API key " + emulator.DefaultAPIKey})...)
		}, want: []*regexp.Regexp{words("The HostUp API refused the API key: Invalid API key ***.")}},
		{name: "redirect", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 302, Header: http.Header{"Location": {"https://collector.example/steal?token=t0k3n"}}})...)
		}, want: []*regexp.Regexp{words("HostUp API Endpoint Redirects"), words("answered with a redirect (HTTP 302) to https://collector.example. The provider never follows redirects")}},
		{name: "unknown bucket", bucket: "nope", want: []*regexp.Regexp{
			words("HostUp Bucket Not Found"), words(`The bucket "nope" does not exist or belongs to another HostUp account`), words("HTTP status: 404, API code: NOT_FOUND")}},
		{name: "bad request", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 400, Code: "BAD_REQUEST", Message: "Key contains a forbidden sequence."})...)
		}, want: []*regexp.Regexp{words("HostUp API Rejected the Request"), words("Key contains a forbidden sequence."), words("HTTP status: 400, API code: BAD_REQUEST")}},
		{name: "server error", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 503, Code: "internal_error", Message: "Storage backend unavailable.", Envelope: emulator.EnvelopeProblem})...)
		}, want: []*regexp.Regexp{words("HostUp API Error"), words("Storage backend unavailable."), words("give HostUp support the request ID"),
			regexp.MustCompile(`HTTP\s+status:\s+503,\s+API\s+code:\s+internal_error,\s+Request\s+ID:\s+[0-9a-f-]{36},\s+attempts:\s+2`)}},
		{name: "rate limited", setup: func(e *emulator.Emulator) {
			e.SetFaults(emulator.Faults{RateLimitNext: 100, RetryAfter: 1})
		}, want: []*regexp.Regexp{words("HostUp API Rate Limit Exceeded"), words("The API asked to wait 1s."), words("HTTP status: 429, API code: rate_limited, Request ID:"), words("attempts: 2")}},
		{name: "malformed body", setup: func(e *emulator.Emulator) {
			e.SetFaults(emulator.Faults{MalformedNext: 100})
		}, want: []*regexp.Regexp{words("Unexpected Response from the HostUp API"), words("not a JSON object")}},
		{name: "empty url", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 200, Body: []byte(`{"success":true,"requestId":"r-77","data":{"url":"","expiresIn":900}}`)})...)
		}, want: []*regexp.Regexp{words(`"url" is missing or empty`), words("Request ID: r-77")}},
		{name: "success false", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 200, Body: []byte(`{"success":false}`)})...)
		}, want: []*regexp.Regexp{words(`response envelope says "success": false`)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, emulator.Options{Envelope: tc.envelop})
			if tc.setup != nil {
				tc.setup(e)
			}
			bucket, key := tc.bucket, tc.apiKey
			if bucket == "" {
				bucket = "media"
			}
			if key == "" {
				key = emulator.DefaultAPIKey
			}
			cfg := fmt.Sprintf(`
provider "hostup" {
  endpoint    = %q
  api_key     = %q
  max_retries = 1
}
data "hostup_presigned_url" "test" {
  bucket = %q
  key    = "k"
  action = "download"
}
`, e.APIURL(), key, bucket)
			steps := make([]resource.TestStep, 0, len(tc.want))
			for _, re := range tc.want {
				steps = append(steps, resource.TestStep{Config: cfg, ExpectError: re})
			}
			unitSteps(t, steps...)
		})
	}
}

func TestPresignedURLDataSource_unreachableEndpoint(t *testing.T) {
	unsetEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String() + "/api"
	_ = ln.Close()
	unitSteps(t, resource.TestStep{
		Config: fmt.Sprintf(`
provider "hostup" {
  endpoint    = %q
  api_key     = "k"
  max_retries = 1
}
data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`, endpoint),
		ExpectError: regexp.MustCompile(`Unable to Reach the HostUp API(.|\n)*` + regexp.QuoteMeta(endpoint) + `\s+after\s+2\s+attempts`),
	})
}
