// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

var emulatorCreds = aws.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey}

// s3Client is an aws-sdk-go-v2 S3 client on the emulator with its key pair,
// checksums only when required (as the provider configures it) and no
// retries unless opts add them.
func s3Client(t *testing.T, e *emulator.Emulator, opts ...func(*s3.Options)) *s3.Client {
	t.Helper()
	o := s3.Options{
		BaseEndpoint: aws.String(e.S3URL()),
		UsePathStyle: true,
		Region:       emulator.Region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return emulatorCreds, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RetryMaxAttempts:           1,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return s3.New(o)
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// signRequest signs req, whose X-Amz-Content-Sha256 header is payloadHash,
// with the emulator's key pair as of at.
func signRequest(t *testing.T, req *http.Request, payloadHash string, at time.Time) {
	t.Helper()
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), emulatorCreds, req, payloadHash, "s3", emulator.Region, at); err != nil {
		t.Fatal(err)
	}
}

// newSignedRequest is a request for url with body, whose hash the request
// gives as payloadHash, signed with the emulator's key pair as of at.
func newSignedRequest(t *testing.T, method, url string, body []byte, payloadHash string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	signRequest(t, req, payloadHash, at)
	return req
}

// headerSigned signs a request over signedPath (escaped as given) with the
// emulator's key pair, lets alter change it after signing, and sends it with
// sentPath (escaped as given) on the wire.
func headerSigned(t *testing.T, e *emulator.Emulator, method, signedPath, sentPath string, body []byte, payloadHash string, alter func(*http.Request)) (int, string) {
	t.Helper()
	host := strings.TrimPrefix(strings.TrimPrefix(e.S3URL(), "http://"), "https://")
	req, err := http.NewRequest(method, e.S3URL()+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	signedPath, signedQuery, _ := strings.Cut(signedPath, "?")
	sentPath, sentQuery, _ := strings.Cut(sentPath, "?")
	req.URL.Opaque, req.URL.RawQuery = "//"+host+signedPath, signedQuery
	if payloadHash == "" {
		payloadHash = hashHex(body)
	}
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	if alter != nil {
		alter(req)
	}
	hostHeader := req.Host
	signRequest(t, req, payloadHash, e.Now())
	if hostHeader != "" {
		req.Host = hostHeader // the signer strips a default port; send what was asked
	}
	req.URL.Opaque, req.URL.RawQuery = sentPath, sentQuery
	return sendRequest(t, req)
}

func wantCode(t *testing.T, what string, status int, body string, wantStatus int, code string) {
	t.Helper()
	if status != wantStatus || !strings.Contains(body, "<Code>"+code+"</Code>") {
		t.Fatalf("%s: HTTP %d %s, want %d %s", what, status, body, wantStatus, code)
	}
}

// Item 1: an x-amz-* header the client did not sign is accepted and acted
// on, on presigned and header-signed requests alike. This is what Ceph RGW
// Pacific does, unlike AWS S3 (which refuses headers outside
// SignedHeaders), and it is why the provider's docs warn that an upload URL
// lets its holder copy objects the key pair can read: an unsigned
// X-Amz-Copy-Source turns the URL's PUT into a copy.
func TestUnsignedAmzHeadersAreActedOn(t *testing.T) {
	e := start(t, emulator.Options{})
	if err := e.PutObject("media", "secret.txt", []byte("top secret")); err != nil {
		t.Fatal(err)
	}
	head := func(t *testing.T, key string) *s3.HeadObjectOutput {
		t.Helper()
		h, err := s3Client(t, e).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, c := range []struct {
		name, key     string
		header, value string // the unsigned header sent with the URL's PUT
		check         func(t *testing.T)
	}{
		{"presigned upload with a copy source copies", "copied.txt", "X-Amz-Copy-Source", "/media/secret.txt", func(t *testing.T) {
			if got, err := e.GetObject("media", "copied.txt"); err != nil || string(got) != "top secret" {
				t.Fatalf("copied.txt: %q %v, want the source's bytes", got, err)
			}
		}},
		{"presigned upload with metadata stores it", "meta.txt", "X-Amz-Meta-Owner", "mallory", func(t *testing.T) {
			if h := head(t, "meta.txt"); h.Metadata["owner"] != "mallory" {
				t.Fatalf("metadata %v, want owner=mallory", h.Metadata)
			}
		}},
		// The store has no ACLs: the header is accepted and ignored.
		{"presigned upload with a canned ACL is accepted", "acl.txt", "X-Amz-Acl", "public-read", func(t *testing.T) {
			if got, err := e.GetObject("media", "acl.txt"); err != nil || string(got) != "mine" {
				t.Fatalf("acl.txt: %q %v", got, err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			put := presignURL(t, e, c.key, "upload", "")
			status, body, err := emulatortest.Do(http.MethodPut, put, "", []byte("mine"), c.header, c.value)
			if err != nil {
				t.Fatal(err)
			}
			if status != 200 {
				t.Fatalf("PUT: HTTP %d %s", status, body)
			}
			c.check(t)
		})
	}
	t.Run("header-signed, metadata added after signing", func(t *testing.T) {
		req := newSignedRequest(t, http.MethodPut, e.S3URL()+"/media/signed.txt", []byte("x"), hashHex([]byte("x")), e.Now())
		req.Header.Set("X-Amz-Meta-Owner", "mallory")
		status, body := sendRequest(t, req)
		if status != 200 {
			t.Fatalf("PUT: HTTP %d %s", status, body)
		}
		if h := head(t, "signed.txt"); h.Metadata["owner"] != "mallory" {
			t.Fatalf("metadata %v, want owner=mallory", h.Metadata)
		}
	})
	for _, c := range []struct {
		name, payload string
		body          []byte
		status        int
	}{
		{"no body", hashHex(nil), nil, 200},
		{"unsigned payload", "UNSIGNED-PAYLOAD", []byte("mine"), 200},
		// RGW answers 501 to a copy whose body is declared by its SHA-256.
		{"body with its hash", hashHex([]byte("mine")), []byte("mine"), 501},
	} {
		t.Run("header-signed, copy source added after signing, "+c.name, func(t *testing.T) {
			key := "dst-" + strings.ReplaceAll(c.name, " ", "-") + ".txt"
			req := newSignedRequest(t, http.MethodPut, e.S3URL()+"/media/"+key, c.body, c.payload, e.Now())
			req.Header.Set("X-Amz-Copy-Source", "/media/secret.txt")
			status, body := sendRequest(t, req)
			if c.status != 200 {
				wantCode(t, "PUT", status, body, c.status, "NotImplemented")
				if got, err := e.GetObject("media", key); err == nil {
					t.Fatalf("stored %q", got)
				}
				return
			}
			if status != 200 {
				t.Fatalf("PUT: HTTP %d %s", status, body)
			}
			if got, err := e.GetObject("media", key); err != nil || string(got) != "top secret" {
				t.Fatalf("%s: %q %v, want the source's bytes", key, got, err)
			}
		})
	}
}

// sendRequest sends req and reads the answer.
func sendRequest(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A presigned URL's window has an end but no start, as on RGW: one signed
// an hour ahead of the emulator clock works, one past its expiry does not.
// A header-signed request must be within 15 minutes either way.
func TestSigningTimeBounds(t *testing.T) {
	e := start(t, emulator.Options{})
	if err := e.PutObject("media", "a.txt", []byte("a")); err != nil {
		t.Fatal(err)
	}
	signer, err := hostups3.NewSigner(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region,
		AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		signedAt time.Duration // from the emulator clock
		expires  time.Duration
		status   int
	}{
		{"presigned an hour ahead", time.Hour, time.Minute, 200},
		{"presigned a week ahead", 7 * 24 * time.Hour, time.Minute, 200},
		{"presigned, expired", -2 * time.Minute, time.Minute, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := signer.Presign(context.Background(), hostups3.PresignInput{Bucket: "media", Key: "a.txt", Action: presignedurl.Download,
				SignedAt: e.Now().Add(c.signedAt), Expires: c.expires})
			if err != nil {
				t.Fatal(err)
			}
			status, body := do(t, http.MethodGet, p.URL, "", nil)
			if c.status != 200 {
				wantCode(t, "GET", status, body, c.status, "AccessDenied")
			} else if status != 200 {
				t.Fatalf("GET: HTTP %d %s", status, body)
			}
		})
	}
	for _, c := range []struct {
		name     string
		signedAt time.Duration
		status   int
	}{
		{"header-signed 14 minutes ahead", 14 * time.Minute, 200},
		{"header-signed 14 minutes behind", -14 * time.Minute, 200},
		{"header-signed 16 minutes ahead", 16 * time.Minute, 403},
		{"header-signed an hour behind", -time.Hour, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := newSignedRequest(t, http.MethodGet, e.S3URL()+"/media/a.txt", nil, hashHex(nil), e.Now().Add(c.signedAt))
			status, body := sendRequest(t, req)
			if c.status != 200 {
				wantCode(t, "GET", status, body, c.status, "RequestTimeTooSkewed")
			} else if status != 200 {
				t.Fatalf("GET: HTTP %d %s", status, body)
			}
		})
	}
}

// Item 2: the path is signed as S3 canonicalises it (decoded, then encoded
// S3's way), not as sent.
func TestCanonicalPathIsDecodedThenReencoded(t *testing.T) {
	e := start(t, emulator.Options{})
	for _, key := range []string{"a+b", "a b", "a~b"} {
		if err := e.PutObject("media", key, []byte(key)); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, signed, sent string
		want               int
	}{
		{"signed %2B, sent +", "/media/a%2Bb", "/media/a+b", 200},
		{"signed %2B, sent %2b", "/media/a%2Bb", "/media/a%2bb", 200},
		{"signed ~, sent %7E", "/media/a~b", "/media/a%7Eb", 200},
		{"signed %20, sent %20", "/media/a%20b", "/media/a%20b", 200},
		{"signed a literal +", "/media/a+b", "/media/a+b", 403},
		{"signed %7E", "/media/a%7Eb", "/media/a~b", 403},
		{"signed %20, sent %2520", "/media/a%20b", "/media/a%2520b", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := headerSigned(t, e, http.MethodGet, tc.signed, tc.sent, nil, "", nil)
			if status != tc.want {
				t.Fatalf("HTTP %d %s, want %d", status, body, tc.want)
			}
			if tc.want == 403 && !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
				t.Fatalf("body %s", body)
			}
		})
	}
}

// Item 3: the Host header is signed exactly as received; the signer's
// default-port stripping does not make host:80 equal to host.
func TestHostHeaderIsSignedVerbatim(t *testing.T) {
	e := start(t, emulator.Options{})
	if err := e.PutObject("media", "a.txt", []byte("a")); err != nil {
		t.Fatal(err)
	}
	status, body := headerSigned(t, e, http.MethodGet, "/media/a.txt", "/media/a.txt", nil, "", func(r *http.Request) {
		r.Host = "127.0.0.1:80" // signed as 127.0.0.1, sent with :80
	})
	wantCode(t, "GET with Host 127.0.0.1:80", status, body, 403, "SignatureDoesNotMatch")
}

// A presigned URL that fails its signature is tried again with the
// listener's port appended to Host, as RGW does (for boto2); only that:
// header-signed requests get no second try, and neither does a default port
// added to a Host that was signed without one.
func TestPresignedHostPortFallback(t *testing.T) {
	e := start(t, emulator.Options{})
	if err := e.PutObject("media", "a.txt", []byte("a")); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(e.S3URL(), "http://")
	presignFor := func(t *testing.T, endpoint string) string {
		t.Helper()
		s, err := hostups3.NewSigner(hostups3.Config{Endpoint: endpoint, Region: emulator.Region,
			AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Presign(context.Background(), hostups3.PresignInput{Bucket: "media", Key: "a.txt", Action: presignedurl.Download, SignedAt: e.Now(), Expires: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		// Sent to the emulator whatever host it was signed for.
		return e.S3URL() + p.URL[strings.Index(p.URL, "/media/"):]
	}
	for _, c := range []struct {
		name, signedFor, sentHost string
		status                    int
	}{
		{"real port signed, none sent", e.S3URL(), "127.0.0.1", 200},
		{"real port signed and sent", e.S3URL(), host, 200},
		{"real port signed, another host sent", e.S3URL(), "localhost", 403},
		{"real port signed, another port sent", e.S3URL(), "127.0.0.1:1", 403},
		{"no port signed, default port sent", "http://127.0.0.1", "127.0.0.1:80", 403},
		{"another port signed, none sent", "http://127.0.0.1:1", "127.0.0.1", 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, presignFor(t, c.signedFor), nil)
			req.Host = c.sentHost
			status, body := sendRequest(t, req)
			if c.status != 200 {
				wantCode(t, "GET with Host "+c.sentHost, status, body, c.status, "SignatureDoesNotMatch")
			} else if status != 200 {
				t.Fatalf("GET with Host %s: HTTP %d %s", c.sentHost, status, body)
			}
		})
	}
	t.Run("header-signed, real port signed, none sent", func(t *testing.T) {
		req := newSignedRequest(t, http.MethodGet, e.S3URL()+"/media/a.txt", nil, hashHex(nil), e.Now())
		req.Host = "127.0.0.1"
		status, body := sendRequest(t, req)
		wantCode(t, "GET with Host 127.0.0.1", status, body, 403, "SignatureDoesNotMatch")
	})
}

// Item 4: a body that does not match its declared SHA-256 is refused and
// nothing is stored, in memory and on disk, small or streamed.
func TestPayloadHashMismatchStoresNothing(t *testing.T) {
	for _, dir := range []bool{false, true} {
		for _, size := range []int{10, 3 << 20} {
			name := "memory"
			opts := emulator.Options{}
			if dir {
				name, opts.Dir = "dir", t.TempDir()
			}
			t.Run(fmt.Sprintf("%s/%d", name, size), func(t *testing.T) {
				e := start(t, opts)
				if err := e.PutObject("media", "kept.bin", []byte("old")); err != nil {
					t.Fatal(err)
				}
				body := bytes.Repeat([]byte("x"), size)
				status, resp := headerSigned(t, e, http.MethodPut, "/media/kept.bin", "/media/kept.bin", body, hashHex([]byte("other")), nil)
				wantCode(t, "PUT", status, resp, 400, "XAmzContentSHA256Mismatch")
				if got, err := e.GetObject("media", "kept.bin"); err != nil || string(got) != "old" {
					t.Fatalf("after a refused PUT: %q %v", got, err)
				}
				status, resp = headerSigned(t, e, http.MethodPut, "/media/new.bin", "/media/new.bin", body, hashHex([]byte("other")), nil)
				wantCode(t, "PUT", status, resp, 400, "XAmzContentSHA256Mismatch")
				if _, err := e.GetObject("media", "new.bin"); err == nil {
					t.Fatal("a refused PUT was stored")
				}
				status, resp = headerSigned(t, e, http.MethodPut, "/media/new.bin", "/media/new.bin", body, "", nil)
				if status != 200 {
					t.Fatalf("matching PUT: %d %s", status, resp)
				}
				status, resp = headerSigned(t, e, http.MethodPut, "/media/unsigned.bin", "/media/unsigned.bin", body, "UNSIGNED-PAYLOAD", nil)
				if status != 200 {
					t.Fatalf("UNSIGNED-PAYLOAD PUT: %d %s", status, resp)
				}
			})
		}
	}
}

func TestUploadPartPayloadHashMismatch(t *testing.T) {
	e := start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("mp.bin")})
	if err != nil {
		t.Fatal(err)
	}
	path := "/media/mp.bin?partNumber=1&uploadId=" + url.QueryEscape(*up.UploadId)
	status, body := headerSigned(t, e, http.MethodPut, path, path, []byte("part one"), hashHex([]byte("not it")), nil)
	wantCode(t, "UploadPart", status, body, 400, "XAmzContentSHA256Mismatch")
	parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("media"), Key: aws.String("mp.bin"), UploadId: up.UploadId})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Parts) != 0 {
		t.Fatalf("a refused part was kept: %+v", parts.Parts)
	}
}

