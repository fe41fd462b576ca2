// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// 200 presigned URLs plan without an error at the default parallelism while
// the API rate-limits, fails, drops connections and lags, and every URL then
// works at the S3 side.
func TestCLI_faultInjectedLoad(t *testing.T) {
	const n = 200
	e := startEmulator(t, emulator.Options{Buckets: []string{"media"}, Now: nowFunc()})
	for i := 0; i < n; i++ {
		if err := e.PutObject("media", fmt.Sprintf("objects/%03d.txt", i), []byte(fmt.Sprintf("object %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	e.SetFaults(emulator.Faults{
		RateLimitRate: 0.30, RetryAfter: 1,
		ErrorRate: 0.10, ErrorStatus: http.StatusServiceUnavailable,
		DropRate: 0.05,
		Latency:  0, LatencyMax: 200 * time.Millisecond,
		// The provider retries 4 times by default: a flaky API, not a dead one.
		MaxConsecutive: 4,
	})
	h := newConfigHarness(t, e, fmt.Sprintf(`
provider "hostup" {}

data "hostup_presigned_url" "load" {
  count  = %d
  bucket = "media"
  key    = format("objects/%%03d.txt", count.index)
  action = "download"
}
`, n))
	start := time.Now()
	h.run("plan", "-no-color", "-out=tfplan")
	elapsed := time.Since(start)
	counters := e.Counters()
	e.SetFaults(emulator.Faults{})

	urls := map[string]string{}
	for _, r := range h.showPlan("tfplan").PriorState.Values.RootModule.Resources {
		if u, _ := r.Values["url"].(string); r.Mode == "data" && u != "" {
			key, _ := r.Values["key"].(string)
			urls[key] = u
		}
	}
	if len(urls) != n {
		t.Fatalf("plan holds %d URLs, want %d", len(urls), n)
	}
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("objects/%03d.txt", i)
		if err := expect("GET "+key, http.MethodGet, urls[key], "", nil, 200, fmt.Sprintf("object %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d URLs planned in %s through %d API requests (%.2f per URL) on %d connections",
		n, elapsed.Round(time.Millisecond), counters.APIRequests, float64(counters.APIRequests)/n, counters.Connections)
	if counters.APIRequests <= n {
		t.Fatalf("the API saw %d requests for %d URLs: the faults were not injected", counters.APIRequests, n)
	}
}

// With the API answering 503 every time, the plan fails after exactly
// 1 + max_retries attempts, with the last answer in the message.
func TestCLI_apiAlways503(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	e.SetFaults(emulator.Faults{ErrorRate: 1, ErrorStatus: http.StatusServiceUnavailable})
	h := newConfigHarness(t, e, `
provider "hostup" {
  max_retries     = 2
  request_timeout = "5s"
}

data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`)
	start := time.Now()
	out := h.runFailing("plan", "-no-color")
	for _, want := range []string{"HostUp API Error", "Injected Service Unavailable.", "HTTP status: 503", "attempts: 3"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := e.Counters().APIRequests; got != 3 {
		t.Errorf("API requests = %d, want 3 (1 + max_retries)", got)
	}
	t.Logf("failed after %s", time.Since(start).Round(time.Millisecond))
}

// With nothing listening, the plan fails after 1 + max_retries connection
// attempts and names the endpoint.
func TestCLI_apiUnreachable(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String() + "/api"
	_ = ln.Close()
	h := newConfigHarness(t, e, `
provider "hostup" {
  max_retries = 2
}

data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`)
	h.setEnv(provider.EnvEndpoint, endpoint)
	out := strings.Join(strings.Fields(h.runFailing("plan", "-no-color")), " ")
	for _, want := range []string{"Unable to Reach the HostUp API", endpoint + " after 3 attempts", "connection refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Neither the API key nor any part of a URL's credential reaches a TRACE log
// of plan and apply, the saved plan marks url sensitive, and an error about
// a rejected key does not repeat the key.
func TestCLI_secretHygiene(t *testing.T) {
	const apiKey = "hostup-live-key-7f3a9c1e5b"
	e := startEmulator(t, emulator.Options{APIKeys: []string{apiKey}, Now: nowFunc()})
	config := `
provider "hostup" {}

data "hostup_presigned_url" "down" {
  bucket = "media"
  key    = "secret/report.pdf"
  action = "download"
}

data "hostup_presigned_url" "up" {
  bucket       = "media"
  key          = "secret/upload.bin"
  action       = "upload"
  content_type = "application/octet-stream"
}

output "expires_at" {
  value = data.hostup_presigned_url.down.expires_at
}
`
	h := newConfigHarness(t, e, config)
	h.setEnv(provider.EnvAPIKey, apiKey)
	h.traceLog()
	h.run("plan", "-no-color", "-out=tfplan")
	h.run("apply", "-no-color", "tfplan")
	plan := h.showPlan("tfplan")

	secrets := []string{apiKey}
	for _, r := range plan.PriorState.Values.RootModule.Resources {
		u, _ := r.Values["url"].(string)
		if u == "" {
			t.Fatalf("%s: no url in the saved plan", r.Address)
		}
		if r.SensitiveValues["url"] != true {
			t.Errorf("%s: url is not marked sensitive in the saved plan (%v)", r.Address, r.SensitiveValues)
		}
		for _, param := range []string{"X-Amz-Signature=", "X-Amz-Credential="} {
			i := strings.Index(u, param)
			if i < 0 {
				t.Fatalf("%s: URL has no %s", r.Address, param)
			}
			value, _, _ := strings.Cut(u[i+len(param):], "&")
			secrets = append(secrets, value)
		}
	}
	// The state's URLs are new (read again at apply); take theirs too.
	for _, r := range h.showState().RootModule.Resources {
		u, _ := r.Values["url"].(string)
		if i := strings.Index(u, "X-Amz-Signature="); i >= 0 {
			secrets = append(secrets, u[i+len("X-Amz-Signature="):])
		}
	}

	logs := h.logs()
	if !strings.Contains(string(logs), "hostup_api") {
		t.Fatalf("the TRACE log holds no provider API lines; is the provider logging?\n%.2000s", logs)
	}
	h.assertNoSecrets(h.logFile, secrets...)

	// A rejected key: the diagnostic says which variable to check, not the key.
	failingPlanHides(t, e, config, map[string]string{provider.EnvAPIKey: apiKey + "-revoked"}, "HostUp API Key Rejected", apiKey)
}

// failingPlanHides plans config with env set on top of the harness's own:
// the plan must fail with a diagnostic that says want and never shows
// secret.
func failingPlanHides(t *testing.T, e *emulator.Emulator, config string, env map[string]string, want, secret string) {
	t.Helper()
	h := newConfigHarness(t, e, config)
	for k, v := range env {
		h.setEnv(k, v)
	}
	out := h.runFailing("plan", "-no-color")
	if !strings.Contains(out, want) || strings.Contains(out, secret) {
		t.Errorf("plan output, want %q and not the secret:\n%s", want, out)
	}
}

// A configuration that asks for the same URL 100 times plans with one API
// call, and every read gets the same URL.
func TestCLI_identicalURLsShareOneAPICall(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	h := newConfigHarness(t, e, `
provider "hostup" {}

data "hostup_presigned_url" "same" {
  count  = 100
  bucket = "media"
  key    = "shared/artifact.tar.gz"
  action = "download"
}
`)
	h.run("plan", "-no-color", "-out=tfplan")
	if got := e.Counters().APIRequests; got != 1 {
		t.Fatalf("100 identical data sources made %d API calls, want 1", got)
	}
	seen := map[string]bool{}
	for _, r := range h.showPlan("tfplan").PriorState.Values.RootModule.Resources {
		if u, _ := r.Values["url"].(string); u != "" {
			seen[u] = true
		}
	}
	if len(seen) != 1 {
		t.Fatalf("the 100 reads got %d different URLs, want 1", len(seen))
	}
}

// With a key pair, the secret access key reaches no TRACE log line, no
// diagnostic, no state file and no saved plan, whether it signs URLs or
// uploads objects; no API request is made.
func TestCLI_localSigningSecretHygiene(t *testing.T) {
	const secret = "s3-secret-9e7d5c3b1a-not-for-logs"
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	e.AddKeyPair("HUTESTKEYPAIR0001", secret)
	config := `
data "hostup_presigned_url" "down" {
  bucket          = "media"
  key             = "secret/report.pdf"
  action          = "download"
  rotation_period = "24h"
  expires_in      = 86400
}

resource "terraform_data" "instance" {
  input = data.hostup_presigned_url.down.url
}

resource "hostup_object" "report" {
  bucket  = "media"
  key     = "secret/report.pdf"
  content = "report"
}
`
	h := newConfigHarness(t, e, config)
	h.setEnv(provider.EnvAPIKey, "")
	h.setEnv(provider.EnvS3AccessKeyID, "HUTESTKEYPAIR0001")
	h.setEnv(provider.EnvS3SecretAccessKey, secret)
	h.setEnv(provider.EnvS3Endpoint, e.S3URL())
	h.traceLog()
	h.run("plan", "-no-color", "-out=tfplan")
	h.run("apply", "-no-color", "tfplan")
	second := h.run("plan", "-no-color", "-detailed-exitcode")
	if !strings.Contains(second, "No changes.") {
		t.Errorf("the second plan within one period shows changes:\n%s", second)
	}

	logs := h.logs()
	if !strings.Contains(string(logs), "Signed a presigned URL locally") {
		t.Fatalf("the TRACE log has no local signing line:\n%.2000s", logs)
	}
	// S3 traffic is logged in its own subsystem, masked like the rest.
	if !regexp.MustCompile(`HostUp S3 call: .*@module=hostup\.hostup_s3.*operation=PutObject|HostUp S3 call: .*operation=PutObject.*@module=hostup\.hostup_s3`).Match(logs) {
		t.Errorf("the TRACE log has no S3 subsystem line for the upload:\n%s", grepLines(logs, "hostup_s3"))
	}
	h.assertNoSecrets(h.logFile, secret)
	h.assertNoSecrets(filepath.Join(h.dir, "terraform.tfstate"), secret)
	h.assertNoSecrets(filepath.Join(h.dir, "tfplan"), secret)
	if n := e.Counters().APIRequests; n != 0 {
		t.Errorf("local signing made %d API requests", n)
	}

	// A diagnostic about the pair names the setting, never the secret.
	failingPlanHides(t, e, config, map[string]string{provider.EnvAPIKey: "", provider.EnvS3SecretAccessKey: secret},
		"Incomplete HostUp S3 Key Pair", secret)
}

// A key pair's secret reaches no TRACE log line when it is created and
// deleted; it is in state, marked sensitive.
func TestCLI_keyPairSecretHygiene(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	h := newConfigHarness(t, e, `
resource "hostup_object_storage_key" "ci" {
  label = "ci"
}

resource "hostup_bucket" "artifacts" {
  name = "ci-artifacts"
}
`)
	h.traceLog()
	h.run("apply", "-auto-approve", "-no-color")

	var secret string
	for _, r := range h.showState().RootModule.Resources {
		if r.Address == "hostup_object_storage_key.ci" {
			secret, _ = r.Values["secret_access_key"].(string)
			if r.SensitiveValues["secret_access_key"] != true {
				t.Errorf("secret_access_key is not marked sensitive: %v", r.SensitiveValues)
			}
		}
	}
	if len(secret) < 20 {
		t.Fatalf("no secret in state: %q", secret)
	}
	h.run("destroy", "-auto-approve", "-no-color")
	logs := h.logs()
	if !strings.Contains(string(logs), "/object-storage/keys") {
		t.Fatalf("the TRACE log has no key pair API lines:\n%.2000s", logs)
	}
	h.assertNoSecrets(h.logFile, secret, emulator.DefaultAPIKey)
}

// grepLines is the lines of b that contain s, for failure messages.
func grepLines(b []byte, s string) string {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
