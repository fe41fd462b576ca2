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
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// Bad arguments fail at plan time, before any API call.
func TestPresignedURLDataSource_planTimeValidation(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"bucket too short", `bucket = "ab"` + "\n" + `key = "k"` + "\n" + `action = "download"`,
			words(`Attribute bucket string length must be between 3 and 63, got: 2`)},
		{"bucket too long", `bucket = "` + strings.Repeat("a", 64) + `"` + "\n" + `key = "k"` + "\n" + `action = "download"`,
			words(`Attribute bucket string length must be between 3 and 63, got: 64`)},
		{"bucket upper case", `bucket = "Media"` + "\n" + `key = "k"` + "\n" + `action = "download"`,
			words(`Attribute bucket must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)`)},
		{"bucket with underscore", `bucket = "my_bucket"` + "\n" + `key = "k"` + "\n" + `action = "download"`,
			words(`Attribute bucket must contain only lowercase letters`)},
		{"empty key", `bucket = "media"` + "\n" + `key = ""` + "\n" + `action = "download"`,
			words(`Attribute key string length must be between 1 and 1024, got: 0`)},
		{"key over 1024 bytes", `bucket = "media"` + "\n" + `key = "` + strings.Repeat("ö", 513) + `"` + "\n" + `action = "download"`,
			words(`Attribute key string length must be between 1 and 1024, got: 1026`)},
		{"unknown action", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "delete"`,
			words(`Attribute action value must be one of: ["download" "upload"], got: "delete"`)},
		{"bad content type", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "upload"` + "\n" + `content_type = "not a type"`,
			words(`Invalid Content Type`)},
		{"content type without subtype", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "upload"` + "\n" + `content_type = "text"`,
			words(`"text" is not a valid media type (expected type/subtype)`)},
		{"content type with NUL in a parameter", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "upload"` + "\n" + `content_type = "text/plain; name=\"a\u0000b\""`,
			words(`it contains a control character, which an HTTP header cannot carry`)},
		{"content type with DEL in a parameter", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "upload"` + "\n" + `content_type = "text/plain; name=\"a\u007fb\""`,
			words(`it contains a control character`)},
		{"content type on download", `bucket = "media"` + "\n" + `key = "k"` + "\n" + `action = "download"` + "\n" + `content_type = "text/plain"`,
			words(`Content Type Only Applies to Uploads`)},
		{"missing key argument", `bucket = "media"` + "\n" + `action = "download"`,
			words(`The argument "key" is required`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      dataSourceConfig(e, tc.body),
					ExpectError: tc.want,
				}},
			})
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            dataSourceConfig(e, fmt.Sprintf("bucket = \"media\"\nkey = %q\naction = \"download\"", key)),
			ConfigStateChecks: []statecheck.StateCheck{stateValue("key", knownvalue.StringExact(key))},
		}},
	})
}

func TestProvider_configuration(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ds := `
data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`
	cases := []struct {
		name, provider string
		env            map[string]string
		want           *regexp.Regexp // nil: must succeed
	}{
		{"missing key", `provider "hostup" { endpoint = "` + e.APIURL() + `" }`, nil,
			words(`Missing HostUp API Key`)},
		{"missing key names the variable", `provider "hostup" { endpoint = "` + e.APIURL() + `" }`, nil,
			words(`Set the HOSTUP_API_KEY environment variable`)},
		{"empty key", `provider "hostup" {
  endpoint = "` + e.APIURL() + `"
  api_key  = ""
}`, map[string]string{provider.EnvAPIKey: emulator.DefaultAPIKey}, words(`Missing HostUp API Key`)},
		{"endpoint not absolute", `provider "hostup" {
  endpoint = "cloud.hostup.se/api"
  api_key  = "x"
}`, nil, words(`Invalid HostUp API Endpoint`)},
		{"endpoint wrong scheme", `provider "hostup" {
  endpoint = "ftp://cloud.hostup.se/api"
  api_key  = "x"
}`, nil, words(`must be an absolute URL starting with https://`)},
		{"endpoint from environment is checked", `provider "hostup" { api_key = "x" }`,
			map[string]string{provider.EnvEndpoint: "not a url"},
			words(`The value of the HOSTUP_ENDPOINT environment variable is not usable`)},
		{"unknown key at plan", `
resource "terraform_data" "later" { input = "x" }
provider "hostup" {
  endpoint = "` + e.APIURL() + `"
  api_key  = terraform_data.later.output
}`, nil, words(`The provider cannot be configured because api_key is not known until apply`)},
		{"max_retries too high", `provider "hostup" {
  endpoint    = "` + e.APIURL() + `"
  api_key     = "x"
  max_retries = 11
}`, nil, words("Attribute max_retries value must be between 0 and 10, got: 11")},
		{"request_timeout not a duration", `provider "hostup" {
  endpoint        = "` + e.APIURL() + `"
  api_key         = "x"
  request_timeout = "soon"
}`, nil, words(`The value of request_timeout is "soon": it is not a duration. Use a number with a unit, such as "30s"`)},
		{"request_timeout negative", `provider "hostup" {
  endpoint        = "` + e.APIURL() + `"
  api_key         = "x"
  request_timeout = "-5s"
}`, nil, words(`The value of request_timeout is "-5s": it must be above 0 and at most 10m0s`)},
		{"request_timeout without a unit", `provider "hostup" {
  endpoint        = "` + e.APIURL() + `"
  api_key         = "x"
  request_timeout = "30"
}`, nil, words(`The value of request_timeout is "30": a duration needs a unit. Use "30s" for 30 seconds.`)},
		{"plain http to a remote host", `provider "hostup" {
  endpoint = "http://cloud.hostup.se/api"
  api_key  = "x"
}`, nil, words(`uses plain http:// to a host that is not this machine, so the API key would cross the network unencrypted; use https://`)},
		{"plain http to a remote host from the environment", `provider "hostup" { api_key = "x" }`,
			map[string]string{provider.EnvEndpoint: "http://cloud.hostup.se/api"}, words(`The value of the HOSTUP_ENDPOINT environment variable is not usable: endpoint "http://cloud.hostup.se/api" uses plain http://`)},
		{"endpoint credentials are not quoted", `provider "hostup" {
  endpoint = "https://admin:hunter2@cloud.hostup.se/api"
  api_key  = "x"
}`, nil, words(`endpoint "https://cloud.hostup.se/api" must not carry credentials in the URL`)},
		{"max retries from environment is checked", `provider "hostup" { api_key = "x" }`,
			map[string]string{provider.EnvMaxRetries: "many"}, words(`The value of the HOSTUP_MAX_RETRIES environment variable is "many"`)},
		{"request timeout from environment is checked", `provider "hostup" { api_key = "x" }`,
			map[string]string{provider.EnvRequestTimeout: "0s"}, words(`The value of the HOSTUP_REQUEST_TIMEOUT environment variable is "0s"`)},
		{"a bad environment value is not read when the argument is set", `provider "hostup" {
  endpoint        = "` + e.APIURL() + `"
  api_key         = "` + emulator.DefaultAPIKey + `"
  max_retries     = 1
  request_timeout = "20s"
}`, map[string]string{provider.EnvMaxRetries: "many", provider.EnvRequestTimeout: "soon"}, nil},
		{"environment fallback", `provider "hostup" {}`,
			map[string]string{provider.EnvAPIKey: emulator.DefaultAPIKey, provider.EnvEndpoint: e.APIURL()}, nil},
		{"configuration wins over environment", `provider "hostup" {
  endpoint = "` + e.APIURL() + `"
  api_key  = "` + emulator.DefaultAPIKey + `"
}`, map[string]string{provider.EnvAPIKey: "wrong-key", provider.EnvEndpoint: "http://127.0.0.1:1/api"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unsetEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			step := resource.TestStep{Config: tc.provider + ds, ExpectError: tc.want}
			if tc.want == nil {
				step.ConfigStateChecks = []statecheck.StateCheck{stateValue("http_method", knownvalue.StringExact("GET"))}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{step}})
		})
	}
}