// Pacific refuses aws-chunked bodies with trailers, as new SDKs send them on
// https by default: the emulator does too.
func TestStreamingTrailerIsRefused(t *testing.T) {
	e := start(t, emulator.Options{TLS: true})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.CertPEM())
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	c := s3Client(t, e, func(o *s3.Options) {
		o.HTTPClient = client
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
	})
	ctx := context.Background()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("t.bin"), Body: bytes.NewReader([]byte("trailer"))})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "XAmzContentSHA256Mismatch" {
		t.Fatalf("PutObject with trailers: %v", err)
	}
	if _, err := e.GetObject("media", "t.bin"); err == nil {
		t.Fatal("stored")
	}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("t.bin")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("media"), Key: aws.String("t.bin"), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("trailer"))})
	if !errors.As(err, &ae) || ae.ErrorCode() != "XAmzContentSHA256Mismatch" {
		t.Fatalf("UploadPart with trailers: %v", err)
	}
	// What the provider configures works on https.
	c = s3Client(t, e, func(o *s3.Options) { o.HTTPClient = client })
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("t.bin"), Body: bytes.NewReader([]byte("plain"))}); err != nil {
		t.Fatal(err)
	}
}

// Item 5: with a directory, a key never writes outside its bucket's
// directory.
func TestDirKeysStayInTheirBucket(t *testing.T) {
	dir := t.TempDir()
	e := start(t, emulator.Options{Dir: dir, Buckets: []string{"media", "other"}})
	if err := e.PutObject("other", "b.txt", []byte("other's")); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"x/../../other/b.txt", "../other/b.txt", "x/../../../escaped.txt"} {
		t.Run(key, func(t *testing.T) {
			put := presignURL(t, e, key, "upload", "")
			status, body := do(t, http.MethodPut, put, "", []byte("overwritten"))
			if status != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") {
				t.Fatalf("PUT %q: HTTP %d %s", key, status, body)
			}
		})
	}
	// s3afero keeps bucket B's objects under DIR/buckets/B.
	if got, err := os.ReadFile(filepath.Join(dir, "buckets", "other", "b.txt")); err != nil || string(got) != "other's" {
		t.Fatalf("other/b.txt: %q %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "escaped.txt")); err == nil {
		t.Fatal("escaped the bucket directory")
	}
	// Deleting through a batch is held to the same rule.
	_, err := s3Client(t, e).DeleteObjects(context.Background(), &s3.DeleteObjectsInput{Bucket: aws.String("media"),
		Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("../other/b.txt")}}}})
	if err == nil {
		if got, err := os.ReadFile(filepath.Join(dir, "buckets", "other", "b.txt")); err != nil || string(got) != "other's" {
			t.Fatalf("other/b.txt after DeleteObjects: %q %v", got, err)
		}
	}
	// Ordinary keys still work on disk.
	put := presignURL(t, e, "dir/file.txt", "upload", "")
	if status, body := do(t, http.MethodPut, put, "", []byte("ok")); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
}

