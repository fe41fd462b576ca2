// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// A bucket's configuration through the S3 target (the emulator, or RGW from
// make test-rgw), over http and https: CORS, lifecycle and policy put, read
// back as sent, deleted, each missing configuration answering its own
// predicate; versioning read back after it changes.
func TestBucketConfigurationOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	for _, ep := range []*s3test.Endpoint{tgt.Plain, tgt.TLS} {
		t.Run(strings.SplitN(ep.URL, ":", 2)[0], func(t *testing.T) {
			c := ep.ObjectClient(t, 1)
			t.Run("cors", func(t *testing.T) { testCORSOn(t, ep, c) })
			t.Run("lifecycle", func(t *testing.T) { testLifecycleOn(t, ep, c) })
			t.Run("policy", func(t *testing.T) { testPolicyOn(t, ep, c) })
			t.Run("versioning", func(t *testing.T) { testVersioningOn(t, ep, c) })
		})
	}
}

func testCORSOn(t *testing.T, ep *s3test.Endpoint, c *hostups3.ObjectClient) {
	ctx := context.Background()
	bucket := ep.Bucket(t, "cors")
	if _, err := c.BucketCORS(ctx, bucket); !hostups3.NoSuchCORSConfiguration(err) || !hostups3.NoSuchConfiguration(err) {
		t.Fatalf("CORS of a new bucket: %v, want NoSuchCORSConfiguration", err)
	}
	rules := []hostups3.CORSRule{
		{ID: "uploads", AllowedMethods: []string{"PUT", "POST"}, AllowedOrigins: []string{"https://app.example.com"},
			AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)},
		{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}},
	}
	if err := c.PutBucketCORS(ctx, bucket, rules); err != nil {
		t.Fatal(err)
	}
	got, err := c.BucketCORS(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rules) {
		t.Errorf("CORS read back:\n%+v\nwant\n%+v", got, rules)
	}
	if err := c.DeleteBucketCORS(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BucketCORS(ctx, bucket); !hostups3.NoSuchCORSConfiguration(err) {
		t.Errorf("CORS after delete: %v, want NoSuchCORSConfiguration", err)
	}
	if err := c.DeleteBucketCORS(ctx, bucket); err != nil {
		t.Errorf("deleting CORS again: %v", err)
	}
	if _, err := c.BucketCORS(ctx, bucket+"-missing"); !hostups3.NoSuchBucket(err) || hostups3.NoSuchConfiguration(err) {
		t.Errorf("CORS of a missing bucket: %v, want NoSuchBucket", err)
	}
}

