// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// region is HostUp's; RGW accepts any region in a signature.
const region = "eu-north-1"

// Environment variables naming an external S3 server.
const (
	envEndpoint    = "HOSTUP_TEST_S3_ENDPOINT"
	envTLSEndpoint = "HOSTUP_TEST_S3_TLS_ENDPOINT"
	envCAFile      = "HOSTUP_TEST_S3_CA_FILE"
	envAccessKey   = "HOSTUP_TEST_S3_ACCESS_KEY_ID"
	envSecretKey   = "HOSTUP_TEST_S3_SECRET_ACCESS_KEY"
	envServer      = "HOSTUP_TEST_S3_SERVER"
)

// endpoint is one S3 base URL with everything needed to talk to it.
type endpoint struct {
	name      string // "http" or "https"
	url       string // scheme://host:port
	host      string // host:port
	caPEM     []byte // nil for http
	accessKey string
	secretKey string
	// s3 is the SDK's client with checksums only where required, as the
	// provider's object client is built.
	s3 *s3.Client
	// signer is the provider's local presigner for this endpoint.
	signer *hostups3.Signer
	// http sends presigned and hand-built requests, as curl would: no
	// redirects followed.
	http *http.Client
}

// target is the server under test.
type target struct {
	server string // "rgw", "emulator", or what HOSTUP_TEST_S3_SERVER says
	plain  *endpoint
	tls    *endpoint
	// sameStore is true when both endpoints serve the same buckets (one
	// server on two ports); the emulator runs one instance per scheme.
	sameStore bool
	bucket    string
	closers   []func()
}

var tgt *target

func (t *target) isRGW() bool { return t.server == "rgw" }

// endpoints are both of the target's endpoints, for table-driven tests.
func (t *target) endpoints() []*endpoint { return []*endpoint{t.plain, t.tls} }

func TestMain(m *testing.M) {
	var err error
	tgt, err = newTarget()
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3conformance:", err)
		os.Exit(1)
	}
	fmt.Printf("s3conformance: target %s: %s and %s, bucket %s\n", tgt.server, tgt.plain.url, tgt.tls.url, tgt.bucket)
	code := m.Run()
	if err := tgt.cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, "s3conformance: cleanup:", err)
		if code == 0 {
			code = 1
		}
	}
	for _, c := range tgt.closers {
		c()
	}
	os.Exit(code)
}

// newTarget reads the external server from the environment, or starts two
// emulators (http and https) in process, and creates the run's bucket
// through S3.
func newTarget() (*target, error) {
	t := &target{bucket: "conformance-" + randomHex()}
	if os.Getenv(envEndpoint) != "" {
		vals := map[string]string{}
		for _, k := range []string{envEndpoint, envTLSEndpoint, envCAFile, envAccessKey, envSecretKey} {
			if vals[k] = os.Getenv(k); vals[k] == "" {
				return nil, fmt.Errorf("%s is set but %s is not", envEndpoint, k)
			}
		}
		caPEM, err := os.ReadFile(vals[envCAFile])
		if err != nil {
			return nil, err
		}
		t.server = os.Getenv(envServer)
		if t.server == "" {
			t.server = "external"
		}
		t.sameStore = true
		if t.plain, err = newEndpoint("http", vals[envEndpoint], nil, vals[envAccessKey], vals[envSecretKey]); err != nil {
			return nil, err
		}
		if t.tls, err = newEndpoint("https", vals[envTLSEndpoint], caPEM, vals[envAccessKey], vals[envSecretKey]); err != nil {
			return nil, err
		}
	} else {
		t.server = "emulator"
		for _, useTLS := range []bool{false, true} {
			e, err := emulator.New(emulator.Options{TLS: useTLS})
			if err != nil {
				return nil, err
			}
			if err := e.Start(); err != nil {
				return nil, err
			}
			t.closers = append(t.closers, func() { _ = e.Close() })
			ep, err := newEndpoint(map[bool]string{false: "http", true: "https"}[useTLS], e.S3URL(), e.CertPEM(), emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey)
			if err != nil {
				return nil, err
			}
			if useTLS {
				t.tls = ep
			} else {
				t.plain = ep
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, ep := range t.storeEndpoints() {
		if _, err := ep.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(t.bucket)}); err != nil {
			return nil, fmt.Errorf("creating bucket %s on %s: %w", t.bucket, ep.url, err)
		}
	}
	return t, nil
}

// storeEndpoints are one endpoint per distinct store.
func (t *target) storeEndpoints() []*endpoint {
	if t.sameStore {
		return []*endpoint{t.plain}
	}
	return t.endpoints()
}

// cleanup aborts the bucket's multipart uploads, deletes its objects, then
// the bucket, on every store.
func (t *target) cleanup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var errs []error
	for _, ep := range t.storeEndpoints() {
		errs = append(errs, emptyBucket(ctx, ep.s3, t.bucket))
		if _, err := ep.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(t.bucket)}); err != nil {
			errs = append(errs, fmt.Errorf("deleting bucket %s on %s: %w", t.bucket, ep.url, err))
		}
	}
	return errors.Join(errs...)
}

