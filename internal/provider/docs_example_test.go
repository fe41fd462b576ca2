// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// hclBlock is the first terraform code block of a generated docs page.
var hclBlock = regexp.MustCompile("(?s)```terraform\n(.*?)```")

// The example on the registry page works unchanged, configured only through
// the environment, as a user who copies it would run it.
func TestDocsExample_presignedURLDataSource(t *testing.T) {
	page, err := os.ReadFile("../../docs/data-sources/presigned_url.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := hclBlock.FindAllSubmatch(page, -1)
	if len(blocks) < 2 {
		t.Fatalf("docs/data-sources/presigned_url.md has %d terraform examples, want 2", len(blocks))
	}
	m := blocks[0]
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}})
	t.Setenv(provider.EnvAPIKey, emulator.DefaultAPIKey)
	t.Setenv(provider.EnvEndpoint, e.APIURL())
	unitSteps(t, resource.TestStep{
		Config: string(m[1]),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.hostup_presigned_url.bootstrap", tfjsonpath.New("http_method"), knownvalue.StringExact("GET")),
			statecheck.ExpectKnownValue("data.hostup_presigned_url.results", tfjsonpath.New("http_method"), knownvalue.StringExact("PUT")),
			statecheck.ExpectKnownOutputValue("bootstrap_link_expires_at", knownvalue.StringExact("2026-02-10T12:15:00Z")),
			statecheck.ExpectSensitiveValue("data.hostup_presigned_url.bootstrap", tfjsonpath.New("url")),
		},
	})
}

// The stable-URL example works as written, with the key pair from its
// variables, and signs locally.
func TestDocsExample_presignedURLDataSourceStable(t *testing.T) {
	unsetEnv(t)
	page, err := os.ReadFile("../../docs/data-sources/presigned_url.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := hclBlock.FindAllSubmatch(page, -1)
	if len(blocks) < 2 {
		t.Fatal("docs/data-sources/presigned_url.md has no stable-URL example")
	}
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}})
	t.Setenv(provider.EnvS3Endpoint, e.S3URL())
	t.Setenv("TF_VAR_s3_access_key_id", emulator.DefaultAccessKeyID)
	t.Setenv("TF_VAR_s3_secret_access_key", emulator.DefaultSecretAccessKey)
	unitSteps(t, resource.TestStep{
		Config: string(blocks[1][1]),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.hostup_presigned_url.stable", tfjsonpath.New("request_id"), knownvalue.Null()),
			statecheck.ExpectKnownOutputValue("stable_link_rotates_at", knownvalue.NotNull()),
			statecheck.ExpectSensitiveValue("data.hostup_presigned_url.stable", tfjsonpath.New("url")),
		},
	})
	if n := e.Counters().APIRequests; n != 0 {
		t.Errorf("the stable example made %d API requests", n)
	}
}

// Every registry example of a resource or data source applies as written
// against the emulator, configured only through the environment.
func TestRegistryExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/hostup_*/*.tf")
	for i, f := range files {
		if abs, err := filepath.Abs(f); err == nil {
			files[i] = abs
		}
	}
	if err != nil || len(files) < 6 {
		t.Fatalf("found %d registry examples: %v", len(files), err)
	}
	for _, file := range files {
		kind := filepath.Base(filepath.Dir(filepath.Dir(file)))
		if kind == "ephemeral-resources" || strings.HasSuffix(file, "stable-url.tf") {
			continue // run by their own tests, with their CLI versions and key pair
		}
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			unsetEnv(t)
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			usesS3 := strings.Contains(string(raw), "hostup_object\"") || strings.Contains(string(raw), "hostup_objects\"") ||
				strings.Contains(string(raw), "resource \"hostup_bucket_") // the configuration resources
			opts := emulator.Options{Buckets: []string{"deploy-artifacts"}}
			if usesS3 {
				opts.Now = nowFunc() // S3 clients sign with the real clock
			}
			e := startEmulator(t, opts)
			t.Setenv(provider.EnvAPIKey, emulator.DefaultAPIKey)
			t.Setenv(provider.EnvEndpoint, e.APIURL())
			if usesS3 {
				t.Setenv(provider.EnvS3AccessKeyID, emulator.DefaultAccessKeyID)
				t.Setenv(provider.EnvS3SecretAccessKey, emulator.DefaultSecretAccessKey)
				t.Setenv(provider.EnvS3Endpoint, e.S3URL())
			}
			// The test runs the configuration in a directory of its own:
			// path.module must name the example's, where its files are.
			config := strings.ReplaceAll(string(raw), "${path.module}", filepath.Dir(file))
			unitSteps(t, resource.TestStep{Config: config})
		})
	}
}
