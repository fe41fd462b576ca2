// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// Acceptance tests against the real HostUp API. They run only with TF_ACC=1
// (make testacc), HOSTUP_API_KEY and HOSTUP_TEST_BUCKET set; see README.md.

// accProviderBlock leaves every setting of the provider to the
// environment (HOSTUP_API_KEY and the rest), as in a user's CI.
const accProviderBlock = "\nprovider \"hostup\" {}\n"

// accTest runs steps against the real HostUp API. It fails at once unless
// HOSTUP_API_KEY, HOSTUP_TEST_BUCKET and the variables in env are set.
func accTest(t *testing.T, env []string, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			for _, v := range append([]string{provider.EnvAPIKey, "HOSTUP_TEST_BUCKET"}, env...) {
				if os.Getenv(v) == "" {
					t.Fatalf("%s must be set for acceptance tests", v)
				}
			}
		},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
	})
}

func TestAccPresignedURLDataSource_live(t *testing.T) {
	accTest(t, nil, resource.TestStep{
		Config: accProviderBlock + fmt.Sprintf(`
data "hostup_presigned_url" "test" {
  bucket       = %q
  key          = "terraform-provider-hostup/acceptance test.txt"
  action       = "upload"
  content_type = "text/plain"
}
`, os.Getenv("HOSTUP_TEST_BUCKET")),
		ConfigStateChecks: []statecheck.StateCheck{
			stateValue("url", knownvalue.StringRegexp(regexp.MustCompile(`^https://.*X-Amz-Signature=`))),
			stateValue("http_method", knownvalue.StringExact("PUT")),
			stateValue("request_id", knownvalue.NotNull()),
			sensitiveInState("url"),
		},
	})
}

// Against HostUp's S3 side: an object uploaded and downloaded through URLs
// the provider signed locally with HOSTUP_S3_ACCESS_KEY_ID and
// HOSTUP_S3_SECRET_ACCESS_KEY. It overwrites one fixed key each run.
func TestAccPresignedURLDataSource_localSigningLive(t *testing.T) {
	body := []byte("terraform-provider-hostup acceptance " + time.Now().UTC().Format(time.RFC3339Nano))
	accTest(t, []string{provider.EnvS3AccessKeyID, provider.EnvS3SecretAccessKey}, resource.TestStep{
		Config: accProviderBlock + fmt.Sprintf(`
data "hostup_presigned_url" "up" {
  bucket       = %[1]q
  key          = "terraform-provider-hostup/acceptance/local-signing.txt"
  action       = "upload"
  content_type = "text/plain"
  expires_in   = 600
}

data "hostup_presigned_url" "down" {
  bucket          = %[1]q
  key             = "terraform-provider-hostup/acceptance/local-signing.txt"
  action          = "download"
  rotation_period = "1h"
  expires_in      = 600

  response_content_disposition = "attachment; filename=\"acceptance.txt\""
}
`, os.Getenv("HOSTUP_TEST_BUCKET")),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.hostup_presigned_url.down", tfjsonpath.New("request_id"), knownvalue.Null()),
			urlsCheck(func(urls map[string]string) error {
				if err := expect("upload", http.MethodPut, urls["data.hostup_presigned_url.up"], "text/plain", body, 200, ""); err != nil {
					return err
				}
				resp, err := http.Get(urls["data.hostup_presigned_url.down"])
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				got, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || !bytes.Equal(got, body) || !strings.Contains(resp.Header.Get("Content-Disposition"), "acceptance.txt") {
					return fmt.Errorf("download: HTTP %d, %q, %v", resp.StatusCode, got, resp.Header)
				}
				return nil
			}),
		},
	})
}

// Against HostUp: a uniquely named bucket is created, read, imported and
// destroyed. resource.Test destroys it even when a step fails.
func TestAccBucketResource_live(t *testing.T) {
	name := acctest.RandomWithPrefix("tf-acc")
	config := accProviderBlock + fmt.Sprintf(`
resource "hostup_bucket" "test" {
  name = %q
}

data "hostup_bucket" "test" {
  name = hostup_bucket.test.name
}
`, name)
	accTest(t, nil,
		resource.TestStep{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("hostup_bucket.test", tfjsonpath.New("num_objects"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.hostup_bucket.test", tfjsonpath.New("name"), knownvalue.StringExact(name)),
			},
		},
		resource.TestStep{
			Config:                               config,
			ResourceName:                         "hostup_bucket.test",
			ImportState:                          true,
			ImportStateId:                        name,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "name",
		},
	)
}

// Against HostUp: a key pair is created and deleted.
func TestAccObjectStorageKeyResource_live(t *testing.T) {
	accTest(t, nil, resource.TestStep{
		Config: accProviderBlock + fmt.Sprintf(`
resource "hostup_object_storage_key" "test" {
  label = %q
}
`, acctest.RandomWithPrefix("tf-acc")),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("hostup_object_storage_key.test", tfjsonpath.New("access_key_id"), knownvalue.NotNull()),
			statecheck.ExpectSensitiveValue("hostup_object_storage_key.test", tfjsonpath.New("secret_access_key")),
		},
	})
}
