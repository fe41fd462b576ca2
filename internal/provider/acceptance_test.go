// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// Acceptance tests against the real HostUp API. They run only with TF_ACC=1
// (make testacc), HOSTUP_API_KEY and HOSTUP_TEST_BUCKET set; see README.md.

func testAccPreCheck(t *testing.T) {
	t.Helper()
	for _, v := range []string{provider.EnvAPIKey, "HOSTUP_TEST_BUCKET"} {
		if os.Getenv(v) == "" {
			t.Fatalf("%s must be set for acceptance tests", v)
		}
	}
}

func TestAccPresignedURLDataSource_live(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "hostup" {}

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
		}},
	})
}