// Item 6a: an upload replaces all of an object's metadata.
func TestOverwriteDropsOldMetadata(t *testing.T) {
	for _, dir := range []string{"", "dir"} {
		t.Run("dir="+dir, func(t *testing.T) {
			opts := emulator.Options{}
			if dir != "" {
				opts.Dir = t.TempDir()
			}
			e := start(t, opts)
			c := s3Client(t, e)
			ctx := context.Background()
			in := &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("o.txt"), Body: strings.NewReader("1"),
				CacheControl: aws.String("max-age=60"), Metadata: map[string]string{"a": "1"}, ContentType: aws.String("text/plain")}
			if _, err := c.PutObject(ctx, in); err != nil {
				t.Fatal(err)
			}
			h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("o.txt")})
			if err != nil || aws.ToString(h.CacheControl) != "max-age=60" || h.Metadata["a"] != "1" {
				t.Fatalf("first HEAD: %+v %v", h, err)
			}
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("o.txt"), Body: strings.NewReader("2")}); err != nil {
				t.Fatal(err)
			}
			h, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("o.txt")})
			if err != nil {
				t.Fatal(err)
			}
			if h.CacheControl != nil || len(h.Metadata) != 0 || aws.ToString(h.ContentType) == "text/plain" {
				t.Fatalf("second HEAD kept the old metadata: cache-control %v metadata %v content-type %v", aws.ToString(h.CacheControl), h.Metadata, aws.ToString(h.ContentType))
			}
		})
	}
}

