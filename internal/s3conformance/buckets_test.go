// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// newBucket creates a bucket for one test on every store (bucket settings
// such as versioning cannot be undone, so they do not go on the run's
// shared bucket) and removes it, every version in it, when the test ends.
func newBucket(t *testing.T) string {
	t.Helper()
	name := "conf-" + randomHex()
	ctx := testContext(t)
	for _, ep := range tgt.storeEndpoints() {
		if _, err := ep.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
			t.Fatalf("creating bucket %s on %s: %v", name, ep.name, err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, ep := range tgt.storeEndpoints() {
			if err := emptyVersions(ctx, ep.s3, name); err != nil {
				t.Errorf("emptying %s: %v", name, err)
			}
			if _, err := ep.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
				t.Errorf("deleting bucket %s on %s: %v", name, ep.name, err)
			}
		}
	})
	return name
}

// emptyVersions deletes every version and delete marker in a bucket.
func emptyVersions(ctx context.Context, c *s3.Client, bucket string) error {
	var errs []error
	for range 10 {
		out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		ids := []types.ObjectIdentifier{}
		for _, v := range out.Versions {
			ids = append(ids, types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range out.DeleteMarkers {
			ids = append(ids, types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			return errors.Join(errs...)
		}
		for _, id := range ids {
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: id.Key, VersionId: id.VersionId}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// signedRequest sends a request signed in its Authorization header with
// the endpoint's key pair, its body declared by its SHA-256: what an S3
// client sends, read back byte for byte. pathQuery is /bucket[/key][?query].
func signedRequest(ctx context.Context, t *testing.T, ep *endpoint, method, pathQuery string, body []byte, header http.Header) *response {
	t.Helper()
	req := newRequest(ctx, t, method, ep.url+pathQuery, body, header)
	payload := sha256Hex(body)
	req.Header.Set("X-Amz-Content-Sha256", payload)
	path := req.URL.Opaque
	req.URL.Opaque = "//" + ep.host + path
	creds := aws.Credentials{AccessKeyID: ep.accessKey, SecretAccessKey: ep.secretKey}
	s := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := s.SignHTTP(ctx, creds, req, payload, "s3", region, time.Now()); err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path
	return do(t, ep.http, req)
}

// anonymous sends an unsigned request, as a browser or curl would.
func anonymous(ctx context.Context, t *testing.T, ep *endpoint, method, pathQuery string, header http.Header) *response {
	t.Helper()
	return do(t, ep.http, newRequest(ctx, t, method, ep.url+pathQuery, nil, header))
}
