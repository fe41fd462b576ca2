// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// hostup_bucket_lifecycle through the CLI against the S3 target (the
// emulator, or RGW from make test-rgw): create, no changes on a second plan,
// update, drift planned and restored, deleted outside Terraform and put
// again, import by bucket name, destroy leaving the bucket's object. Rules
// are not in ID order (RGW answers in ID order), and two are for the whole
// bucket, one with prefix "" and one with none (RGW answers a rule sent
// with an empty Filter prefix in the legacy form): none of it is a change,
// after import either.
func TestCLI_BucketLifecycleOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	testConfigOnTarget(t, tgt.Plain, configCase{
		address: "hostup_bucket_lifecycle.this",
		config: func(bucket string, version int) string {
			tmpDays, archive := 7, `
    expiration {
      date = "2031-01-01"
    }`
			if version == 2 {
				tmpDays, archive = 3, `
    expiration {
      days = 365
    }`
			}
			return fmt.Sprintf(`
provider "hostup" {}

resource "hostup_bucket_lifecycle" "this" {
  bucket = %q

  rule {
    id     = "tmp"
    prefix = "tmp/"
    expiration {
      days = %d
    }
  }

  rule {
    id                                     = "uploads"
    abort_incomplete_multipart_upload_days = 2
  }

  rule {
    id                                 = "everything"
    prefix                             = ""
    noncurrent_version_expiration_days = 30
  }

  rule {
    id      = "archive"
    enabled = false
    prefix  = "archive/"
%s
  }
}
`, bucket, tmpDays, archive)
		},
		read: func(c *hostups3.ObjectClient, bucket string) (string, error) {
			rules, err := c.BucketLifecycle(context.Background(), bucket)
			return asJSON(rules), err
		},
		drift: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			must(t, c.PutBucketLifecycle(context.Background(), bucket, []hostups3.LifecycleRule{
				{ID: "tmp", Enabled: true, Prefix: "tmp/", ExpirationDays: 1},
			}))
		},
		remove: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			must(t, c.DeleteBucketLifecycle(context.Background(), bucket))
		},
	})
}

// Bad lifecycle rules are refused at plan time, on the attribute: a rule
// with no action, an expiration with both or neither of days and date, a date that is not
// a day, two rules of one ID.
func TestBucketLifecycleResource_invalid(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"logs"}, Now: nowFunc()})
	config := func(rules string) string {
		return keyPairAndAPIProviderBlock(e) + fmt.Sprintf(`
resource "hostup_bucket_lifecycle" "this" {
  bucket = "logs"
%s
}
`, rules)
	}
	unitSteps(t,
		resource.TestStep{Config: config(`
  rule {
    id     = "nothing"
    prefix = "tmp/"
  }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Lifecycle Rule Without an Action.*rule with id "nothing" does nothing`)},
		resource.TestStep{Config: config(`
  rule {
    id = "both"
    expiration {
      days = 1
      date = "2030-01-01"
    }
  }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid Lifecycle Expiration.*id "both" needs exactly one of days`)},
		resource.TestStep{Config: config(`
  rule {
    id = "neither"
    expiration {}
  }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid Lifecycle Expiration.*id "neither" needs.*not 0`)},
		resource.TestStep{Config: config(`
  rule {
    id = "when"
    expiration {
      date = "2030-01-01T00:00:00Z"
    }
  }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid Expiration Date.*is not a day written YYYY-MM-DD`)},
		resource.TestStep{Config: config(`
  rule {
    id = "same"
    abort_incomplete_multipart_upload_days = 1
  }
  rule {
    id = "same"
    abort_incomplete_multipart_upload_days = 2
  }`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Duplicate Lifecycle Rule ID.*id "same"`)},
	)
}
