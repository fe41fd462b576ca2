// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// TestHeaderSignedPut: a PutObject signed in its Authorization header, with
// content type, cache control, disposition and metadata, reads back with
// all of them, for awkward keys too.
func TestHeaderSignedPut(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		for _, kn := range keyNames {
			t.Run(ep.name+"/"+kn.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, kn.key)
				body := []byte("header-signed " + kn.key)
				out := putSDK(ctx, t, ep, k, body, &s3.PutObjectInput{
					ContentType:        aws.String("application/x-tar"),
					CacheControl:       aws.String("public, max-age=3600"),
					ContentDisposition: aws.String(`attachment; filename="a.tar"`),
					Metadata:           map[string]string{"source-hash": "abc123"},
				})
				if etag := strings.Trim(aws.ToString(out.ETag), `"`); etag != md5Hex(body) {
					t.Errorf("PutObject ETag %q, want md5 %s", etag, md5Hex(body))
				}
				head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				for name, pair := range map[string][2]string{
					"Content-Type":           {aws.ToString(head.ContentType), "application/x-tar"},
					"Cache-Control":          {aws.ToString(head.CacheControl), "public, max-age=3600"},
					"Content-Disposition":    {aws.ToString(head.ContentDisposition), `attachment; filename="a.tar"`},
					"x-amz-meta-source-hash": {head.Metadata["source-hash"], "abc123"},
					"ETag":                   {strings.Trim(aws.ToString(head.ETag), `"`), md5Hex(body)},
				} {
					if pair[0] != pair[1] {
						t.Errorf("HEAD %s %q, want %q", name, pair[0], pair[1])
					}
				}
				if aws.ToInt64(head.ContentLength) != int64(len(body)) {
					t.Errorf("HEAD Content-Length %d, want %d", aws.ToInt64(head.ContentLength), len(body))
				}
				if head.LastModified == nil || head.LastModified.IsZero() {
					t.Error("HEAD has no Last-Modified")
				}
				if b := getSDK(ctx, t, ep, k); !bytes.Equal(b, body) {
					t.Errorf("GetObject %q, want %q", b, body)
				}
			})
		}
	}
}

// TestHeadMissing: HEAD on a missing key is 404, and on a missing bucket
// too.
func TestHeadMissing(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			wantNotFound(ctx, t, ep, key(t, "missing"))
			_, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket + "-none"), Key: aws.String("k")})
			if status, _ := apiError(err); status != http.StatusNotFound {
				t.Errorf("HeadObject in a missing bucket: %v, want 404", err)
			}
			_, err = ep.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(key(t, "missing"))})
			var nsk *types.NoSuchKey
			if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchKey" || !bytes.Contains([]byte(err.Error()), []byte("NoSuchKey")) {
				t.Errorf("GetObject missing: %v, want 404 NoSuchKey", err)
			} else if !errors.As(err, &nsk) {
				t.Errorf("GetObject missing: %T, want *types.NoSuchKey", err)
			}
		})
	}
}

// TestMultipart uploads 3 parts of 5 MiB and a short last one, over http
// and https, with the SDK's checksum settings: only when required (what the
// provider uses) and unset must work; when supported (the SDK's default
// through its config loader) sends aws-chunked bodies with a CRC32 trailer
// over https, which Pacific's RGW refuses: that outcome is recorded, and
// checked for RGW.
func TestMultipart(t *testing.T) {
	const partSize = 5 << 20
	parts := [][]byte{randomBytes(t, partSize), randomBytes(t, partSize), randomBytes(t, partSize), randomBytes(t, 1<<20)}
	whole := bytes.Join(parts, nil)
	want := multipartETag(parts)
	for _, c := range []struct {
		name      string
		checksums aws.RequestChecksumCalculation
		required  bool // the provider depends on this one
	}{
		{"when required", aws.RequestChecksumCalculationWhenRequired, true},
		// The zero value of s3.Options: no checksum is sent for PutObject
		// or UploadPart (the config loader's default is WhenSupported).
		{"unset", aws.RequestChecksumCalculationUnset, true},
		{"when supported", aws.RequestChecksumCalculationWhenSupported, false},
	} {
		for _, ep := range tgt.endpoints() {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				client := ep.newS3(c.checksums)
				k := key(t, "big.bin")
				etag, err := uploadParts(ctx, client, k, parts)
				if err != nil {
					status, code := apiError(err)
					if c.required {
						t.Fatalf("multipart upload: %v", err)
					}
					t.Logf("%s on %s with %s checksums: refused %d %s (%v)", tgt.server, ep.name, c.name, status, code, err)
					if tgt.isRGW() && ep.name == "https" && (status != http.StatusBadRequest || code != "XAmzContentSHA256Mismatch") {
						t.Errorf("Pacific RGW answers aws-chunked trailers with 400 XAmzContentSHA256Mismatch; got %d %s", status, code)
					}
					return
				}
				t.Logf("%s on %s with %s checksums: CompleteMultipartUpload ETag %q", tgt.server, ep.name, c.name, etag)
				if !c.required && tgt.isRGW() && ep.name == "https" {
					t.Errorf("Pacific RGW refuses aws-chunked trailers with 400 XAmzContentSHA256Mismatch; this one accepted them")
				}
				if etag != "" && etag != want {
					t.Errorf("CompleteMultipartUpload ETag %q, want %q", etag, want)
				}
				head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Trim(aws.ToString(head.ETag), `"`); got != want {
					t.Errorf("HEAD ETag %q, want hex(md5(md5(part)...))-N %q", got, want)
				}
				if aws.ToInt64(head.ContentLength) != int64(len(whole)) {
					t.Errorf("HEAD size %d, want %d", aws.ToInt64(head.ContentLength), len(whole))
				}
				if b := getSDK(ctx, t, ep, k); !bytes.Equal(b, whole) {
					t.Errorf("the stored object differs from what was uploaded (%d bytes, want %d)", len(b), len(whole))
				}
			})
		}
	}
}