func multipartETag(parts ...[]byte) string {
	var sums []byte
	for _, p := range parts {
		s := md5.Sum(p)
		sums = append(sums, s[:]...)
	}
	s := md5.Sum(sums)
	return `"` + hex.EncodeToString(s[:]) + "-" + string(rune('0'+len(parts))) + `"`
}

// Item 6b: a multipart object's ETag is S3's -N form on HEAD and in
// listings, across a restart with a directory.
func TestMultipartETag(t *testing.T) {
	dir := t.TempDir()
	e := start(t, emulator.Options{Dir: dir})
	c := s3Client(t, e)
	ctx := context.Background()
	parts := [][]byte{bytes.Repeat([]byte("a"), 5<<20), []byte("tail")}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("big.bin")})
	if err != nil {
		t.Fatal(err)
	}
	var done []types.CompletedPart
	for i, p := range parts {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("media"), Key: aws.String("big.bin"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatal(err)
		}
		done = append(done, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("big.bin"),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}}); err != nil {
		t.Fatal(err)
	}
	want := multipartETag(parts...)
	check := func(c *s3.Client) {
		t.Helper()
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("big.bin")})
		if err != nil || aws.ToString(h.ETag) != want {
			t.Fatalf("HEAD ETag %v, want %s (%v)", aws.ToString(h.ETag), want, err)
		}
		l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("media")})
		if err != nil || len(l.Contents) != 1 || aws.ToString(l.Contents[0].ETag) != want {
			t.Fatalf("listing: %+v %v", l, err)
		}
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("media"), Key: aws.String("big.bin"), IfNoneMatch: aws.String(want)})
		var re interface{ HTTPStatusCode() int }
		if !errors.As(err, &re) || re.HTTPStatusCode() != 304 {
			t.Fatalf("GET If-None-Match the -N ETag: %v", err)
		}
	}
	check(c)
	// An ordinary PUT over it has a plain ETag again.
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	again := start(t, emulator.Options{Dir: dir})
	check(s3Client(t, again))
	c = s3Client(t, again)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("big.bin"), Body: strings.NewReader("small")}); err != nil {
		t.Fatal(err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("big.bin")})
	if s := md5.Sum([]byte("small")); err != nil || aws.ToString(h.ETag) != `"`+hex.EncodeToString(s[:])+`"` {
		t.Fatalf("after a PUT: %v %v", aws.ToString(h.ETag), err)
	}
}

