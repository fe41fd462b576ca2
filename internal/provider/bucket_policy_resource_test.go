// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// hostup_bucket_policy through the CLI against the S3 target (the emulator,
// or RGW from make test-rgw): create, no changes on a second plan, update,
// drift planned and restored, deleted outside Terraform and put again,
// import by bucket name, destroy leaving the bucket's object. The policy
// is enforced: an anonymous GET of the public prefix answers 200 while it
// applies, 403 elsewhere and after destroy. The server's copy re-serialised
// (other whitespace and key order) is no change.
func TestCLI_BucketPolicyOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	ep := tgt.Plain
	policy := func(bucket, prefix string) map[string]any {
		return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": []any{"s3:GetObject"},
			"Resource": []any{"arn:aws:s3:::" + bucket + "/" + prefix + "*"},
		}}}
	}
	anonymous := func(t *testing.T, bucket, key string) int {
		t.Helper()
		resp, err := ep.HTTP.Get(ep.URL + "/" + bucket + "/" + key)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	testConfigOnTarget(t, ep, configCase{
		address: "hostup_bucket_policy.this",
		config: func(bucket string, version int) string {
			prefix := "public/"
			if version == 2 {
				prefix = "assets/"
			}
			return fmt.Sprintf(`
provider "hostup" {}

resource "hostup_bucket_policy" "this" {
  bucket = %q
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::%s/%s*"]
    }]
  })
}
`, bucket, bucket, prefix)
		},
		read: func(c *hostups3.ObjectClient, bucket string) (string, error) {
			text, err := c.BucketPolicy(context.Background(), bucket)
			if err != nil {
				return "", err
			}
			var v any
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				return "", fmt.Errorf("the policy read back is not JSON: %w", err)
			}
			return asJSON(v), nil
		},
		drift: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			b, _ := json.Marshal(policy(bucket, "")) // the whole bucket public
			must(t, c.PutBucketPolicy(context.Background(), bucket, string(b)))
		},
		remove: func(t *testing.T, c *hostups3.ObjectClient, bucket string) {
			must(t, c.DeleteBucketPolicy(context.Background(), bucket))
		},
		applied: func(t *testing.T, ep *s3test.Endpoint, bucket string, version int) {
			public := map[int]string{0: "public/", 1: "public/", 2: "assets/"}[version]
			ep.Put(t, bucket, public+"logo.txt", []byte("logo"))
			ep.Put(t, bucket, "private/secret.txt", []byte("secret"))
			want := http.StatusOK
			if version == 0 {
				want = http.StatusForbidden
			}
			if got := anonymous(t, bucket, public+"logo.txt"); got != want {
				t.Errorf("version %d: anonymous GET of %slogo.txt answered %d, want %d", version, public, got, want)
			}
			if got := anonymous(t, bucket, "private/secret.txt"); got != http.StatusForbidden {
				t.Errorf("version %d: anonymous GET of private/secret.txt answered %d, want 403", version, got)
			}
		},
	})

	// The same policy re-serialised by hand on the server: no change.
	bucket := ep.Bucket(t, "policy-json")
	h := s3Harness(t, ep, fmt.Sprintf(`
provider "hostup" {}

resource "hostup_bucket_policy" "this" {
  bucket = %q
  policy = jsonencode(%s)
}
`, bucket, asJSON(policy(bucket, "public/"))))
	h.run("apply", "-auto-approve", "-no-color")
	indented, _ := json.MarshalIndent(policy(bucket, "public/"), "", "    ")
	c := ep.ObjectClient(t, 0)
	must(t, c.PutBucketPolicy(context.Background(), bucket, string(indented)))
	if got, err := c.BucketPolicy(context.Background(), bucket); err != nil || got == asJSON(policy(bucket, "public/")) {
		t.Fatalf("the server's policy is %q (%v), want it re-serialised", got, err)
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("plan after the policy was re-serialised: exit %d, want 0:\n%s", code, out)
	}
}

// Policy text that is not JSON is refused at plan time, on the attribute.
func TestBucketPolicyResource_invalid(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"site"}, Now: nowFunc()})
	unitSteps(t, resource.TestStep{
		Config: keyPairAndAPIProviderBlock(e) + `
resource "hostup_bucket_policy" "this" {
  bucket = "site"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [}"
}
`,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Invalid JSON String Value.*policy`),
	})
}
