// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// Provider functions need Terraform 1.8+ (OpenTofu 1.7+).
var functionVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// functionTest runs steps as a unitTest, skipped under CLIs without provider
// functions.
func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	unitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionVersions,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
	})
}

// parsedOutput is the configuration of output "parsed": url, parsed.
func parsedOutput(url string) string {
	return fmt.Sprintf("output \"parsed\" {\n  value = provider::hostup::parse_presigned_url(%q)\n}\n", url)
}

const (
	fnDownload = "https://s3.hostup.se/f13/example.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=5f1b&x-id=GetObject"
	fnUpload   = "https://s3.hostup.se/f13/in%20box/r%C3%A4k%2Bsm%C3%B6r%25%3F%23.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T235959Z&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=77aa&x-id=PutObject"
)

func parsedObject(endpoint, bucket, key string, method knownvalue.Check, signedAt string, expiresIn int64, expiresAt string, headers ...string) knownvalue.Check {
	return parsedObjectWith(map[string]knownvalue.Check{}, endpoint, bucket, key, method, signedAt, expiresIn, expiresAt, headers...)
}

func parsedObjectWith(overrides map[string]knownvalue.Check, endpoint, bucket, key string, method knownvalue.Check, signedAt string, expiresIn int64, expiresAt string, headers ...string) knownvalue.Check {
	hs := make([]knownvalue.Check, len(headers))
	for i, h := range headers {
		hs[i] = knownvalue.StringExact(h)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"endpoint":           knownvalue.StringExact(endpoint),
		"bucket":             knownvalue.StringExact(bucket),
		"key":                knownvalue.StringExact(key),
		"http_method":        method,
		"signed_at":          knownvalue.StringExact(signedAt),
		"expires_in":         knownvalue.Int64Exact(expiresIn),
		"expires_at":         knownvalue.StringExact(expiresAt),
		"signed_headers":     knownvalue.ListExact(hs),
		"credential_scope":   knownvalue.StringExact(signedAt[:4] + signedAt[5:7] + signedAt[8:10] + "/eu-north-1/s3/aws4_request"),
		"region":             knownvalue.StringExact("eu-north-1"),
		"response_overrides": knownvalue.MapExact(overrides),
	})
}

func TestParsePresignedURLFunction_valid(t *testing.T) {
	cases := []struct {
		name, url string
		want      knownvalue.Check
	}{
		{"download", fnDownload, parsedObject("https://s3.hostup.se", "f13", "example.pdf", knownvalue.StringExact("GET"),
			"2026-02-10T00:00:00Z", 900, "2026-02-10T00:15:00Z", "host")},
		{"upload with odd key", fnUpload, parsedObject("https://s3.hostup.se", "f13", "in box/räk+smör%?#.txt", knownvalue.StringExact("PUT"),
			"2026-02-10T23:59:59Z", 60, "2026-02-11T00:00:59Z", "content-type", "host")},
		{"download with response overrides", strings.Replace(fnDownload, "&x-id=GetObject", "&response-content-disposition=attachment%3B%20filename%3D%22a.pdf%22&response-cache-control=no-store&x-id=GetObject", 1),
			parsedObjectWith(map[string]knownvalue.Check{
				"response-content-disposition": knownvalue.StringExact(`attachment; filename="a.pdf"`),
				"response-cache-control":       knownvalue.StringExact("no-store"),
			}, "https://s3.hostup.se", "f13", "example.pdf", knownvalue.StringExact("GET"), "2026-02-10T00:00:00Z", 900, "2026-02-10T00:15:00Z", "host")},
		{"without x-id", strings.Replace(fnDownload, "&x-id=GetObject", "", 1), parsedObject("https://s3.hostup.se", "f13", "example.pdf", knownvalue.Null(),
			"2026-02-10T00:00:00Z", 900, "2026-02-10T00:15:00Z", "host")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			functionTest(t, resource.TestStep{
				Config:            parsedOutput(tc.url),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("parsed", tc.want)},
			})
		})
	}
}

func TestParsePresignedURLFunction_invalid(t *testing.T) {
	cases := []struct {
		name, url string
		want      *regexp.Regexp
	}{
		{"not a URL", "definitely not a url", words("not an absolute http(s) URL")},
		{"no signature", strings.Replace(fnDownload, "&X-Amz-Signature=5f1b", "", 1), words("has no X-Amz-Signature")},
		{"bad date", strings.Replace(fnDownload, "20260210T000000Z", "yesterday", 1), words("X-Amz-Date is missing or not of the form")},
		{"negative expiry", strings.Replace(fnDownload, "X-Amz-Expires=900", "X-Amz-Expires=-1", 1), words("X-Amz-Expires must be a whole number of seconds")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			functionTest(t, resource.TestStep{Config: parsedOutput(tc.url), ExpectError: tc.want})
		})
	}
}

// The function reads the provider's own URLs, and a precondition on the
// remaining lifetime fails the plan with the user's message.
func TestParsePresignedURLFunction_precondition(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{ExpiresIn: 2 * time.Minute})
	config := func(minimum string) string {
		return dataSourceConfig(e, `
  bucket = "media"
  key    = "boot/agent.tar.gz"
  action = "download"
`) + `
locals {
  link = provider::hostup::parse_presigned_url(data.hostup_presigned_url.test.url)
}

output "link_key" {
  value = nonsensitive(local.link.key)

  precondition {
    condition     = nonsensitive(local.link.expires_in) >= ` + minimum + `
    error_message = "The bootstrap link expires too soon."
  }
}
`
	}
	functionTest(t,
		resource.TestStep{Config: config("60"), ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("link_key", knownvalue.StringExact("boot/agent.tar.gz"))}},
		resource.TestStep{Config: config("300"), ExpectError: words("The bootstrap link expires too soon.")},
	)
}
