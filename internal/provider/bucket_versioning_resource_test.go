// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// hostup_bucket_versioning against the emulator, set through its API and
// read back through S3: enabled, no changes on a second plan, suspended,
// enabled outside Terraform and suspended again, imported by bucket name,
// and suspended by destroy, the bucket's object kept. hostup_object reports
// a version_id on the versioned bucket.
func TestBucketVersioningResource(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"media"}, Now: nowFunc()})
	if err := e.PutObject("media", "kept.txt", []byte("kept")); err != nil {
		t.Fatal(err)
	}
	config := func(status string) string {
		return keyPairAndAPIProviderBlock(e) + fmt.Sprintf(`
resource "hostup_bucket_versioning" "this" {
  bucket = "media"
  status = %q
}

resource "hostup_object" "doc" {
  bucket     = "media"
  key        = "doc.txt"
  content    = "one"
  depends_on = [hostup_bucket_versioning.this]
}
`, status)
	}
	status := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := e.BucketVersioning("media"); got != want {
				return fmt.Errorf("the bucket's versioning is %q, want %q", got, want)
			}
			return nil
		}
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Enabled"),
				Check:  status("Enabled"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("hostup_bucket_versioning.this", tfjsonpath.New("status"), knownvalue.StringExact("Enabled")),
					statecheck.ExpectKnownValue("hostup_object.doc", tfjsonpath.New("version_id"), knownvalue.StringRegexp(regexp.MustCompile(`^.+$`))),
				},
			},
			{Config: config("Suspended"), Check: status("Suspended")},
			{
				PreConfig: func() {
					if _, err := e.SetBucketVersioning("media", true); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("Suspended"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("hostup_bucket_versioning.this", plancheck.ResourceActionUpdate),
				}},
				Check: status("Suspended"),
			},
			{
				ResourceName:                         "hostup_bucket_versioning.this",
				ImportState:                          true,
				ImportStateId:                        "media",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "bucket",
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if got := e.BucketVersioning("media"); got != hostups3.VersioningSuspended {
				return fmt.Errorf("after destroy the bucket's versioning is %q, want Suspended", got)
			}
			if got, err := e.GetObject("media", "kept.txt"); err != nil || string(got) != "kept" {
				return fmt.Errorf("after destroy kept.txt is %q (%v)", got, err)
			}
			return nil
		},
	})
}

// Without an API key versioning cannot be set: the plan says so, on the
// attribute, naming the setting.
func TestBucketVersioningResource_noAPIKey(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"media"}, Now: nowFunc()})
	unitSteps(t, resource.TestStep{
		Config: keyPairProviderBlock(e) + `
resource "hostup_bucket_versioning" "this" {
  bucket = "media"
  status = "Enabled"
}
`,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Missing HostUp API Key.*status.*hostup_bucket_versioning needs HostUp's API.*api_key`),
	})
}

// Lifecycle and versioning together through the CLI against the S3 target
// (the emulator, or RGW from make test-rgw). The target's versioning is
// set through S3 (HostUp's API, which sets it on HostUp, is not the
// target's); hostup_bucket_versioning imports it with an import block and
// reads it back, a lifecycle rule expires old versions, hostup_object
// reports each upload's version_id and old versions stay; a second plan has
// no changes, and the lifecycle configuration reads back as applied.
func TestCLI_BucketLifecycleWithVersioningOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	ep := tgt.Plain
	ctx := context.Background()
	bucket := ep.Bucket(t, "versioned")
	t.Cleanup(func() { removeVersions(t, ep, bucket) }) // before the bucket's own clean-up
	if _, err := ep.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	// versioning is the import and the resource, or nothing once it has left
	// state.
	config := func(content string, versioning bool) string {
		blocks := ""
		if versioning {
			blocks = fmt.Sprintf(`
import {
  to = hostup_bucket_versioning.this
  id = %[1]q
}

resource "hostup_bucket_versioning" "this" {
  bucket = %[1]q
  status = "Enabled"
}
`, bucket)
		}
		return fmt.Sprintf(`
provider "hostup" {}
%[3]s
resource "hostup_bucket_lifecycle" "this" {
  bucket = %[1]q

  rule {
    id                                     = "old-versions"
    noncurrent_version_expiration_days     = 30
    abort_incomplete_multipart_upload_days = 7
  }
}

resource "hostup_object" "doc" {
  bucket = %[1]q
  key    = "doc.txt"
  content = %[2]q
}

output "version_id" {
  value = hostup_object.doc.version_id
}
`, bucket, content, blocks)
	}
	h := s3Harness(t, ep, config("one", true))
	h.run("apply", "-auto-approve", "-no-color")
	first := strings.TrimSpace(h.run("output", "-raw", "version_id"))
	if first == "" || first == "null" {
		t.Errorf("hostup_object on a versioned bucket: version_id %q, want one", first)
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("second plan: exit %d, want 0:\n%s", code, out)
	}
	h.rewrite(config("two", true))
	h.run("apply", "-auto-approve", "-no-color")
	second := strings.TrimSpace(h.run("output", "-raw", "version_id"))
	if second == "" || second == first {
		t.Errorf("version_id after an update: %q, want a new one (first %q)", second, first)
	}
	versions, err := ep.S3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String("doc.txt")})
	if err != nil || len(versions.Versions) != 2 {
		t.Errorf("versions of doc.txt: %v (%v), want 2", versions, err)
	}
	rules, err := ep.ObjectClient(t, 0).BucketLifecycle(ctx, bucket)
	want := []hostups3.LifecycleRule{{ID: "old-versions", Enabled: true, NoncurrentVersionExpirationDays: 30, AbortIncompleteMultipartUploadDays: 7}}
	if err != nil || asJSON(rules) != asJSON(want) {
		t.Errorf("lifecycle read back: %s (%v), want %s", asJSON(rules), err, asJSON(want))
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("plan after the update: exit %d, want 0:\n%s", code, out)
	}
	// Destroying the versioning would suspend it through HostUp's API, which
	// is not the target's: it leaves state first.
	h.run("state", "rm", "hostup_bucket_versioning.this")
	h.rewrite(config("two", false))
	h.run("destroy", "-auto-approve", "-no-color")
	if _, err := ep.ObjectClient(t, 0).BucketLifecycle(ctx, bucket); !hostups3.NoSuchLifecycleConfiguration(err) {
		t.Errorf("lifecycle after destroy: %v, want none", err)
	}
	if status, err := ep.ObjectClient(t, 0).BucketVersioning(ctx, bucket); err != nil || status != hostups3.VersioningEnabled {
		t.Errorf("versioning after destroy: %q (%v), want it left Enabled", status, err)
	}
}

// removeVersions deletes every version and delete marker in a bucket, so
// that the bucket can be deleted.
func removeVersions(t *testing.T, ep *s3test.Endpoint, bucket string) {
	ctx := context.Background()
	out, err := ep.S3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Logf("listing versions of %s: %v", bucket, err)
		return
	}
	for _, v := range out.Versions {
		_, _ = ep.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: v.Key, VersionId: v.VersionId})
	}
	for _, m := range out.DeleteMarkers {
		_, _ = ep.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: m.Key, VersionId: m.VersionId})
	}
}