func testLifecycleOn(t *testing.T, ep *s3test.Endpoint, c *hostups3.ObjectClient) {
	ctx := context.Background()
	bucket := ep.Bucket(t, "lifecycle")
	if _, err := c.BucketLifecycle(ctx, bucket); !hostups3.NoSuchLifecycleConfiguration(err) || !hostups3.NoSuchConfiguration(err) {
		t.Fatalf("lifecycle of a new bucket: %v, want NoSuchLifecycleConfiguration", err)
	}
	// Not in ID order, and one for the whole bucket (an empty Filter prefix,
	// which RGW answers in the legacy form).
	rules := []hostups3.LifecycleRule{
		{ID: "tmp", Enabled: true, Prefix: "tmp/", ExpirationDays: 7, AbortIncompleteMultipartUploadDays: 2},
		{ID: "everything", Enabled: true, NoncurrentVersionExpirationDays: 30},
		{ID: "archive", Enabled: false, Prefix: "archive/", ExpirationDate: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	if err := c.PutBucketLifecycle(ctx, bucket, rules); err != nil {
		t.Fatal(err)
	}
	got, err := c.BucketLifecycle(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]hostups3.LifecycleRule{}
	for _, r := range got {
		byID[r.ID] = r
	}
	if len(got) != len(rules) {
		t.Errorf("lifecycle read back %d rules, want %d: %+v", len(got), len(rules), got)
	}
	for _, want := range rules {
		if r := byID[want.ID]; !reflect.DeepEqual(r, want) {
			t.Errorf("lifecycle rule %q read back:\n%+v\nwant\n%+v", want.ID, r, want)
		}
	}
	if err := c.DeleteBucketLifecycle(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BucketLifecycle(ctx, bucket); !hostups3.NoSuchLifecycleConfiguration(err) {
		t.Errorf("lifecycle after delete: %v, want NoSuchLifecycleConfiguration", err)
	}
	if err := c.DeleteBucketLifecycle(ctx, bucket); err != nil {
		t.Errorf("deleting lifecycle again: %v", err)
	}
}

func testPolicyOn(t *testing.T, ep *s3test.Endpoint, c *hostups3.ObjectClient) {
	ctx := context.Background()
	bucket := ep.Bucket(t, "policy")
	if _, err := c.BucketPolicy(ctx, bucket); !hostups3.NoSuchBucketPolicy(err) || !hostups3.NoSuchConfiguration(err) {
		t.Fatalf("policy of a new bucket: %v, want NoSuchBucketPolicy", err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",` +
		`"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + bucket + `/public/*"]}]}`
	if err := c.PutBucketPolicy(ctx, bucket, policy); err != nil {
		t.Fatal(err)
	}
	got, err := c.BucketPolicy(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal([]byte(got), &a); err != nil {
		t.Fatalf("policy read back is not JSON: %v\n%s", err, got)
	}
	_ = json.Unmarshal([]byte(policy), &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("policy read back:\n%s\nwant\n%s", got, policy)
	}
	if err := c.DeleteBucketPolicy(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BucketPolicy(ctx, bucket); !hostups3.NoSuchBucketPolicy(err) {
		t.Errorf("policy after delete: %v, want NoSuchBucketPolicy", err)
	}
	if err := c.DeleteBucketPolicy(ctx, bucket); err != nil {
		t.Errorf("deleting the policy again: %v", err)
	}
}

// Versioning is set through HostUp's API, which the S3 target has not: the
// test sets it through S3 and reads it back with the client.
func testVersioningOn(t *testing.T, ep *s3test.Endpoint, c *hostups3.ObjectClient) {
	ctx := context.Background()
	bucket := ep.Bucket(t, "versioning")
	if got, err := c.BucketVersioning(ctx, bucket); err != nil || got != "" {
		t.Fatalf("versioning of a new bucket: %q (%v), want none", got, err)
	}
	for _, status := range []types.BucketVersioningStatus{types.BucketVersioningStatusEnabled, types.BucketVersioningStatusSuspended} {
		if _, err := ep.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
			VersioningConfiguration: &types.VersioningConfiguration{Status: status}}); err != nil {
			t.Fatal(err)
		}
		if got, err := c.BucketVersioning(ctx, bucket); err != nil || got != string(status) {
			t.Errorf("versioning after setting %s: %q (%v)", status, got, err)
		}
	}
	if _, err := c.BucketVersioning(ctx, bucket+"-missing"); !hostups3.NoSuchBucket(err) {
		t.Errorf("versioning of a missing bucket: %v, want NoSuchBucket", err)
	}
}

// A server that does not offer bucket configuration answers 501 or 405:
// NotImplemented is true for either, and no predicate of a missing
// configuration is.
func TestBucketConfigurationNotOffered(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
	}{{http.StatusNotImplemented, "NotImplemented"}, {http.StatusMethodNotAllowed, "MethodNotAllowed"}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("x-amz-request-id", "req-1")
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + tc.code + `</Code><Message></Message></Error>`))
		}))
		c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: srv.URL, Region: hostups3.DefaultRegion, AccessKeyID: "AK", SecretAccessKey: "SK"})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := map[string]error{
			"PutBucketCors":                   c.PutBucketCORS(ctx, "b", []hostups3.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}}),
			"PutBucketLifecycleConfiguration": c.PutBucketLifecycle(ctx, "b", []hostups3.LifecycleRule{{ID: "r", Enabled: true, ExpirationDays: 1}}),
			"PutBucketPolicy":                 c.PutBucketPolicy(ctx, "b", `{}`),
		}
		_, calls["GetBucketVersioning"] = c.BucketVersioning(ctx, "b")
		for op, err := range calls {
			var se *hostups3.Error
			if !hostups3.NotImplemented(err) || hostups3.NoSuchConfiguration(err) || !errors.As(err, &se) || se.Operation != op {
				t.Errorf("%d %s: %v, want NotImplemented from %s", tc.status, op, err, op)
			}
		}
		srv.Close()
	}
}