// Item 6c: an unversioned bucket reports no version ids.
func TestNoVersionIDOnUnversionedBucket(t *testing.T) {
	e := start(t, emulator.Options{})
	c := s3Client(t, e)
	ctx := context.Background()
	p, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("v.txt"), Body: strings.NewReader("v")})
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("v.txt")})
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("media"), Key: aws.String("v.txt")})
	if err != nil {
		t.Fatal(err)
	}
	g.Body.Close()
	d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("media"), Key: aws.String("v.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if p.VersionId != nil || h.VersionId != nil || g.VersionId != nil || d.VersionId != nil {
		t.Fatalf("version ids: put %v head %v get %v delete %v", aws.ToString(p.VersionId), aws.ToString(h.VersionId), aws.ToString(g.VersionId), aws.ToString(d.VersionId))
	}
}

// Item 6d and 8: a bucket made over S3 reports when it was made, also after
// a restart.
func TestS3BucketCreationTime(t *testing.T) {
	dir := t.TempDir()
	// The emulator starts three hours behind, then catches up with the
	// clock the SDK signs with.
	var behind atomic.Int64
	behind.Store(int64(3 * time.Hour))
	clock := func() time.Time { return time.Now().Add(-time.Duration(behind.Load())) }
	e := start(t, emulator.Options{Dir: dir, Now: clock})
	behind.Store(0)
	made := e.Now().UTC().Truncate(time.Second)
	if _, err := s3Client(t, e).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("from-s3")}); err != nil {
		t.Fatal(err)
	}
	_, out := apiCall(t, e, http.MethodGet, "/object-storage/buckets/from-s3", nil)
	if got := str(out, "data", "bucket", "created"); got != made.Format(time.RFC3339) {
		t.Fatalf("created %q, want %s", got, made.Format(time.RFC3339))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	again := start(t, emulator.Options{Dir: dir})
	_, out = apiCall(t, again, http.MethodGet, "/object-storage/buckets/from-s3", nil)
	if got := str(out, "data", "bucket", "created"); got != made.Format(time.RFC3339) {
		t.Fatalf("after restart: created %q, want %s", got, made.Format(time.RFC3339))
	}
	// Deleted over S3, it is forgotten: made again, it is new.
	c := s3Client(t, again)
	if _, err := c.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String("from-s3")}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(made.Add(time.Second)))
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("from-s3")}); err != nil {
		t.Fatal(err)
	}
	_, out = apiCall(t, again, http.MethodGet, "/object-storage/buckets/from-s3", nil)
	if got := str(out, "data", "bucket", "created"); got != again.Now().UTC().Truncate(time.Second).Format(time.RFC3339) {
		t.Fatalf("made again: created %q", got)
	}
}

