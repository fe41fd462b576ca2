// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

func TestVersioningAPI(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	for _, c := range []struct {
		enabled bool
		want    string
	}{{true, "Enabled"}, {false, "Suspended"}, {true, "Enabled"}} {
		status, out := apiCall(t, e, http.MethodPut, "/object-storage/buckets/media/versioning", map[string]bool{"enabled": c.enabled})
		if status != 200 || str(out, "data", "status") != c.want || dig(out, "success") != true {
			t.Fatalf("enabled %v: %d %v", c.enabled, status, out)
		}
		if got := e.BucketVersioning("media"); got != c.want {
			t.Errorf("S3 status %q, want %q", got, c.want)
		}
	}
	if status, out := apiCall(t, e, http.MethodPut, "/object-storage/buckets/nope/versioning", map[string]bool{"enabled": true}); status != 404 || str(out, "code") != "NOT_FOUND" {
		t.Errorf("missing bucket: %d %v", status, out)
	}
	if status, _ := apiCall(t, e, http.MethodPut, "/object-storage/buckets/media/versioning", map[string]string{}); status != 400 {
		t.Errorf("no enabled: %d", status)
	}
	code, _, err := emulatortest.Do(http.MethodPut, e.APIURL()+"/object-storage/buckets/media/versioning", "application/json", []byte(`{"enabled":true}`))
	if err != nil || code != 401 {
		t.Errorf("without an API key: %d %v", code, err)
	}
}

func TestVersioningOnDiskIsRefused(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{Dir: t.TempDir()})
	if status, out := apiCall(t, e, http.MethodPut, "/object-storage/buckets/media/versioning", map[string]bool{"enabled": true}); status != 501 {
		t.Errorf("API: %d %v", status, out)
	}
	_, err := s3Client(t, e).PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String("media"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NotImplemented" {
		t.Errorf("S3: %v, want NotImplemented", err)
	}
}

func TestVersions(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	b := aws.String("media")
	put := func(k, body string) string {
		t.Helper()
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: bytes.NewReader([]byte(body))})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.VersionId)
	}
	get := func(k, version string) (string, error) {
		t.Helper()
		in := &s3.GetObjectInput{Bucket: b, Key: aws.String(k)}
		if version != "" {
			in.VersionId = aws.String(version)
		}
		out, err := c.GetObject(ctx, in)
		if err != nil {
			return "", err
		}
		defer out.Body.Close()
		body, err := io.ReadAll(out.Body)
		return string(body), err
	}
	if v := put("pre", "pre"); v != "" {
		t.Errorf("unversioned put: version %q", v)
	}
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if err != nil || v.Status != "" {
		t.Fatalf("never versioned: %+v %v", v, err)
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}); v.Status != types.BucketVersioningStatusEnabled || v.MFADelete != types.MFADeleteStatusDisabled {
		t.Fatalf("enabled: %+v", v)
	}
	v1, v2 := put("k", "one"), put("k", "two")
	if v1 == "" || v2 == "" || v1 == v2 || len(v1) != 31 {
		t.Fatalf("version ids %q %q", v1, v2)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil || aws.ToString(head.VersionId) != v2 {
		t.Fatalf("head: %v %v", head, err)
	}
	if body, err := get("k", v1); err != nil || body != "one" {
		t.Errorf("version 1: %q %v", body, err)
	}
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("delete: %+v %v", del, err)
	}
	if _, err := get("k", ""); err == nil {
		t.Error("GET after the delete marker succeeded")
	}
	if body, _ := get("k", v2); body != "two" {
		t.Errorf("version 2 after the marker: %q", body)
	}
	put("pre", "pre2")
	list, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range list.Versions {
		got = append(got, aws.ToString(v.Key)+"="+aws.ToString(v.VersionId)+map[bool]string{true: "*", false: ""}[aws.ToBool(v.IsLatest)])
	}
	if len(got) != 4 || got[0] != "k="+v2 || got[1] != "k="+v1 || got[2] == "pre=null*" || got[3] != "pre=null" || len(list.DeleteMarkers) != 1 || !aws.ToBool(list.DeleteMarkers[0].IsLatest) {
		t.Errorf("versions %q, markers %+v", got, list.DeleteMarkers)
	}
	// Removing the delete marker brings version 2 back.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k"), VersionId: del.VersionId}); err != nil {
		t.Fatal(err)
	}
	if body, _ := get("k", ""); body != "two" {
		t.Errorf("after removing the marker: %q", body)
	}
	// Suspended: writes are the null version, replaced by the next one.
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}}); err != nil {
		t.Fatal(err)
	}
	if v := put("k", "three"); v != "" {
		t.Errorf("suspended put answered version %q; RGW answers none", v)
	}
	put("k", "four")
	if body, _ := get("k", "null"); body != "four" {
		t.Errorf("null version %q", body)
	}
	if body, _ := get("k", v1); body != "one" {
		t.Errorf("version 1 after suspending: %q", body)
	}
	list, _ = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b, Prefix: aws.String("k")})
	if len(list.Versions) != 3 || aws.ToString(list.Versions[0].VersionId) != "null" {
		t.Errorf("suspended versions: %d, first %q", len(list.Versions), aws.ToString(list.Versions[0].VersionId))
	}
	// Deleting the null version by id removes it for good: version 2 is back.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("k"), VersionId: aws.String("null")}); err != nil {
		t.Fatal(err)
	}
	if body, _ := get("k", ""); body != "two" {
		t.Errorf("after deleting the null version: %q", body)
	}
	// A bucket with versions left is not empty.
	for _, k := range []string{"k", "pre"} {
		_, _ = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String(k)})
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b}); err == nil {
		t.Error("a bucket holding versions was deleted")
	}
	if n := e.S3Requests()[emulator.OpListObjectVersions]; n != 2 {
		t.Errorf("ListObjectVersions counted %d", n)
	}
}
