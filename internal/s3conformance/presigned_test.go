// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// keyNames are object names that need escaping or are easy to mangle.
var keyNames = []struct{ name, key string }{
	{"plain", "plain.txt"},
	{"space", "with space.txt"},
	{"plus", "a+b.txt"},
	{"percent", "100%25 sure %41.txt"},
	{"unicode", "räksmörgås-✓-日本.txt"},
	{"double slash", "dir//file.txt"},
	{"trailing slash", "dir/"},
	{"reserved", "a=b&c;d,e:f@g$h!'()*.txt"},
	{"tilde and dash", "~user/_-.txt"},
	{"question mark and hash", "q?x#y.txt"},
}

// TestPresignedPutGet uploads through a presigned PUT and downloads through
// a presigned GET, as curl on an instance does, for awkward keys; the SDK
// then sees the same object under the same key.
func TestPresignedPutGet(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		for _, kn := range keyNames {
			t.Run(ep.name+"/"+kn.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, kn.key)
				body := []byte("presigned " + kn.key)
				up := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Upload, ContentType: "text/plain; charset=utf-8"})
				if up.Method != http.MethodPut {
					t.Fatalf("upload method %s", up.Method)
				}
				wantOK(t, "presigned PUT", send(ctx, t, ep, up, body, nil))

				down := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Download})
				got := send(ctx, t, ep, down, nil, nil)
				wantOK(t, "presigned GET", got)
				if !bytes.Equal(got.body, body) {
					t.Errorf("presigned GET body %q, want %q", got.body, body)
				}
				if ct := got.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
					t.Errorf("Content-Type %q, want the signed one", ct)
				}
				if etag := strings.Trim(got.header.Get("ETag"), `"`); etag != md5Hex(body) {
					t.Errorf("ETag %q, want md5 %s", etag, md5Hex(body))
				}

				// The same key through the SDK: read, overwrite, read back
				// through a presigned URL.
				if b := getSDK(ctx, t, ep, k); !bytes.Equal(b, body) {
					t.Errorf("SDK GetObject %q, want %q", b, body)
				}
				body2 := []byte("sdk " + kn.key)
				putSDK(ctx, t, ep, k, body2, nil)
				got = send(ctx, t, ep, down, nil, nil)
				wantOK(t, "presigned GET after SDK put", got)
				if !bytes.Equal(got.body, body2) {
					t.Errorf("presigned GET after SDK put %q, want %q", got.body, body2)
				}

				// Listed under exactly that key.
				list, err := ep.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(tgt.bucket), Prefix: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != k {
					var keys []string
					for _, o := range list.Contents {
						keys = append(keys, aws.ToString(o.Key))
					}
					t.Errorf("listing prefix %q: %q, want exactly that key", k, keys)
				}
			})
		}
	}
}

// TestPresignedContentType: a content type signed into an upload URL must
// be sent exactly; another one, or none, is refused.
func TestPresignedContentType(t *testing.T) {
	cases := []struct {
		name   string
		header http.Header // replaces the signed Content-Type; nil value removes it
		ok     bool
	}{
		{"as signed", nil, true},
		{"different", http.Header{"Content-Type": {"application/json"}}, false},
		{"missing", http.Header{"Content-Type": nil}, false},
		{"different case", http.Header{"Content-Type": {"Text/Plain"}}, false},
	}
	for _, ep := range tgt.endpoints() {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "typed.txt")
				up := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Upload, ContentType: "text/plain"})
				r := send(ctx, t, ep, up, []byte("typed"), c.header)
				if c.ok {
					wantOK(t, "PUT", r)
					return
				}
				wantError(t, "PUT", r, http.StatusForbidden, "SignatureDoesNotMatch")
				wantNotFound(ctx, t, ep, k)
			})
		}
	}
}

