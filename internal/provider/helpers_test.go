// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// Helpers shared by the provider tests: the emulator, configurations, state
// checks and S3 round trips.

// fixedNow is the emulator clock in tests, so timestamps are exact.
var fixedNow = time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)

// startEmulator runs a HostUp emulator for one test with bucket "media",
// its clock stopped at fixedNow unless opts says otherwise.
func startEmulator(t *testing.T, opts emulator.Options) *emulator.Emulator {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	return emulatortest.Start(t, opts)
}

// nowFunc is the real clock, for tests where the CLI process compares times
// (plantimestamp) with the emulator's.
func nowFunc() func() time.Time { return time.Now }

// providerBlock configures the provider against the emulator.
func providerBlock(e *emulator.Emulator) string {
	return fmt.Sprintf(`
provider "hostup" {
  endpoint = %q
  api_key  = %q
}
`, e.APIURL(), emulator.DefaultAPIKey)
}

// keyPairArguments point the provider at the emulator's S3 side, signing
// with the emulator's key pair.
func keyPairArguments(e *emulator.Emulator) string {
	return fmt.Sprintf("  s3_access_key_id     = %q\n  s3_secret_access_key = %q\n  s3_endpoint          = %q\n",
		emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey, e.S3URL())
}

// keyPairProviderBlock configures local signing against e's S3 side, with
// no API key.
func keyPairProviderBlock(e *emulator.Emulator) string {
	return "\nprovider \"hostup\" {\n" + keyPairArguments(e) + "}\n"
}

// keyPairAndAPIProviderBlock configures both the API and the key pair.
func keyPairAndAPIProviderBlock(e *emulator.Emulator) string {
	return fmt.Sprintf("\nprovider \"hostup\" {\n  endpoint = %q\n  api_key  = %q\n", e.APIURL(), emulator.DefaultAPIKey) +
		keyPairArguments(e) + "}\n"
}

func dataSourceConfig(e *emulator.Emulator, body string) string {
	return providerBlock(e) + `
data "hostup_presigned_url" "test" {
` + body + `
}
`
}

// unsetEnv clears the provider's environment fallbacks for one test.
func unsetEnv(t *testing.T) {
	t.Helper()
	t.Setenv(provider.EnvAPIKey, "")
	t.Setenv(provider.EnvEndpoint, "")
	t.Setenv(provider.EnvMaxRetries, "")
	t.Setenv(provider.EnvRequestTimeout, "")
	t.Setenv(provider.EnvS3AccessKeyID, "")
	t.Setenv(provider.EnvS3SecretAccessKey, "")
	t.Setenv(provider.EnvS3Endpoint, "")
	t.Setenv(provider.EnvS3Region, "")
}

// words turns a phrase into a regexp that survives the CLI's line wrapping.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

const uuidPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`

// valueIn makes the state checks of one block: attr of the block at
// address, once a step has applied.
func valueIn(address string) func(attr string, check knownvalue.Check) statecheck.StateCheck {
	return func(attr string, check knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(address, tfjsonpath.New(attr), check)
	}
}

// The state checks of the blocks most tests configure.
var (
	stateValue  = valueIn("data.hostup_presigned_url.test")
	bucketValue = valueIn("hostup_bucket.test")
	objectValue = valueIn("hostup_object.test")
)

func sensitiveInState(attr string) statecheck.StateCheck {
	return statecheck.ExpectSensitiveValue("data.hostup_presigned_url.test", tfjsonpath.New(attr))
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

// repeated queues a scripted reply for every read in a test step: each step
// reads the data source more than once (plan, apply, refresh).
func repeated(r emulator.Reply) []emulator.Reply {
	out := make([]emulator.Reply, 50)
	for i := range out {
		out[i] = r
	}
	return out
}

// urlsCheck hands the url attribute of every data source in state, by
// address, to fn once the step has applied.
type urlsCheck func(urls map[string]string) error

func (c urlsCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	urls := map[string]string{}
	collectURLs(req.State.Values.RootModule, urls)
	resp.Error = c(urls)
}

// collectURLs finds every url attribute in state: a data source's own, or
// one the echo provider copied from an ephemeral resource (its data.url).
func collectURLs(m *tfjson.StateModule, urls map[string]string) {
	for _, r := range m.Resources {
		if u, ok := r.AttributeValues["url"].(string); ok {
			urls[r.Address] = u
		}
		if data, ok := r.AttributeValues["data"].(map[string]any); ok {
			if u, ok := data["url"].(string); ok {
				urls[r.Address] = u
			}
		}
	}
	for _, child := range m.ChildModules {
		collectURLs(child, urls)
	}
}

// expect checks one S3 exchange: the status and a fragment of the body.
func expect(what, method, url, contentType string, body []byte, wantStatus int, wantBody string) error {
	status, got, err := emulatortest.Do(method, url, contentType, body)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if status != wantStatus || !strings.Contains(got, wantBody) {
		return fmt.Errorf("%s: HTTP %d %q, want %d containing %q", what, status, got, wantStatus, wantBody)
	}
	return nil
}
