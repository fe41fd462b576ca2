// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// protoV6ProviderFactories serves the provider in-process to the CLI that
// terraform-plugin-testing runs (TF_ACC_TERRAFORM_PATH).
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"hostup": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// TestMain names the CLI every provider test in this run goes through, so
// the test output shows which of Terraform and OpenTofu was exercised.
func TestMain(m *testing.M) {
	if cli := os.Getenv("TF_ACC_TERRAFORM_PATH"); cli != "" {
		out, err := exec.Command(cli, "version").Output()
		first, _, _ := strings.Cut(string(out), "\n")
		if err != nil {
			first = "version unknown: " + err.Error()
		}
		fmt.Printf("provider tests run through %s (%s)\n", first, cli)
	}
	// The provider binary that end-to-end tests build is shared by them all.
	var err error
	if pluginDir, err = os.MkdirTemp("", "hostup-provider-"); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(pluginDir)
	os.Exit(code)
}

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

// providerBlock configures the provider against the emulator.
func providerBlock(e *emulator.Emulator) string {
	return fmt.Sprintf(`
provider "hostup" {
  endpoint = %q
  api_key  = %q
}
`, e.APIURL(), emulator.DefaultAPIKey)
}

// words turns a phrase into a regexp that survives the CLI's line wrapping.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// unsetEnv clears the provider's environment fallbacks for one test.
func unsetEnv(t *testing.T) {
	t.Helper()
	t.Setenv(provider.EnvAPIKey, "")
	t.Setenv(provider.EnvEndpoint, "")
	t.Setenv(provider.EnvMaxRetries, "")
	t.Setenv(provider.EnvRequestTimeout, "")
}

// nowFunc is the real clock, for tests where the CLI process compares times
// (plantimestamp) with the emulator's.
func nowFunc() func() time.Time { return time.Now }