// uploadParts runs one multipart upload, aborting it on failure, and
// returns CompleteMultipartUpload's ETag without quotes.
func uploadParts(ctx context.Context, c *s3.Client, k string, parts [][]byte) (string, error) {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), ContentType: aws.String("application/octet-stream")})
	if err != nil {
		return "", err
	}
	var done []types.CompletedPart
	for i, p := range parts {
		n := int32(i + 1)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(p), ContentLength: aws.Int64(int64(len(p)))})
		if err != nil {
			_, _ = c.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: up.UploadId})
			return "", err
		}
		done = append(done, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n), ChecksumCRC32: out.ChecksumCRC32})
	}
	out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
	if err != nil {
		_, _ = c.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: up.UploadId})
		return "", err
	}
	return strings.Trim(aws.ToString(out.ETag), `"`), nil
}

// TestTransferManagerUpload: the transfer manager as the provider sets it
// up (5 MiB parts, two at a time, checksums when required) over https.
func TestTransferManagerUpload(t *testing.T) {
	ctx := testContext(t)
	ep := tgt.tls
	const partSize = 5 << 20
	whole := randomBytes(t, 3*partSize+12345)
	parts := [][]byte{whole[:partSize], whole[partSize : 2*partSize], whole[2*partSize : 3*partSize], whole[3*partSize:]}
	tm := transfermanager.New(ep.s3, func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = 2
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	k := key(t, "tm.bin")
	if _, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), Body: bytes.NewReader(whole), CacheControl: aws.String("max-age=1")}); err != nil {
		t.Fatalf("UploadObject: %v", err)
	}
	head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Trim(aws.ToString(head.ETag), `"`), multipartETag(parts); got != want {
		t.Errorf("ETag %q, want %q", got, want)
	}
	if got := aws.ToString(head.CacheControl); got != "max-age=1" {
		t.Errorf("Cache-Control %q, want max-age=1", got)
	}
}

// TestSinglePutChecksums: a single PutObject over each scheme with each
// checksum setting, as TestMultipart; an accepted upload must have stored
// the bytes sent.
func TestSinglePutChecksums(t *testing.T) {
	body := randomBytes(t, 64<<10)
	for _, c := range []struct {
		name      string
		checksums aws.RequestChecksumCalculation
		required  bool
	}{
		{"when required", aws.RequestChecksumCalculationWhenRequired, true},
		// The zero value of s3.Options: no checksum is sent for PutObject
		// or UploadPart (the config loader's default is WhenSupported).
		{"unset", aws.RequestChecksumCalculationUnset, true},
		{"when supported", aws.RequestChecksumCalculationWhenSupported, false},
	} {
		for _, ep := range tgt.endpoints() {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				client := ep.newS3(c.checksums)
				k := key(t, "one.bin")
				_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), Body: bytes.NewReader(body)})
				if err != nil {
					status, code := apiError(err)
					if c.required {
						t.Fatalf("PutObject: %v", err)
					}
					t.Logf("%s on %s with %s checksums: refused %d %s", tgt.server, ep.name, c.name, status, code)
					if tgt.isRGW() && ep.name == "https" && (status != http.StatusBadRequest || code != "XAmzContentSHA256Mismatch") {
						t.Errorf("Pacific RGW answers aws-chunked trailers with 400 XAmzContentSHA256Mismatch; got %d %s", status, code)
					}
					return
				}
				t.Logf("%s with %s checksums on %s: accepted", tgt.server, c.name, ep.name)
				if !c.required && tgt.isRGW() && ep.name == "https" {
					t.Errorf("Pacific RGW refuses aws-chunked trailers with 400 XAmzContentSHA256Mismatch; this one accepted them")
				}
				if b := getSDK(ctx, t, ep, k); !bytes.Equal(b, body) {
					t.Errorf("stored %d bytes differing from the %d sent", len(b), len(body))
				}
			})
		}
	}
}

