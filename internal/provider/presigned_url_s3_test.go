// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

// These tests take the URLs the provider put in state and use them against
// the emulator's S3 side, which accepts only requests whose SigV4 signature,
// method, signed headers and time window verify. A provider that changed one
// byte of a URL fails here.

func TestPresignedURLDataSource_urlsWorkAgainstS3(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Now: time.Now})
	payload := []byte("artifact bytes \x00\x01\xff")
	unitSteps(t, resource.TestStep{
		Config: providerBlock(e) + `
data "hostup_presigned_url" "up" {
  bucket       = "media"
  key          = "boot/artifact.bin"
  action       = "upload"
  content_type = "application/octet-stream"
}
data "hostup_presigned_url" "down" {
  bucket = "media"
  key    = "boot/artifact.bin"
  action = "download"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{urlsCheck(func(urls map[string]string) error {
			up, down := urls["data.hostup_presigned_url.up"], urls["data.hostup_presigned_url.down"]
			steps := []error{
				expect("PUT with another content type", http.MethodPut, up, "text/plain", payload, 403, "SignatureDoesNotMatch"),
				expect("PUT without the content type", http.MethodPut, up, "", payload, 403, "SignatureDoesNotMatch"),
				expect("GET before upload", http.MethodGet, down, "", nil, 404, "NoSuchKey"),
				expect("PUT with the signed content type", http.MethodPut, up, "application/octet-stream", payload, 200, ""),
				expect("GET with the download URL", http.MethodGet, down, "", nil, 200, string(payload)),
				expect("GET with the upload URL", http.MethodGet, up, "", nil, 403, "SignatureDoesNotMatch"),
				expect("PUT with the download URL", http.MethodPut, down, "", payload, 403, "SignatureDoesNotMatch"),
				expect("tampered download URL", http.MethodGet, emulatortest.Tamper(down), "", nil, 403, "SignatureDoesNotMatch"),
				expect("download URL for another key", http.MethodGet, strings.Replace(down, "artifact.bin", "artifact.bim", 1), "", nil, 403, "SignatureDoesNotMatch"),
			}
			for _, err := range steps {
				if err != nil {
					return err
				}
			}
			return nil
		})},
	})
}

func TestPresignedURLDataSource_oddKeysRoundTrip(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Now: time.Now})
	keys := []string{
		"reports/2026 Q1/summary final.pdf",
		"uploads/räksmörgås/日本語ファイル.txt",
		"builds/app+debug+1.0.tar.gz",
		"odd/100% done %2F not a slash.txt",
		"what?really=yes&no.txt",
		"notes/#1 #hashtag.md",
		"a//double/slash/",
	}
	list := make([]string, len(keys))
	for i, k := range keys {
		list[i] = fmt.Sprintf("%q", k)
	}
	// count, not for_each: the test harness's state shim only indexes by number.
	config := providerBlock(e) + `
locals {
  keys = [` + strings.Join(list, ", ") + `]
}
data "hostup_presigned_url" "up" {
  count        = length(local.keys)
  bucket       = "media"
  key          = local.keys[count.index]
  action       = "upload"
  content_type = "text/plain; charset=utf-8"
}
data "hostup_presigned_url" "down" {
  count  = length(local.keys)
  bucket = "media"
  key    = local.keys[count.index]
  action = "download"
}
`
	checks := []statecheck.StateCheck{urlsCheck(func(urls map[string]string) error {
		for i, key := range keys {
			up := urls[fmt.Sprintf("data.hostup_presigned_url.up[%d]", i)]
			down := urls[fmt.Sprintf("data.hostup_presigned_url.down[%d]", i)]
			body := []byte("content of " + key)
			if err := expect("PUT "+key, http.MethodPut, up, "text/plain; charset=utf-8", body, 200, ""); err != nil {
				return err
			}
			if err := expect("GET "+key, http.MethodGet, down, "", nil, 200, string(body)); err != nil {
				return err
			}
		}
		return nil
	})}
	for i, key := range keys {
		checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("data.hostup_presigned_url.down[%d]", i), tfjsonpath.New("key"), knownvalue.StringExact(key)))
	}
	unitSteps(t, resource.TestStep{Config: config, ConfigStateChecks: checks})
}

// An expired URL is refused: a short lifetime and the emulator's clock moved
// past it, no sleeping.
func TestPresignedURLDataSource_expiredURLRefused(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Now: time.Now, ExpiresIn: 5 * time.Second})
	unitSteps(t, resource.TestStep{
		Config: dataSourceConfig(e, `
  bucket = "media"
  key    = "short-lived.txt"
  action = "upload"
`),
		ConfigStateChecks: []statecheck.StateCheck{
			stateValue("expires_in", knownvalue.Int64Exact(5)),
			urlsCheck(func(urls map[string]string) error {
				up := urls["data.hostup_presigned_url.test"]
				if err := expect("PUT inside the window", http.MethodPut, up, "", []byte("x"), 200, ""); err != nil {
					return err
				}
				e.Advance(6 * time.Second)
				return expect("PUT after expiry", http.MethodPut, up, "", []byte("x"), 403, "<Code>AccessDenied</Code>")
			}),
		},
	})
}
