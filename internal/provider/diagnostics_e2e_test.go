// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"strings"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// What a user sees in the terminal, through the CLI as a separate process.

// TF_LOG_PROVIDER_HOSTUP_API sets the API subsystem's level on its own: with
// the rest of the provider at WARN, it alone decides whether API calls are
// logged. (The CLI passes on provider lines only up to TF_LOG_PROVIDER.)
func TestCLI_apiLogLevelVariable(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	run := func(apiLevel string) string {
		h := newConfigHarness(t, e, presignedURLBlock)
		h.setEnv("TF_LOG_PROVIDER", "DEBUG")
		h.setEnv("TF_LOG_SDK", "WARN")
		h.setEnv("TF_LOG_PROVIDER_HOSTUP", "WARN")
		if apiLevel != "" {
			h.setEnv("TF_LOG_PROVIDER_HOSTUP_API", apiLevel)
		}
		return h.runCombined("plan", "-no-color")
	}
	on := run("DEBUG")
	if !strings.Contains(on, "HostUp API call") || !strings.Contains(on, "/object-storage/buckets/media/presign") {
		t.Errorf("TF_LOG_PROVIDER_HOSTUP_API=DEBUG: no API call logged:\n%s", on)
	}
	if strings.Contains(on, "Configured HostUp API client") {
		t.Errorf("TF_LOG_PROVIDER_HOSTUP_API=DEBUG raised the whole provider's level:\n%s", on)
	}
	if off := run(""); strings.Contains(off, "HostUp API call") {
		t.Errorf("without TF_LOG_PROVIDER_HOSTUP_API, API calls were logged at the provider's WARN level:\n%s", off)
	}
}

// An endpoint that is not HostUp's API is named as the problem, not the key
// or the bucket, and is not retried.
func TestCLI_endpointMistakes(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	for name, endpoint := range map[string]string{
		"without /api": strings.TrimSuffix(e.APIURL(), "/api"),
		"the S3 URL":   e.S3URL(),
	} {
		t.Run(name, func(t *testing.T) {
			h := newConfigHarness(t, e, presignedURLBlock)
			h.setEnv(provider.EnvEndpoint, endpoint)
			out := h.runFailing("plan", "-no-color")
			for _, want := range []string{"Endpoint Is Not the HostUp API", "HOSTUP_ENDPOINT", "https://cloud.hostup.se/api"} {
				if !words(want).MatchString(out) {
					t.Errorf("missing %q in:\n%s", want, out)
				}
			}
			if words("Bucket Not Found").MatchString(out) || words("API Key Rejected").MatchString(out) || attemptsPattern.MatchString(out) {
				t.Errorf("misclassified or retried:\n%s", out)
			}
		})
	}
}

// Failures that cannot pass on a retry fail at once, with a clear text.
func TestCLI_permanentFailuresAreNotRetried(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	plain := strings.TrimPrefix(e.APIURL(), "http://")
	for name, tc := range map[string]struct{ endpoint, want string }{
		"unknown host":         {"https://hostup-endpoint.invalid/api", "no such host"},
		"https to a plain one": {"https://" + plain, "server gave HTTP response to HTTPS client"},
	} {
		t.Run(name, func(t *testing.T) {
			h := newConfigHarness(t, e, presignedURLBlock)
			h.setEnv(provider.EnvEndpoint, tc.endpoint)
			out := h.runFailing("plan", "-no-color")
			if !words("Unable to Reach the HostUp API").MatchString(out) || !words(tc.want).MatchString(out) {
				t.Errorf("want %q in:\n%s", tc.want, out)
			}
			if attemptsPattern.MatchString(out) {
				t.Errorf("retried:\n%s", out)
			}
		})
	}
}

// request_timeout = "30" gets one diagnostic, on the attribute, with the fix.
func TestCLI_requestTimeoutWithoutUnit(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	h := newConfigHarness(t, e, `provider "hostup" { request_timeout = "30" }`+presignedURLBlock)
	out := h.runFailing("plan", "-no-color")
	if n := strings.Count(out, "Error: "); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, out)
	}
	for _, bad := range []string{`\n`, "missing unit"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q in:\n%s", bad, out)
		}
	}
	if !words(`Use "30s" for 30 seconds.`).MatchString(out) || !strings.Contains(out, "request_timeout") {
		t.Errorf("no fix on the attribute:\n%s", out)
	}
}
