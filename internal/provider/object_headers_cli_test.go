// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// What aws_s3_object users reach for next, through the CLI against the S3
// target (the emulator, or RGW from make test-rgw): metadata,
// content_encoding, content_language and tags are stored and read back; the
// second plan is empty; tags changed outside Terraform plan an in-place
// update that restores them without uploading the object again, and
// metadata changed outside Terraform plans an upload that restores it.
func TestCLI_ObjectHeadersAndTagsOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	ep := tgt.Plain
	bucket := ep.Bucket(t, "headers")
	h := s3Harness(t, ep, fmt.Sprintf(`
provider "hostup" {}

resource "hostup_object" "asset" {
  bucket           = %q
  key              = "site/app.js"
  content_base64   = base64gzip("console.log('hello');")
  content_type     = "text/javascript"
  content_encoding = "gzip"
  content_language = "sv-SE"
  metadata = {
    build  = "1234"
    commit = "abc123"
  }
  tags = {
    team = "web"
    tier = "static site"
  }
}
`, bucket))
	h.run("apply", "-auto-approve", "-no-color")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	head, err := ep.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("site/app.js")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentEncoding) != "gzip" || aws.ToString(head.ContentLanguage) != "sv-SE" ||
		head.Metadata["build"] != "1234" || head.Metadata["commit"] != "abc123" {
		t.Errorf("stored headers: encoding %q, language %q, metadata %v", aws.ToString(head.ContentEncoding), aws.ToString(head.ContentLanguage), head.Metadata)
	}
	if tags := objectTags(ctx, t, ep, bucket); tags != "team=web,tier=static site" {
		t.Errorf("stored tags %s", tags)
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("second plan: exit %d, want no changes:\n%s", code, out)
	}

	// Tags changed outside Terraform: restored in place.
	if _, err := ep.S3.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String("site/app.js"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("someone-else")}}}}); err != nil {
		t.Fatal(err)
	}
	code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color")
	if code != 2 || !strings.Contains(out, "hostup_object.asset will be updated in-place") || strings.Contains(out, "etag") && strings.Contains(out, "known after apply") {
		t.Errorf("plan after a tag change outside Terraform: exit %d, want an in-place update that keeps the ETag:\n%s", code, out)
	}
	// Uploads are counted where the server is the emulator; RGW moves an
	// object's Last-Modified when its tags change, so it cannot tell.
	puts := func() int {
		if tgt.PlainEmulator == nil {
			return 0
		}
		return tgt.PlainEmulator.S3Requests()[emulator.OpPutObject]
	}
	etagBefore, putsBefore := aws.ToString(head.ETag), puts()
	h.run("apply", "-auto-approve", "-no-color")
	if tags := objectTags(ctx, t, ep, bucket); tags != "team=web,tier=static site" {
		t.Errorf("tags after applying: %s", tags)
	}
	after, err := ep.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("site/app.js")})
	if err != nil || aws.ToString(after.ETag) != etagBefore || puts() != putsBefore {
		t.Errorf("restoring the tags uploaded the object again (%v): ETag %s -> %s, %d uploads", err,
			etagBefore, aws.ToString(after.ETag), puts()-putsBefore)
	}

	// Metadata changed outside Terraform (an upload without it): planned
	// and restored.
	ep.Put(t, bucket, "site/app.js", []byte("replaced"))
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 2 || !strings.Contains(out, "metadata") {
		t.Errorf("plan after the object was replaced outside Terraform: exit %d:\n%s", code, out)
	}
	h.run("apply", "-auto-approve", "-no-color")
	head, err = ep.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("site/app.js")})
	if err != nil || head.Metadata["build"] != "1234" || aws.ToString(head.ContentEncoding) != "gzip" {
		t.Errorf("after restoring: metadata %v, encoding %q (%v)", head.Metadata, aws.ToString(head.ContentEncoding), err)
	}
	if code, out := h.exitCode("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("plan after restoring: exit %d, want no changes:\n%s", code, out)
	}
	h.run("destroy", "-auto-approve", "-no-color")
}

// objectTags is site/app.js's tag set as sorted key=value pairs.
func objectTags(ctx context.Context, t *testing.T, ep *s3test.Endpoint, bucket string) string {
	t.Helper()
	out, err := ep.S3.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String("site/app.js")})
	if err != nil {
		t.Fatalf("reading tags: %v", err)
	}
	pairs := []string{}
	for _, tag := range out.TagSet {
		pairs = append(pairs, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}
