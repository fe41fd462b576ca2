// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

// tagsOf reads the tag set of key (at version, when set) in bucket "media".
func tagsOf(t *testing.T, c *s3.Client, key string, version *string) map[string]string {
	t.Helper()
	out, err := c.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String(key), VersionId: version})
	if err != nil {
		t.Fatalf("GetObjectTagging %s: %v", key, err)
	}
	m := map[string]string{}
	for _, tag := range out.TagSet {
		m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return m
}

func putTags(t *testing.T, c *s3.Client, bucket, key string, version *string, tags ...string) {
	t.Helper()
	set := []types.Tag{}
	for i := 0; i+1 < len(tags); i += 2 {
		set = append(set, types.Tag{Key: aws.String(tags[i]), Value: aws.String(tags[i+1])})
	}
	if _, err := c.PutObjectTagging(context.Background(), &s3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: version,
		Tagging: &types.Tagging{TagSet: set}}); err != nil {
		t.Fatalf("PutObjectTagging %s: %v", key, err)
	}
}

// Object headers, metadata and tags are kept, replaced by an overwrite,
// counted by operation, and kept across a restart with a directory.
func TestObjectHeadersAndTags(t *testing.T) {
	dir := t.TempDir()
	e := emulatortest.Start(t, emulator.Options{Dir: dir})
	c := s3Client(t, e)
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt"), Body: strings.NewReader("a"),
		ContentLanguage: aws.String("sv-SE"), ContentEncoding: aws.String("identity"), Metadata: map[string]string{"Owner": "Team A"},
		Tagging: aws.String("env=prod&note=two%20words")}); err != nil {
		t.Fatal(err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(h.ContentLanguage) != "sv-SE" || aws.ToString(h.ContentEncoding) != "identity" ||
		!reflect.DeepEqual(h.Metadata, map[string]string{"owner": "Team A"}) || aws.ToInt32(h.TagCount) != 2 {
		t.Fatalf("HEAD: language %q encoding %q metadata %v tags %d", aws.ToString(h.ContentLanguage), aws.ToString(h.ContentEncoding), h.Metadata, aws.ToInt32(h.TagCount))
	}
	if got := tagsOf(t, c, "a.txt", nil); !reflect.DeepEqual(got, map[string]string{"env": "prod", "note": "two words"}) {
		t.Fatalf("tags %v", got)
	}
	putTags(t, c, "media", "a.txt", nil, "k", "v")
	if got := tagsOf(t, c, "a.txt", nil); !reflect.DeepEqual(got, map[string]string{"k": "v"}) {
		t.Fatalf("tags after PutObjectTagging %v", got)
	}
	// The object is unchanged by its tags.
	g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(g.Body)
	_ = g.Body.Close()
	if body.String() != "a" || aws.ToString(g.ContentLanguage) != "sv-SE" || g.Metadata["owner"] != "Team A" {
		t.Fatalf("GET after tagging: %q %q %v", body.String(), aws.ToString(g.ContentLanguage), g.Metadata)
	}

	again := emulatortest.Start(t, emulator.Options{Dir: dir})
	_ = e.Close()
	c2 := s3Client(t, again)
	if got := tagsOf(t, c2, "a.txt", nil); !reflect.DeepEqual(got, map[string]string{"k": "v"}) {
		t.Fatalf("tags after a restart %v", got)
	}
	if h, err := c2.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt")}); err != nil || aws.ToString(h.ContentLanguage) != "sv-SE" {
		t.Fatalf("HEAD after a restart: %+v %v", h, err)
	}
	if _, err := c2.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt"), Body: strings.NewReader("b")}); err != nil {
		t.Fatal(err)
	}
	h, err = c2.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("a.txt")})
	if err != nil || h.ContentLanguage != nil || len(h.Metadata) != 0 || h.TagCount != nil {
		t.Fatalf("overwrite kept: %+v %v", h, err)
	}
	if got := tagsOf(t, c2, "a.txt", nil); len(got) != 0 {
		t.Fatalf("tags after an overwrite without any: %v", got)
	}
	if _, err := c2.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String("a.txt")}); err != nil {
		t.Fatal(err)
	}
	n := again.S3Requests()
	if n[emulator.OpGetObjectTagging] != 2 || n[emulator.OpDeleteObjectTagging] != 1 || n[emulator.OpPutObject] != 1 {
		t.Errorf("counts %v", n)
	}
	if n := e.S3Requests(); n[emulator.OpPutObjectTagging] != 1 || n[emulator.OpGetObjectTagging] != 2 {
		t.Errorf("first emulator's counts %v", n)
	}
}

