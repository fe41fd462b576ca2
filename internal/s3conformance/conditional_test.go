// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// conditionalPut is one conditional PutObject and what RGW answers it:
// 200 (the body replaced) or 412 PreconditionFailed (the body unchanged).
type conditionalPut struct {
	what   string
	header http.Header
	wrote  bool
}

func ifNoneMatch(v string) http.Header { return http.Header{"If-None-Match": {v}} }
func ifMatch(v string) http.Header     { return http.Header{"If-Match": {v}} }

// runConditionalPuts sends each put to bucket/k in turn and checks the
// answer and the body stored afterwards.
func runConditionalPuts(t *testing.T, bucket, k string, puts []conditionalPut) {
	t.Helper()
	ctx := testContext(t)
	ep := tgt.plain
	path := "/" + bucket + "/" + k
	for i, p := range puts {
		before := signedRequest(ctx, t, ep, http.MethodGet, path, nil, nil)
		body := []byte(p.what)
		r := signedRequest(ctx, t, ep, http.MethodPut, path, body, p.header)
		after := signedRequest(ctx, t, ep, http.MethodGet, path, nil, nil)
		what := bucket + " step " + string(rune('1'+i)) + ": " + p.what
		if p.wrote {
			wantOK(t, what, r)
			if after.status != http.StatusOK || !bytes.Equal(after.body, body) {
				t.Errorf("%s: then GET %d %q, want the new body", what, after.status, after.body)
			}
			continue
		}
		wantError(t, what, r, http.StatusPreconditionFailed, "PreconditionFailed")
		if after.status != before.status || (before.status == http.StatusOK && !bytes.Equal(after.body, before.body)) {
			t.Errorf("%s: refused, yet GET changed from %d %q to %d %q", what, before.status, before.body, after.status, after.body)
		}
	}
}

// setVersioning sets a bucket's versioning through S3.
func setVersioning(t *testing.T, bucket string, s types.BucketVersioningStatus) {
	t.Helper()
	if _, err := tgt.plain.s3.PutBucketVersioning(testContext(t), &s3.PutBucketVersioningInput{
		Bucket: aws.String(bucket), VersioningConfiguration: &types.VersioningConfiguration{Status: s},
	}); err != nil {
		t.Fatalf("PutBucketVersioning %s on %s: %v", s, bucket, err)
	}
}

// TestConditionalPutUnversioned: on an unversioned bucket If-None-Match
// "*" creates a key only once (what the s3 state backend's lock file
// relies on) and again after a delete; If-Match matches the unquoted ETag
// only (a quoted one fails), "*" matches any existing object, and neither
// matches a missing key; If-None-Match with a value fails when it equals
// the ETag or when there is no object.
func TestConditionalPutUnversioned(t *testing.T) {
	k := key(t, "lock")
	runConditionalPuts(t, tgt.bucket, k, []conditionalPut{
		{"first", ifNoneMatch("*"), true},
		{"second", ifNoneMatch("*"), false},
		{"quoted", ifMatch(`"` + md5Hex([]byte("first")) + `"`), false},
		{"wrong", ifMatch(md5Hex([]byte("other"))), false},
		{"unquoted", ifMatch(md5Hex([]byte("first"))), true},
		{"any", ifMatch("*"), true},
		{"both", http.Header{"If-Match": {md5Hex([]byte("any"))}, "If-None-Match": {"*"}}, false},
		{"inm-same", ifNoneMatch(md5Hex([]byte("any"))), false},
		{"inm-other", ifNoneMatch(md5Hex([]byte("other"))), true},
	})
	ctx := testContext(t)
	if _, err := tgt.plain.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)}); err != nil {
		t.Fatal(err)
	}
	runConditionalPuts(t, tgt.bucket, k, []conditionalPut{
		{"after-delete", ifNoneMatch("*"), true},
	})
	runConditionalPuts(t, tgt.bucket, key(t, "missing"), []conditionalPut{
		{"im-missing", ifMatch(md5Hex([]byte("x"))), false},
		{"im-any-missing", ifMatch("*"), false},
		{"inm-value-missing", ifNoneMatch(md5Hex([]byte("x"))), false},
	})
}

// TestConditionalPutMultipart: If-Match compares a multipart object's own
// ETag ("...-N"), not the MD5 of its bytes.
func TestConditionalPutMultipart(t *testing.T) {
	ctx := testContext(t)
	k := key(t, "mp")
	parts := [][]byte{bytes.Repeat([]byte("p"), 5<<20), []byte("tail")}
	if _, err := uploadParts(ctx, tgt.plain.s3, k, parts); err != nil {
		t.Fatal(err)
	}
	runConditionalPuts(t, tgt.bucket, k, []conditionalPut{
		{"bytes-md5", ifMatch(md5Hex(bytes.Join(parts, nil))), false},
		{"multipart-etag", ifMatch(multipartETag(parts)), true},
	})
}