// TestList: ListObjectsV2 with small pages, continuation tokens, prefix
// and delimiter.
func TestList(t *testing.T) {
	ep := tgt.plain
	ctx := testContext(t)
	base := key(t, "")
	names := []string{"a/1", "a/2", "b/1", "c", "d", "e", "f", "g/h/i"}
	for _, n := range names {
		putSDK(ctx, t, ep, base+n, []byte(n), nil)
	}
	// Decoys outside the prefix.
	putSDK(ctx, t, ep, strings.TrimSuffix(base, "/")+"-decoy", []byte("x"), nil)

	t.Run("pages of 3", func(t *testing.T) {
		var keys []string
		var token *string
		pages := 0
		for {
			out, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base), MaxKeys: aws.Int32(3), ContinuationToken: token})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(out.Contents) > 3 {
				t.Errorf("page %d has %d objects, MaxKeys 3", pages, len(out.Contents))
			}
			if aws.ToInt32(out.KeyCount) != int32(len(out.Contents)) {
				t.Errorf("page %d KeyCount %d, %d objects", pages, aws.ToInt32(out.KeyCount), len(out.Contents))
			}
			for _, o := range out.Contents {
				keys = append(keys, strings.TrimPrefix(aws.ToString(o.Key), base))
			}
			if !aws.ToBool(out.IsTruncated) {
				if out.NextContinuationToken != nil {
					t.Errorf("last page carries a continuation token")
				}
				break
			}
			if aws.ToString(out.NextContinuationToken) == "" {
				t.Fatalf("page %d truncated without a continuation token", pages)
			}
			token = out.NextContinuationToken
			if pages > 10 {
				t.Fatal("more than 10 pages")
			}
		}
		if pages != 3 {
			t.Errorf("%d pages, want 3", pages)
		}
		if !slices.Equal(keys, names) {
			t.Errorf("keys %q, want %q in order", keys, names)
		}
	})

	t.Run("delimiter", func(t *testing.T) {
		out, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base), Delimiter: aws.String("/")})
		if err != nil {
			t.Fatal(err)
		}
		var keys, prefixes []string
		for _, o := range out.Contents {
			keys = append(keys, strings.TrimPrefix(aws.ToString(o.Key), base))
		}
		for _, p := range out.CommonPrefixes {
			prefixes = append(prefixes, strings.TrimPrefix(aws.ToString(p.Prefix), base))
		}
		if want := []string{"c", "d", "e", "f"}; !slices.Equal(keys, want) {
			t.Errorf("keys %q, want %q", keys, want)
		}
		if want := []string{"a/", "b/", "g/"}; !slices.Equal(prefixes, want) {
			t.Errorf("common prefixes %q, want %q", prefixes, want)
		}
	})

	t.Run("delimiter in pages of 2", func(t *testing.T) {
		var got []string
		p := s3.NewListObjectsV2Paginator(ep.s3, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if n := len(out.Contents) + len(out.CommonPrefixes); n > 2 {
				t.Errorf("page %d has %d entries, MaxKeys 2", pages, n)
			}
			for _, o := range out.Contents {
				got = append(got, strings.TrimPrefix(aws.ToString(o.Key), base))
			}
			for _, cp := range out.CommonPrefixes {
				got = append(got, strings.TrimPrefix(aws.ToString(cp.Prefix), base))
			}
			if pages > 10 {
				t.Fatal("more than 10 pages")
			}
		}
		slices.Sort(got)
		if want := []string{"a/", "b/", "c", "d", "e", "f", "g/"}; !slices.Equal(got, want) {
			t.Errorf("entries %q, want %q", got, want)
		}
	})

	t.Run("nested prefix", func(t *testing.T) {
		out, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base + "a/")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Contents) != 2 || aws.ToInt64(out.Contents[0].Size) != 3 || strings.Trim(aws.ToString(out.Contents[0].ETag), `"`) != md5Hex([]byte("a/1")) {
			t.Errorf("listing %sa/: %+v", base, out.Contents)
		}
	})

	t.Run("start after", func(t *testing.T) {
		out, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base), StartAfter: aws.String(base + "e")})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range out.Contents {
			keys = append(keys, strings.TrimPrefix(aws.ToString(o.Key), base))
		}
		if want := []string{"f", "g/h/i"}; !slices.Equal(keys, want) {
			t.Errorf("keys %q, want %q", keys, want)
		}
	})

	t.Run("empty prefix", func(t *testing.T) {
		out, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(base + "zzz")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Contents) != 0 || aws.ToBool(out.IsTruncated) {
			t.Errorf("listing a prefix with no objects: %d objects, truncated %v", len(out.Contents), aws.ToBool(out.IsTruncated))
		}
	})
}