// Item 6e: S3 errors have RGW's shape, an empty Message; the reason is in
// the request log.
func TestS3ErrorsHaveAnEmptyMessage(t *testing.T) {
	var log emulatortest.Log
	e := start(t, emulator.Options{RequestLog: &log})
	cases := []struct {
		name, url string
		status    int
		code      string
	}{
		{"no such key", presignURL(t, e, "nope.txt", "download", ""), 404, "NoSuchKey"},
		{"tampered", emulatortest.Tamper(presignURL(t, e, "nope.txt", "download", "")), 403, "SignatureDoesNotMatch"},
		{"unsigned", e.S3URL() + "/media/nope.txt", 403, "AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, http.MethodGet, tc.url, "", nil)
			wantCode(t, "GET", status, body, tc.status, tc.code)
			if !strings.Contains(body, "<Message></Message>") || !strings.Contains(body, "<Resource>/media/nope.txt</Resource>") ||
				!strings.Contains(body, "<RequestId>") || strings.Contains(body, "<RequestId></RequestId>") {
				t.Fatalf("error document: %s", body)
			}
		})
	}
	if !strings.Contains(log.String(), "NoSuchKey") || !strings.Contains(log.String(), "SignatureDoesNotMatch") {
		t.Fatalf("the log has no reasons:\n%s", log.String())
	}
	if strings.Contains(log.String(), emulator.DefaultAccessKeyID) {
		t.Fatalf("the log holds the access key id:\n%s", log.String())
	}
}