// TestPresignedExpiry: a URL whose X-Amz-Date + X-Amz-Expires has passed
// is refused 403 AccessDenied; one inside its window works. The signing
// time is set in the past instead of waiting.
func TestPresignedExpiry(t *testing.T) {
	cases := []struct {
		name     string
		signedAt time.Duration // before now (negative: after)
		expires  time.Duration
		ok       bool
	}{
		{"valid", time.Hour, 2 * time.Hour, true},
		{"expired an hour ago", 2 * time.Hour, time.Hour, false},
		{"expired a minute ago", 16 * time.Minute, 15 * time.Minute, false},
		{"seven days, signed six days ago", 6 * 24 * time.Hour, presignedurl.MaxLifetime, true},
		{"seven days, expired", 8 * 24 * time.Hour, presignedurl.MaxLifetime, false},
		// RGW sets no lower bound on X-Amz-Date: a URL signed in the future
		// is valid from now until its signing time plus its lifetime.
		{"signed an hour in the future", -time.Hour, 15 * time.Minute, true},
	}
	for _, ep := range tgt.endpoints() {
		for _, action := range []presignedurl.Action{presignedurl.Download, presignedurl.Upload} {
			for _, c := range cases {
				t.Run(ep.name+"/"+string(action)+"/"+c.name, func(t *testing.T) {
					ctx := testContext(t)
					k := key(t, "obj.txt")
					putSDK(ctx, t, ep, k, []byte("before"), nil)
					p := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: action, SignedAt: time.Now().Add(-c.signedAt), Expires: c.expires})
					var body []byte
					if action == presignedurl.Upload {
						body = []byte("after")
					}
					r := send(ctx, t, ep, p, body, nil)
					if c.ok {
						wantOK(t, string(action), r)
						return
					}
					wantError(t, string(action), r, http.StatusForbidden, "AccessDenied")
					if b := getSDK(ctx, t, ep, k); string(b) != "before" {
						t.Errorf("object %q after a refused upload", b)
					}
				})
			}
		}
	}
}

// TestPresignedResponseOverrides: response-* parameters signed into a
// download URL come back as the answer's headers.
func TestPresignedResponseOverrides(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "report.csv")
			putSDK(ctx, t, ep, k, []byte("a,b\n"), &s3.PutObjectInput{ContentType: aws.String("text/csv"), CacheControl: aws.String("no-store")})
			in := hostups3.PresignInput{
				Key: k, Action: presignedurl.Download,
				ResponseContentDisposition: `attachment; filename="Q1 report.csv"`,
				ResponseContentType:        "application/octet-stream",
				ResponseCacheControl:       "private, max-age=60",
			}
			r := send(ctx, t, ep, presign(ctx, t, ep, in), nil, nil)
			wantOK(t, "GET", r)
			for h, want := range map[string]string{
				"Content-Disposition": in.ResponseContentDisposition,
				"Content-Type":        in.ResponseContentType,
				"Cache-Control":       in.ResponseCacheControl,
			} {
				if got := r.header.Get(h); got != want {
					t.Errorf("%s %q, want %q", h, got, want)
				}
			}
			// Without overrides the stored values come back.
			r = send(ctx, t, ep, presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Download}), nil, nil)
			wantOK(t, "GET", r)
			if got := r.header.Get("Content-Type"); got != "text/csv" {
				t.Errorf("Content-Type %q, want text/csv", got)
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			if got := r.header.Get("Content-Disposition"); got != "" {
				t.Errorf("Content-Disposition %q, want none", got)
			}
		})
	}
}

// TestPresignedMissingKey: a valid download URL for a key that does not
// exist answers 404 NoSuchKey.
func TestPresignedMissingKey(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			r := send(ctx, t, ep, presign(ctx, t, ep, hostups3.PresignInput{Key: key(t, "never-written"), Action: presignedurl.Download}), nil, nil)
			wantError(t, "GET", r, http.StatusNotFound, "NoSuchKey")
		})
	}
}
