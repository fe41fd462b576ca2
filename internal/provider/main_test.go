// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// protoV6ProviderFactories serves the provider in-process to the CLI that
// terraform-plugin-testing runs (TF_ACC_TERRAFORM_PATH).
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"hostup": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// noCLI is why a test that needs a CLI skips without one: `go test ./...`
// on a machine without Terraform or OpenTofu runs the unit tests and skips
// these, saying how to run them. make test always gives one, and fails a run
// in which any test skips for this reason.
const noCLI = "this test runs a Terraform or OpenTofu CLI, and there is none: run make test (or set TF_ACC_TERRAFORM_PATH to one)"

// requireCLI skips a test that runs a CLI when there is none.
func requireCLI(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip(noCLI)
	}
}

// unitTest is resource.UnitTest, skipped without a CLI.
func unitTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	requireCLI(t)
	resource.UnitTest(t, tc)
}

// unitSteps runs steps as a unitTest of this provider alone, the case most
// tests need: no other provider, no CheckDestroy.
func unitSteps(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	unitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
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
	} else {
		fmt.Println("provider tests: no CLI, so only the tests that need none run; for the others, run make test (or set TF_ACC_TERRAFORM_PATH)")
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