func emptyBucket(ctx context.Context, c *s3.Client, bucket string) error {
	if ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)}); err == nil {
		for _, u := range ups.Uploads {
			_, _ = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId})
		}
	}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing %s: %w", bucket, err)
		}
		for _, o := range page.Contents {
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key}); err != nil {
				return fmt.Errorf("deleting %s/%s: %w", bucket, aws.ToString(o.Key), err)
			}
		}
	}
	return nil
}

// newEndpoint builds the clients for one base URL.
func newEndpoint(name, baseURL string, caPEM []byte, accessKey, secretKey string) (*endpoint, error) {
	ep := &endpoint{name: name, url: strings.TrimSuffix(baseURL, "/"), caPEM: caPEM, accessKey: accessKey, secretKey: secretKey}
	ep.host = strings.TrimPrefix(strings.TrimPrefix(ep.url, "https://"), "http://")
	transport, err := newTransport(caPEM, nil)
	if err != nil {
		return nil, err
	}
	ep.http = &http.Client{
		Transport:     transport,
		Timeout:       2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ep.s3 = ep.newS3(aws.RequestChecksumCalculationWhenRequired)
	if ep.signer, err = hostups3.NewSigner(hostups3.Config{Endpoint: ep.url, Region: region, AccessKeyID: accessKey, SecretAccessKey: secretKey}); err != nil {
		return nil, err
	}
	return ep, nil
}

// newTransport trusts caPEM (when set) and, when dial is set, connects
// there whatever the request's host says.
func newTransport(caPEM []byte, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (*http.Transport, error) {
	t := &http.Transport{
		Proxy:                 nil, // loopback only, whatever the environment says
		DialContext:           dial,
		ForceAttemptHTTP2:     false,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: time.Minute,
	}
	if t.DialContext == nil {
		t.DialContext = (&net.Dialer{Timeout: 10 * time.Second}).DialContext
	}
	if caPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, errors.New("no certificate in the CA file")
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t, nil
}

// newS3 is the SDK's S3 client for ep, path-style, with the given request
// checksum setting (the zero value is the SDK's default, WhenSupported).
func (ep *endpoint) newS3(checksums aws.RequestChecksumCalculation) *s3.Client {
	creds := aws.Credentials{AccessKeyID: ep.accessKey, SecretAccessKey: ep.secretKey, Source: "s3conformance"}
	return s3.New(s3.Options{
		Region:                     region,
		BaseEndpoint:               aws.String(ep.url),
		UsePathStyle:               true,
		Credentials:                aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		RequestChecksumCalculation: checksums,
		HTTPClient:                 ep.http,
		RetryMaxAttempts:           1,
	})
}

// testContext bounds one test.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// key is a key unique to the test (and run), below which a test writes.
func key(t *testing.T, name string) string {
	t.Helper()
	return strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + "/" + name
}

// randomHex is 12 random hex digits.
func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// multipartETag is S3's multipart ETag: hex(md5(md5(part1) || ... )) "-N".
func multipartETag(parts [][]byte) string {
	var cat []byte
	for _, p := range parts {
		sum := md5.Sum(p)
		cat = append(cat, sum[:]...)
	}
	return fmt.Sprintf("%s-%d", md5Hex(cat), len(parts))
}

// putSDK stores an object through the SDK.
func putSDK(ctx context.Context, t *testing.T, ep *endpoint, k string, body []byte, in *s3.PutObjectInput) *s3.PutObjectOutput {
	t.Helper()
	if in == nil {
		in = &s3.PutObjectInput{}
	}
	in.Bucket, in.Key, in.Body = aws.String(tgt.bucket), aws.String(k), bytes.NewReader(body)
	out, err := ep.s3.PutObject(ctx, in)
	if err != nil {
		t.Fatalf("PutObject %q on %s: %v", k, ep.name, err)
	}
	return out
}

// getSDK reads an object's bytes through the SDK.
func getSDK(ctx context.Context, t *testing.T, ep *endpoint, k string) []byte {
	t.Helper()
	out, err := ep.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
	if err != nil {
		t.Fatalf("GetObject %q on %s: %v", k, ep.name, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("GetObject %q body: %v", k, err)
	}
	return b
}

// presign signs a URL with the provider's signer, now unless in.SignedAt
// is set, for 15 minutes unless in.Expires is set.
func presign(ctx context.Context, t *testing.T, ep *endpoint, in hostups3.PresignInput) *hostups3.PresignedURL {
	t.Helper()
	if in.Bucket == "" {
		in.Bucket = tgt.bucket
	}
	if in.SignedAt.IsZero() {
		in.SignedAt = time.Now()
	}
	if in.Expires == 0 {
		in.Expires = 15 * time.Minute
	}
	p, err := ep.signer.Presign(ctx, in)
	if err != nil {
		t.Fatalf("presigning %+v: %v", in, err)
	}
	return p
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// s3Err is S3's XML error document.
type s3Err struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   *string  `xml:"Message"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
	Resource  string   `xml:"Resource"`
}

// do sends req and reads the whole answer.
func do(t *testing.T, c *http.Client, req *http.Request) *response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Redacted(), err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL.Redacted(), err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}
}

// newRequest builds a request for rawURL, sending its path exactly as
// written (no re-escaping, no cleaning), with the headers given.
func newRequest(ctx context.Context, t *testing.T, method, rawURL string, body []byte, header http.Header) *http.Request {
	t.Helper()
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		t.Fatalf("not an absolute URL: %s", rawURL)
	}
	host, pathQuery, _ := strings.Cut(rest, "/")
	path, query, _ := strings.Cut("/"+pathQuery, "?")
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, scheme+"://"+host+"/", r)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path, req.URL.RawPath = "", ""
	req.URL.Opaque = path
	req.URL.RawQuery = query
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.ContentLength = int64(len(body))
	}
	return req
}

// send sends a presigned request with its signed headers plus extra.
func send(ctx context.Context, t *testing.T, ep *endpoint, p *hostups3.PresignedURL, body []byte, extra http.Header) *response {
	t.Helper()
	h := p.SignedHeaders.Clone()
	for k, v := range extra {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	return do(t, ep.http, newRequest(ctx, t, p.Method, p.URL, body, h))
}

// wantOK fails unless the answer is 200.
func wantOK(t *testing.T, what string, r *response) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200; body: %s", what, r.status, r.body)
	}
}

// wantError checks an S3 error answer: the status, an XML <Error> with the
// code and a request id; it logs whether <Message> was empty (RGW's is).
func wantError(t *testing.T, what string, r *response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d; body: %s", what, r.status, status, r.body)
		return
	}
	if len(r.body) == 0 { // HEAD answers carry no body
		return
	}
	var e s3Err
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Errorf("%s: not an XML <Error>: %v; body: %s", what, err, r.body)
		return
	}
	if e.Code != code {
		t.Errorf("%s: code %q, want %q; body: %s", what, e.Code, code, r.body)
	}
	if e.RequestID == "" {
		t.Errorf("%s: no <RequestId> in the error; body: %s", what, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "xml") {
		t.Errorf("%s: error Content-Type %q, want XML", what, ct)
	}
	msg := "absent"
	if e.Message != nil {
		msg = fmt.Sprintf("%q", *e.Message)
	}
	t.Logf("%s: %d %s, Message %s, RequestId %q", what, r.status, e.Code, msg, e.RequestID)
}

// apiError unpacks an SDK error into its HTTP status and S3 code.
func apiError(err error) (status int, code string) {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	return status, code
}

// rawStatus is the HTTP status of an SDK operation's answer.
func rawStatus(t *testing.T, md middleware.Metadata) int {
	t.Helper()
	res, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok {
		t.Fatal("no raw response in the operation's metadata")
	}
	return res.StatusCode
}

// wantNotFound checks that HEAD on k answers 404.
func wantNotFound(ctx context.Context, t *testing.T, ep *endpoint, k string) {
	t.Helper()
	_, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
	var nf *types.NotFound
	if status, _ := apiError(err); status != http.StatusNotFound || !errors.As(err, &nf) {
		t.Fatalf("HeadObject %q: %v, want 404 NotFound", k, err)
	}
}

func TestTarget(t *testing.T) {
	t.Logf("target: %s (http %s, https %s, one store for both: %v), bucket %s", tgt.server, tgt.plain.url, tgt.tls.url, tgt.sameStore, tgt.bucket)
	for _, ep := range tgt.endpoints() {
		if _, err := ep.s3.HeadBucket(testContext(t), &s3.HeadBucketInput{Bucket: aws.String(tgt.bucket)}); err != nil {
			t.Errorf("HeadBucket on %s: %v", ep.name, err)
		}
	}
}
