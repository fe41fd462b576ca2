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