// RGW's refusals: x-amz-tagging past its limits 400 InvalidArgument,
// PutObjectTagging 400 InvalidTag or MalformedXML, a missing object 404.
func TestObjectTagsRefused(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return fmt.Sprint(err)
	}
	var eleven []string
	var set []types.Tag
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("k%d=v", i))
		set = append(set, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
	}
	for _, h := range []string{strings.Join(eleven, "&"), "=1", "a=1&&b=2", strings.Repeat("k", 129) + "=1", "a=" + strings.Repeat("v", 257)} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("x"), Body: strings.NewReader("x"), Tagging: aws.String(h)})
		if code(err) != "InvalidArgument" {
			t.Errorf("x-amz-tagging %.40q: %v, want InvalidArgument", h, err)
		}
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("x")}); err == nil {
		t.Error("a refused put stored the object")
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("x"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String("x"), Tagging: &types.Tagging{TagSet: set}})
	if code(err) != "InvalidTag" {
		t.Errorf("11 tags: %v, want InvalidTag", err)
	}
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String("x"), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String(strings.Repeat("ö", 65)), Value: aws.String("")}}}})
	if code(err) != "InvalidTag" {
		t.Errorf("a 130-byte key: %v, want InvalidTag", err)
	}
	for _, k := range []string{"none"} {
		if _, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String(k)}); code(err) != "NoSuchKey" {
			t.Errorf("GetObjectTagging of a missing object: %v", err)
		}
		if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("media"), Key: aws.String(k)}); code(err) != "NoSuchKey" {
			t.Errorf("DeleteObjectTagging of a missing object: %v", err)
		}
	}
	if _, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("nobucket"), Key: aws.String("x")}); code(err) != "NoSuchBucket" {
		t.Errorf("GetObjectTagging in a missing bucket: %v", err)
	}
	if b := getBody(t, c, "media", "x"); b != "x" {
		t.Errorf("refused tagging changed the object: %q", b)
	}
}

func getBody(t *testing.T, c *s3.Client, bucket, key string) string {
	t.Helper()
	g, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(g.Body)
	return b.String()
}

// A multipart upload created with x-amz-tagging completes with RGW 16.2's
// tag state (count 0, an empty GetObjectTagging body); a copy takes the
// source's tags whatever the request says.
func TestObjectTagsMultipartAndCopy(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	cm, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("mp"), Tagging: aws.String("a=1"),
		ContentLanguage: aws.String("fi"), Metadata: map[string]string{"m": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("media"), Key: aws.String("mp"), UploadId: cm.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("mp"), UploadId: cm.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: up.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("mp")})
	if err != nil || h.TagCount == nil || *h.TagCount != 0 || aws.ToString(h.ContentLanguage) != "fi" || h.Metadata["m"] != "1" {
		t.Fatalf("HEAD: %+v %v", h, err)
	}
	if got := tagsOf(t, c, "mp", nil); len(got) != 0 {
		t.Fatalf("multipart tags %v", got)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("src"), Body: strings.NewReader("s"), Tagging: aws.String("t=1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("media"), Key: aws.String("dst"), CopySource: aws.String("media/src"),
		Tagging: aws.String("r=1"), TaggingDirective: types.TaggingDirectiveReplace}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, c, "dst", nil); !reflect.DeepEqual(got, map[string]string{"t": "1"}) {
		t.Fatalf("copy's tags %v", got)
	}
}

// Tags of a versioned object: PutObjectTagging changes the current version
// (or the one named) without making a new version.
func TestObjectTagsVersioned(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("media"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	v1, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("v"), Body: strings.NewReader("1"), Tagging: aws.String("n=1")})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("v"), Body: strings.NewReader("2")})
	if err != nil {
		t.Fatal(err)
	}
	putTags(t, c, "media", "v", nil, "n", "2")
	putTags(t, c, "media", "v", v1.VersionId, "n", "one")
	if got := tagsOf(t, c, "v", nil); got["n"] != "2" {
		t.Errorf("current %v", got)
	}
	if got := tagsOf(t, c, "v", v2.VersionId); got["n"] != "2" {
		t.Errorf("current by id %v", got)
	}
	if got := tagsOf(t, c, "v", v1.VersionId); got["n"] != "one" {
		t.Errorf("v1 %v", got)
	}
	out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("media")})
	if err != nil || len(out.Versions) != 2 {
		t.Fatalf("versions: %+v %v", out, err)
	}
	if b := getBody(t, c, "media", "v"); b != "2" {
		t.Errorf("body %q", b)
	}
}
