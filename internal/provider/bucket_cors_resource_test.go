// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// hostup_bucket_cors through the CLI against the S3 target (the emulator,
// or RGW from make test-rgw): create, no changes on a second plan, update,
// drift planned and restored, deleted outside Terraform and put again,
// import by bucket name, destroy leaving the bucket's object.
func TestCLI_BucketCORSOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	testConfigOnTarget(t, tgt.Plain, configCase{
		address: "hostup_bucket_cors.this",
		config: func(bucket string, version int) string {
			second := `
  rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["*"]
  }`
			if version == 2 {
				second = `
  rule {
    id              = "downloads"
    allowed_methods = ["GET"]
    allowed_origins = ["https://www.example.com", "https://example.com"]
    max_age_seconds = 60
  }`
			}
			return fmt.Sprintf(`
provider "hostup" {}

resource "hostup_bucket_cors" "this" {
  bucket = %q

  rule {
    id              = "uploads"
    allowed_methods = ["PUT", "POST"]
    allowed_origins = ["https://app.example.com"]
    allowed_headers = ["content-type", "x-amz-*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
%s
}
`, bucket, second)
		},
		read: func(c *hostups3.ObjectClient, bucket string) (string, error) {
			rules, err := c.BucketCORS(context.Background(), bucket)
			return asJSON(rules), err
		},
		drift: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			must(t, c.PutBucketCORS(context.Background(), bucket, []hostups3.CORSRule{
				{ID: "uploads", AllowedMethods: []string{"PUT", "POST", "DELETE"}, AllowedOrigins: []string{"*"}, MaxAgeSeconds: aws.Int32(1)},
			}))
		},
		remove: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			must(t, c.DeleteBucketCORS(context.Background(), bucket))
		},
	})
}

// Bad CORS rules are refused at plan time, on the attribute: an unknown
// method, an empty origin list, an empty header list (unset is none), no
// rule at all.
func TestBucketCORSResource_invalid(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"site"}, Now: nowFunc()})
	rule := func(methods, origins string) string {
		return keyPairAndAPIProviderBlock(e) + fmt.Sprintf(`
resource "hostup_bucket_cors" "this" {
  bucket = "site"
  rule {
    allowed_methods = %s
    allowed_origins = %s
  }
}
`, methods, origins)
	}
	unitSteps(t,
		resource.TestStep{Config: rule(`["GET", "PATCH"]`, `["*"]`), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)rule\[0\]\.allowed_methods.*value must be one of.*"PATCH"`)},
		resource.TestStep{Config: rule(`["GET"]`, `[]`), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)rule\[0\]\.allowed_origins.*set must contain at least 1 elements`)},
		resource.TestStep{Config: keyPairAndAPIProviderBlock(e) + `
resource "hostup_bucket_cors" "this" {
  bucket = "site"
  rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    allowed_headers = []
  }
}
`, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)rule\[0\]\.allowed_headers.*set must contain at least 1 elements`)},
		resource.TestStep{Config: keyPairAndAPIProviderBlock(e) + `
resource "hostup_bucket_cors" "this" {
  bucket = "site"
}
`, PlanOnly: true, ExpectError: regexp.MustCompile(`Block rule must have a configuration value`)},
	)
}
