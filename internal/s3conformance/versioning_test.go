// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestVersioning: a bucket's versioning through S3, as HostUp's API sets
// it. Never versioned, GetBucketVersioning has no Status; Enabled, puts
// get version ids, earlier versions stay readable by id, a delete leaves a
// marker, and ListObjectVersions lists it all, each key newest first (an
// object from before versioning is the "null" version); Suspended, a put
// answers no version id and replaces the null version only, and a delete
// is a null delete marker.
func TestVersioning(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	ep := tgt.plain
	b := aws.String(bucket)
	put := func(k, body string) *s3.PutObjectOutput {
		t.Helper()
		out, err := ep.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: bytes.NewReader([]byte(body))})
		if err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
		return out
	}
	get := func(k, version string) (string, error) {
		t.Helper()
		in := &s3.GetObjectInput{Bucket: b, Key: aws.String(k)}
		if version != "" {
			in.VersionId = aws.String(version)
		}
		out, err := ep.s3.GetObject(ctx, in)
		if err != nil {
			return "", err
		}
		defer out.Body.Close()
		body, err := io.ReadAll(out.Body)
		return string(body), err
	}
	setVersioning := func(s types.BucketVersioningStatus) {
		t.Helper()
		if _, err := ep.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: s}}); err != nil {
			t.Fatalf("PutBucketVersioning %s: %v", s, err)
		}
		v, err := ep.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
		if err != nil || v.Status != s || v.MFADelete != types.MFADeleteStatusDisabled {
			t.Fatalf("GetBucketVersioning after %s: %+v %v", s, v, err)
		}
	}

	if v, err := ep.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}); err != nil || v.Status != "" || v.MFADelete != "" {
		t.Fatalf("never versioned: %+v %v", v, err)
	}
	put("pre", "pre")
	list, err := ep.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	if err != nil || len(list.Versions) != 1 || aws.ToString(list.Versions[0].VersionId) != "null" {
		t.Fatalf("unversioned ListObjectVersions: %+v %v", list, err)
	}

	setVersioning(types.BucketVersioningStatusEnabled)
	v1, v2 := aws.ToString(put("k", "one").VersionId), aws.ToString(put("k", "two").VersionId)
	if len(v1) != 31 || len(v2) != 31 || v1 == v2 {
		t.Fatalf("version ids %q and %q", v1, v2)
	}
	t.Logf("%s: version ids %q %q", tgt.server, v1, v2)
	head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil || aws.ToString(head.VersionId) != v2 {
		t.Fatalf("HeadObject: version %q, %v; want %q", aws.ToString(head.VersionId), err, v2)
	}
	if body, err := get("k", v1); err != nil || body != "one" {
		t.Errorf("GET version 1: %q %v", body, err)
	}
	pre2 := aws.ToString(put("pre", "pre2").VersionId)
	del, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("DeleteObject: %+v %v", del, err)
	}
	var nsk *types.NoSuchKey
	if _, err := get("k", ""); !errors.As(err, &nsk) {
		t.Errorf("GET behind a delete marker: %v, want NoSuchKey", err)
	}
	if body, _ := get("k", v2); body != "two" {
		t.Errorf("GET version 2 behind the marker: %q", body)
	}
	list, err = ep.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	if err != nil {
		t.Fatal(err)
	}
	wantVersions := []string{"k " + v2 + " false", "k " + v1 + " false", "pre " + pre2 + " true", "pre null false"}
	if got := versionList(list); !equal(got, wantVersions) {
		t.Errorf("versions %q, want %q", got, wantVersions)
	}
	if len(list.DeleteMarkers) != 1 || aws.ToString(list.DeleteMarkers[0].VersionId) != aws.ToString(del.VersionId) || !aws.ToBool(list.DeleteMarkers[0].IsLatest) {
		t.Errorf("delete markers %+v", list.DeleteMarkers)
	}

	setVersioning(types.BucketVersioningStatusSuspended)
	if out := put("k", "three"); out.VersionId != nil {
		t.Errorf("suspended PutObject answered version %q", aws.ToString(out.VersionId))
	}
	put("k", "four")
	if head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")}); err != nil || head.VersionId != nil {
		t.Errorf("suspended HeadObject: version %q, %v; want none", aws.ToString(head.VersionId), err)
	}
	if body, err := get("k", "null"); err != nil || body != "four" {
		t.Errorf("GET the null version: %q %v", body, err)
	}
	delPre, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("pre")})
	if err != nil || !aws.ToBool(delPre.DeleteMarker) || aws.ToString(delPre.VersionId) != "null" {
		t.Errorf("suspended DeleteObject: marker %v version %q, %v", aws.ToBool(delPre.DeleteMarker), aws.ToString(delPre.VersionId), err)
	}
	list, err = ep.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	if err != nil {
		t.Fatal(err)
	}
	wantVersions = []string{"k null true", "k " + v2 + " false", "k " + v1 + " false", "pre " + pre2 + " false"}
	if got := versionList(list); !equal(got, wantVersions) {
		t.Errorf("suspended versions %q, want %q", got, wantVersions)
	}
	if len(list.DeleteMarkers) != 2 {
		t.Errorf("suspended delete markers %+v", list.DeleteMarkers)
	}

	// Deleting the current version by id brings the one before back.
	if _, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k"), VersionId: aws.String("null")}); err != nil {
		t.Fatal(err)
	}
	if _, err := get("k", ""); !errors.As(err, &nsk) {
		t.Errorf("after deleting the null version the delete marker is current again: %v", err)
	}
	if _, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k"), VersionId: del.VersionId}); err != nil {
		t.Fatal(err)
	}
	if body, err := get("k", ""); err != nil || body != "two" {
		t.Errorf("after deleting the marker: %q %v, want version 2", body, err)
	}
	// RGW answers an unknown version NoSuchKey, not NoSuchVersion.
	_, err = get("k", "nonexistentversionid00000000000")
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchKey" {
		t.Errorf("GET of an unknown version: %d %s (%v), want 404 NoSuchKey", status, code, err)
	}
	// A bucket holding only earlier versions and markers is not empty.
	if _, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	_, err = ep.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusConflict || code != "BucketNotEmpty" {
		t.Errorf("DeleteBucket with versions left: %d %s (%v), want 409 BucketNotEmpty", status, code, err)
	}
}

// TestVersioningRefusesUnknownStatus: a Status other than Enabled or
// Suspended is 400 InvalidArgument.
func TestVersioningRefusesUnknownStatus(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	r := signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?versioning", []byte(`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>On</Status></VersioningConfiguration>`), nil)
	wantError(t, "PutBucketVersioning On", r, http.StatusBadRequest, "InvalidArgument")
}

// versionList is "key versionId isLatest" per version, in order.
func versionList(out *s3.ListObjectVersionsOutput) []string {
	var got []string
	for _, v := range out.Versions {
		got = append(got, aws.ToString(v.Key)+" "+aws.ToString(v.VersionId)+" "+map[bool]string{true: "true", false: "false"}[aws.ToBool(v.IsLatest)])
	}
	return got
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
