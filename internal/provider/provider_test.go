// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

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
}`, nil, words(`uses plain http:// to a host that is not this machine, so credentials would cross the network unencrypted; use https://`)},
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
			unitSteps(t, step)
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
			unitSteps(t, step)
		})
	}
}