// TestDelete: DeleteObject answers 204, for an existing key and a missing
// one alike, and the object is gone.
func TestDelete(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "doomed")
			putSDK(ctx, t, ep, k, []byte("x"), nil)
			for _, what := range []string{"existing", "missing", "missing again"} {
				out, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatalf("DeleteObject %s: %v", what, err)
				}
				if s := rawStatus(t, out.ResultMetadata); s != http.StatusNoContent {
					t.Errorf("DeleteObject %s: status %d, want 204", what, s)
				}
				wantNotFound(ctx, t, ep, k)
			}
			// A key never written.
			out, err := ep.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(key(t, "never"))})
			if err != nil {
				t.Fatalf("DeleteObject never written: %v", err)
			}
			if s := rawStatus(t, out.ResultMetadata); s != http.StatusNoContent {
				t.Errorf("DeleteObject never written: status %d, want 204", s)
			}
		})
	}
}

// TestOverwriteReplacesHeaders: an object's Cache-Control, Content-Type
// and metadata are those of its last put; a put without Cache-Control over
// one with it leaves none, through the SDK and through a presigned PUT.
func TestOverwriteReplacesHeaders(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		for _, second := range []string{"sdk", "presigned"} {
			t.Run(ep.name+"/"+second, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "obj")
				putSDK(ctx, t, ep, k, []byte("one"), &s3.PutObjectInput{
					ContentType: aws.String("text/html"), CacheControl: aws.String("max-age=600"),
					ContentDisposition: aws.String("inline"), Metadata: map[string]string{"a": "1"},
				})
				switch second {
				case "sdk":
					putSDK(ctx, t, ep, k, []byte("two"), &s3.PutObjectInput{ContentType: aws.String("text/plain")})
				case "presigned":
					up := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Upload, ContentType: "text/plain"})
					wantOK(t, "presigned PUT", send(ctx, t, ep, up, []byte("two"), nil))
				}
				head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				if got := aws.ToString(head.ContentType); got != "text/plain" {
					t.Errorf("Content-Type %q, want text/plain", got)
				}
				if got := aws.ToString(head.CacheControl); got != "" {
					t.Errorf("Cache-Control %q survived an overwrite without one", got)
				}
				if got := aws.ToString(head.ContentDisposition); got != "" {
					t.Errorf("Content-Disposition %q survived an overwrite without one", got)
				}
				if len(head.Metadata) != 0 {
					t.Errorf("metadata %v survived an overwrite without any", head.Metadata)
				}
				if b := getSDK(ctx, t, ep, k); string(b) != "two" {
					t.Errorf("body %q, want two", b)
				}
			})
		}
	}
}

// TestUnversionedNoVersionID: in a bucket that never had versioning, puts
// and heads carry no version id, or "null".
func TestUnversionedNoVersionID(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "v")
			out := putSDK(ctx, t, ep, k, []byte("v"), nil)
			if v := aws.ToString(out.VersionId); v != "" && v != "null" {
				t.Errorf("PutObject version id %q in an unversioned bucket", v)
			}
			head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			if v := aws.ToString(head.VersionId); v != "" && v != "null" {
				t.Errorf("HeadObject version id %q in an unversioned bucket", v)
			}
			t.Logf("%s: put version id %q, head version id %q", tgt.server, aws.ToString(out.VersionId), aws.ToString(head.VersionId))
			v, err := ep.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(tgt.bucket)})
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != "" {
				t.Errorf("versioning status %q, want none", v.Status)
			}
		})
	}
}

// TestListMultipartUploadsOfAFreshBucket: a bucket that never had a
// multipart upload lists none (200), which clients that clean up stray
// uploads rely on.
func TestListMultipartUploadsOfAFreshBucket(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	for _, ep := range tgt.storeEndpoints() {
		out, err := ep.s3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil || len(out.Uploads) != 0 {
			t.Errorf("ListMultipartUploads of a fresh bucket on %s: %v, %v", ep.name, out, err)
		}
	}
}
