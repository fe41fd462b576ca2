// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3_test

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // S3's ETag
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

func clientFor(t *testing.T, endpoint string, mod func(*hostups3.Config)) *hostups3.ObjectClient {
	t.Helper()
	cfg := hostups3.Config{Endpoint: endpoint, Region: hostups3.DefaultRegion, AccessKeyID: "AKID", SecretAccessKey: "secret"}
	if mod != nil {
		mod(&cfg)
	}
	c, err := hostups3.NewObjectClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rgwError answers as Ceph RGW does: an error document with an empty
// Message, and the request ID in a header.
func rgwError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("X-Amz-Request-Id", "tx000rgw-1")
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message></Message><BucketName>media</BucketName><RequestId>tx000rgw-1</RequestId><HostId>x</HostId></Error>`, code)
}

func TestParseEndpoint(t *testing.T) {
	for raw, want := range map[string]string{
		"https://s3.hostup.se":       "https://s3.hostup.se",
		"https://s3.hostup.se/":      "https://s3.hostup.se",
		"https://s3.hostup.se:443":   "https://s3.hostup.se",
		"https://s3.hostup.se:8443":  "https://s3.hostup.se:8443",
		"http://127.0.0.1:80":        "http://127.0.0.1",
		"http://127.0.0.1:443":       "http://127.0.0.1:443",
		"http://[::1]:80":            "http://[::1]",
		"http://localhost:18081":     "http://localhost:18081",
		"https://[2001:db8::1]:443/": "https://[2001:db8::1]",
	} {
		u, err := hostups3.ParseEndpoint(raw)
		if err != nil || u.String() != want {
			t.Errorf("ParseEndpoint(%q) = %v, %v; want %s", raw, u, err, want)
		}
	}
	for raw, wantErr := range map[string]string{
		"http://127.0.0.1:18081/my-bucket": "has a path",
		"https://s3.hostup.se/a/b":         "has a path",
		"https://s3.hostup.se?x=1":         "query",
		"https://s3.hostup.se#f":           "fragment",
		"http://s3.hostup.se":              "plain http",
		"ftp://s3.hostup.se":               "https://",
	} {
		if _, err := hostups3.ParseEndpoint(raw); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseEndpoint(%q) = %v; want an error containing %q", raw, err, wantErr)
		}
	}
}

// A default port in the endpoint never reaches a URL: signatures leave it
// out, and a URL that kept it would not match its own signature.
func TestSignerDropsDefaultPort(t *testing.T) {
	s, err := hostups3.NewSigner(hostups3.Config{Endpoint: "https://s3.hostup.se:443", Region: hostups3.DefaultRegion, AccessKeyID: "AKID", SecretAccessKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Presign(context.Background(), hostups3.PresignInput{Bucket: "media", Key: "a.txt", Action: presignedurl.Download,
		SignedAt: time.Unix(1_700_000_000, 0), Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.URL, "https://s3.hostup.se/media/a.txt?") {
		t.Fatalf("URL %s keeps the default port", p.URL)
	}
}

// Every request carries the provider's User-Agent before the SDK's, and
// every call is observed once, with its attempts, status and request ID.
func TestUserAgentAndObserve(t *testing.T) {
	var agents []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		n := len(agents)
		mu.Unlock()
		if n == 1 {
			rgwError(w, http.StatusServiceUnavailable, "SlowDown")
			return
		}
		rgwError(w, http.StatusNotFound, "NoSuchBucket")
	}))
	defer srv.Close()
	var events []hostups3.RequestEvent
	c := clientFor(t, srv.URL, func(cfg *hostups3.Config) {
		cfg.UserAgent = "terraform-provider-hostup/1.2.3"
		cfg.MaxRetries = 2
		cfg.Observe = func(_ context.Context, ev hostups3.RequestEvent) { events = append(events, ev) }
	})
	_, err := c.List(context.Background(), hostups3.ListInput{Bucket: "media"})
	var se *hostups3.Error
	if !errors.As(err, &se) || se.Code != "NoSuchBucket" || se.StatusCode != 404 || se.RequestID != "tx000rgw-1" || se.Attempts != 2 {
		t.Fatalf("error %#v", err)
	}
	if !hostups3.NoSuchBucket(err) || !hostups3.NotFound(err) {
		t.Error("predicates do not recognise NoSuchBucket")
	}
	if se.Text() != "The bucket does not exist" {
		t.Errorf("the empty message is not replaced by the code's meaning: %q", se.Text())
	}
	for _, ua := range agents {
		if !strings.HasPrefix(ua, "terraform-provider-hostup/1.2.3 aws-sdk-go-v2/") {
			t.Errorf("User-Agent %q", ua)
		}
	}
	if len(events) != 1 {
		t.Fatalf("%d events for one call", len(events))
	}
	ev := events[0]
	if ev.Operation != "ListObjectsV2" || ev.Method != http.MethodGet || ev.Path != "/media" || ev.StatusCode != 404 ||
		ev.Attempts != 2 || ev.RequestID != "tx000rgw-1" || ev.Err == nil {
		t.Errorf("event %+v", ev)
	}
}

// MaxRetries is literal: a 500 is tried MaxRetries+1 times.
func TestMaxRetries(t *testing.T) {
	for _, retries := range []int{0, 3} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			rgwError(w, http.StatusInternalServerError, "InternalError")
		}))
		c := clientFor(t, srv.URL, func(cfg *hostups3.Config) { cfg.MaxRetries = retries })
		_, err := c.List(context.Background(), hostups3.ListInput{Bucket: "media"})
		srv.Close()
		var se *hostups3.Error
		if !errors.As(err, &se) || se.Code != "InternalError" || int(hits.Load()) != retries+1 || se.Attempts != retries+1 {
			t.Errorf("retries %d: %d requests, error %v", retries, hits.Load(), err)
		}
	}
}

// A server that accepts and then says nothing ends the attempt after the
// request timeout, and the call after its retries, instead of hanging.
func TestStalledServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() { <-done; conn.Close() }()
		}
	}()
	c := clientFor(t, "http://"+ln.Addr().String(), func(cfg *hostups3.Config) {
		cfg.RequestTimeout = 200 * time.Millisecond
		cfg.MaxRetries = 1
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = c.Head(ctx, "media", "a.txt")
	var re *hostups3.RequestError
	if !errors.As(err, &re) || re.Attempts != 2 || ctx.Err() != nil {
		t.Fatalf("error %v (context: %v)", err, ctx.Err())
	}
	if conns.Load() != 2 {
		t.Errorf("%d connections for 2 attempts", conns.Load())
	}
}

// A certificate this machine does not trust fails the same way every time:
// one attempt, and an error that says so.
func TestCertificateErrorsAreNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the client's refused handshake
	srv.StartTLS()
	defer srv.Close()
	c := clientFor(t, srv.URL, func(cfg *hostups3.Config) { cfg.MaxRetries = 3 })
	_, err := c.Head(context.Background(), "media", "a.txt")
	var re *hostups3.RequestError
	if !errors.As(err, &re) || !re.CertificateProblem() || re.Attempts != 1 {
		t.Fatalf("error %v", err)
	}
	if hits.Load() != 0 {
		t.Error("a request got through an untrusted certificate")
	}
}

// A server that repeats a continuation token would make the listing go
// round forever: List stops with an error after the repeat.
func TestListStopsOnRepeatedContinuationToken(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>media</Name><IsTruncated>true</IsTruncated>`+
			`<NextContinuationToken>same-token</NextContinuationToken><KeyCount>1</KeyCount><Contents><Key>k%d</Key><Size>1</Size></Contents></ListBucketResult>`, n)
	}))
	defer srv.Close()
	c := clientFor(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.List(ctx, hostups3.ListInput{Bucket: "media"})
	if err == nil || !strings.Contains(err.Error(), "continuation token") {
		t.Fatalf("error %v", err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests; the repeat should stop the listing at the second", hits.Load())
	}
}

// ETag is what S3 reports: the MD5 up to the threshold, the multipart form
// above it (checked against the formula, independently of the client).
func TestETag(t *testing.T) {
	c := clientFor(t, "http://127.0.0.1:1", nil)
	small := []byte("hello")
	sum := md5.Sum(small) //nolint:gosec // S3's ETag
	if got, err := c.ETag(bytes.NewReader(small), int64(len(small))); err != nil || got != hex.EncodeToString(sum[:]) {
		t.Errorf("single-part ETag %s, %v", got, err)
	}
	hostups3.SetMultipartThreshold(c, 8<<20)
	big := make([]byte, 12<<20+7) // 5 MiB, 5 MiB, 2 MiB + 7 bytes
	_, _ = rand.Read(big)
	var sums []byte
	for off := 0; off < len(big); off += 5 << 20 {
		part := md5.Sum(big[off:min(off+5<<20, len(big))]) //nolint:gosec // S3's ETag
		sums = append(sums, part[:]...)
	}
	whole := md5.Sum(sums) //nolint:gosec // S3's ETag
	want := hex.EncodeToString(whole[:]) + "-3"
	if got, err := c.ETag(bytes.NewReader(big), int64(len(big))); err != nil || got != want {
		t.Errorf("multipart ETag %s, %v; want %s", got, err, want)
	}
	if _, err := c.ETag(bytes.NewReader(big[:10]), int64(len(big))); err == nil {
		t.Error("a short read gave an ETag")
	}
}

// A refusal is a refusal: an upload answered 403 QuotaExceeded fails even
// when the object already holds exactly these bytes (only a lost answer is
// checked against the stored object).
func TestPutRefusalIsNotConfirmedByTheStoredObject(t *testing.T) {
	body := []byte("same bytes")
	sum := md5.Sum(body) //nolint:gosec // S3's ETag
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodHead {
			w.Header().Set("X-Amz-Request-Id", "tx-head")
			w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			return
		}
		rgwError(w, http.StatusForbidden, "QuotaExceeded")
	}))
	defer srv.Close()
	c := clientFor(t, srv.URL, nil)
	_, err := c.Put(context.Background(), hostups3.PutInput{Bucket: "media", Key: "a.txt", Body: bytes.NewReader(body), Size: int64(len(body))})
	var se *hostups3.Error
	if !errors.As(err, &se) || se.Code != "QuotaExceeded" {
		t.Fatalf("Put = %v, want the QuotaExceeded refusal", err)
	}
}