// Settings follow one rule, and only the right source makes each case pass:
// the API fails a scripted number of times, or answers slower than one of
// the two timeouts.
func TestProvider_retrySettingsPrecedence(t *testing.T) {
	cases := []struct {
		name     string
		settings string // provider block lines
		env      map[string]string
		failures int           // 503s before the API answers
		latency  time.Duration // added to every answer
		want     *regexp.Regexp
	}{
		{name: "configuration wins over the environment", settings: "max_retries = 2",
			env: map[string]string{provider.EnvMaxRetries: "0"}, failures: 2},
		{name: "configuration wins even when it retries less", settings: "max_retries = 1",
			env: map[string]string{provider.EnvMaxRetries: "4"}, failures: 2, want: words("attempts: 2")},
		{name: "environment when unset", env: map[string]string{provider.EnvMaxRetries: "1"}, failures: 2,
			want: words("attempts: 2")},
		{name: "default when neither", failures: 4},
		{name: "request_timeout wins over the environment", settings: "max_retries = 0\nrequest_timeout = \"10s\"",
			env: map[string]string{provider.EnvRequestTimeout: "100ms"}, latency: 400 * time.Millisecond},
		{name: "request timeout from the environment", settings: "max_retries = 0",
			env: map[string]string{provider.EnvRequestTimeout: "100ms"}, latency: 400 * time.Millisecond,
			want: words("no answer within the request timeout of 100ms")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unsetEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			e := startEmulator(t, emulator.Options{})
			failing := make([]emulator.Reply, tc.failures)
			for i := range failing {
				failing[i] = emulator.Reply{Status: 503, Code: "INTERNAL_ERROR", Message: "Try again."}
			}
			e.ReplyNext(failing...)
			e.SetFaults(emulator.Faults{Latency: tc.latency})
			step := resource.TestStep{Config: fmt.Sprintf(`
provider "hostup" {
  endpoint = %q
  api_key  = %q
  %s
}
data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`, e.APIURL(), emulator.DefaultAPIKey, tc.settings), ExpectError: tc.want}
			if tc.want == nil {
				step.ConfigStateChecks = []statecheck.StateCheck{stateValue("http_method", knownvalue.StringExact("GET"))}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{step}})
		})
	}
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
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
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
		}},
	})
}

// repeated queues a scripted reply for every read in a test step: each step
// reads the data source more than once (plan, apply, refresh).
func repeated(r emulator.Reply) []emulator.Reply {
	out := make([]emulator.Reply, 50)
	for i := range out {
		out[i] = r
	}
	return out
}