// TestConditionalPutVersioned: with versioning Enabled RGW tests the
// conditions against the new version, which does not exist yet:
// If-None-Match "*" always holds, so the object is overwritten (a lock file
// written this way locks nothing), and every other condition fails, the
// current ETag included.
func TestConditionalPutVersioned(t *testing.T) {
	bucket := newBucket(t)
	setVersioning(t, bucket, types.BucketVersioningStatusEnabled)
	runConditionalPuts(t, bucket, "lock", []conditionalPut{
		{"first", ifNoneMatch("*"), true},
		{"second", ifNoneMatch("*"), true},
		{"im-current", ifMatch(md5Hex([]byte("second"))), false},
		{"im-any", ifMatch("*"), false},
		{"inm-other", ifNoneMatch(md5Hex([]byte("other"))), false},
	})
	// A key whose current version is a delete marker is written too.
	if _, err := tgt.plain.s3.DeleteObject(testContext(t), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("lock")}); err != nil {
		t.Fatal(err)
	}
	runConditionalPuts(t, bucket, "lock", []conditionalPut{{"after-marker", ifNoneMatch("*"), true}})
}

// TestConditionalPutSuspended: with versioning Suspended RGW tests the
// key's head. Written while suspended (the null version current), it is
// the current object, as unversioned: If-None-Match "*" fails once the key
// exists. A key with a current version other than null, or a delete
// marker, exists without an ETag: If-None-Match "*" fails, If-Match "*"
// holds, the current ETag does not match.
func TestConditionalPutSuspended(t *testing.T) {
	bucket := newBucket(t)
	setVersioning(t, bucket, types.BucketVersioningStatusSuspended)
	runConditionalPuts(t, bucket, "null", []conditionalPut{
		{"first", ifNoneMatch("*"), true},
		{"second", ifNoneMatch("*"), false},
		{"im-current", ifMatch(md5Hex([]byte("first"))), true},
	})

	bucket = newBucket(t)
	setVersioning(t, bucket, types.BucketVersioningStatusEnabled)
	tgt.putIn(t, bucket, "versioned", "v1")
	tgt.putIn(t, bucket, "marked", "v1")
	if _, err := tgt.plain.s3.DeleteObject(testContext(t), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("marked")}); err != nil {
		t.Fatal(err)
	}
	setVersioning(t, bucket, types.BucketVersioningStatusSuspended)
	runConditionalPuts(t, bucket, "versioned", []conditionalPut{
		{"inm-any", ifNoneMatch("*"), false},
		{"im-current", ifMatch(md5Hex([]byte("v1"))), false},
		{"im-any", ifMatch("*"), true},
		// Now the null version is current, with its ETag.
		{"im-null", ifMatch(md5Hex([]byte("im-any"))), true},
	})
	runConditionalPuts(t, bucket, "marked", []conditionalPut{{"inm-any", ifNoneMatch("*"), false}})
}

// putIn stores body at bucket/k without conditions.
func (t *target) putIn(tt *testing.T, bucket, k, body string) {
	tt.Helper()
	if _, err := t.plain.s3.PutObject(testContext(tt), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader([]byte(body))}); err != nil {
		tt.Fatalf("PutObject %s/%s: %v", bucket, k, err)
	}
}

// TestConditionalPutLockFile: the lock file as OpenTofu's s3 backend
// writes it (If-None-Match "*", a SHA-256 checksum it computed, the SDK's
// default checksum setting), over http and https: the first put creates
// it, the second is refused 412.
func TestConditionalPutLockFile(t *testing.T) {
	ctx := testContext(t)
	body := []byte(`{"ID":"lock"}`)
	sum := sha256.Sum256(body)
	for _, ep := range tgt.endpoints() {
		c := ep.newS3(0)
		k := key(t, ep.name+".tflock")
		put := func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(tgt.bucket), Key: aws.String(k), Body: bytes.NewReader(body),
				ContentType: aws.String("application/json"), ContentLength: aws.Int64(int64(len(body))),
				IfNoneMatch:       aws.String("*"),
				ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
				ChecksumSHA256:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
			})
			return err
		}
		if err := put(); err != nil {
			t.Fatalf("%s: first lock put: %v", ep.name, err)
		}
		err := put()
		if status, code := apiError(err); status != http.StatusPreconditionFailed || code != "PreconditionFailed" {
			t.Errorf("%s: second lock put: %v, want 412 PreconditionFailed", ep.name, err)
		}
	}
}
