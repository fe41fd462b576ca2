// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// outcome is what a server answers a request: 200, or an error status and
// code.
type outcome struct {
	status int
	code   string
}

var accepted = outcome{http.StatusOK, ""}

// check asserts r is o: 200, or o's status with an S3 XML error of o's code.
func (o outcome) check(t *testing.T, what string, r *response) {
	t.Helper()
	if o.status == http.StatusOK {
		wantOK(t, what, r)
		return
	}
	wantError(t, what, r, o.status, o.code)
}

// withQuery returns rawURL with its query rewritten by edit.
func withQuery(t *testing.T, rawURL string, edit func(q url.Values)) string {
	t.Helper()
	base, rawQuery, _ := strings.Cut(rawURL, "?")
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		t.Fatal(err)
	}
	edit(q)
	return base + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// TestPresignedTampering: presigned requests changed after signing, or
// signed with the wrong key: what is refused and how, and what RGW lets
// through. RGW checks only the headers named in X-Amz-SignedHeaders and
// does not refuse unsigned x-amz-* headers, so whoever holds an upload URL
// can add x-amz-acl (and make the object public), x-amz-meta-* or
// x-amz-copy-source (and store a copy of any object the key pair can read
// under the URL's key).
func TestPresignedTampering(t *testing.T) {
	type tc struct {
		name   string
		action presignedurl.Action
		// mutate changes the signed URL or method, and returns headers to
		// add to the request.
		mutate func(ctx context.Context, t *testing.T, ep *endpoint, p *hostups3.PresignedURL) http.Header
		signer func(ep *endpoint) *hostups3.Signer
		want   outcome
		// check runs after the request, on the URL's key.
		check func(ctx context.Context, t *testing.T, ep *endpoint, k string)
	}
	otherSigner := func(accessKey, secretKey string) func(ep *endpoint) *hostups3.Signer {
		return func(ep *endpoint) *hostups3.Signer {
			s, err := hostups3.NewSigner(hostups3.Config{Endpoint: ep.url, Region: region, AccessKeyID: accessKey, SecretAccessKey: secretKey})
			if err != nil {
				panic(err)
			}
			return s
		}
	}
	setQuery := func(name, value string) func(context.Context, *testing.T, *endpoint, *hostups3.PresignedURL) http.Header {
		return func(_ context.Context, t *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
			p.URL = withQuery(t, p.URL, func(q url.Values) { q.Set(name, value) })
			return nil
		}
	}
	addHeader := func(name, value string) func(context.Context, *testing.T, *endpoint, *hostups3.PresignedURL) http.Header {
		return func(context.Context, *testing.T, *endpoint, *hostups3.PresignedURL) http.Header {
			return http.Header{name: {value}}
		}
	}
	forbidden := func(code string) outcome { return outcome{http.StatusForbidden, code} }
	cases := []tc{
		{
			name: "tampered signature", action: presignedurl.Download,
			mutate: func(_ context.Context, t *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
				p.URL = withQuery(t, p.URL, func(q url.Values) {
					sig := []byte(q.Get("X-Amz-Signature"))
					if sig[len(sig)-1] == '0' {
						sig[len(sig)-1] = '1'
					} else {
						sig[len(sig)-1] = '0'
					}
					q.Set("X-Amz-Signature", string(sig))
				})
				return nil
			},
			want: forbidden("SignatureDoesNotMatch"),
		},
		{
			name: "zeroed signature on upload", action: presignedurl.Upload,
			mutate: setQuery("X-Amz-Signature", strings.Repeat("0", 64)),
			want:   forbidden("SignatureDoesNotMatch"), check: wantUntouched,
		},
		{
			name: "no signature", action: presignedurl.Download,
			mutate: func(_ context.Context, _ *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
				p.URL, _, _ = strings.Cut(p.URL, "?")
				return nil
			},
			want: forbidden("AccessDenied"),
		},
		{name: "unknown access key", action: presignedurl.Download, signer: otherSigner("HOSTUPUNKNOWNKEY0001", "whatever-secret"), want: forbidden("InvalidAccessKeyId")},
		{
			name: "wrong secret", action: presignedurl.Download,
			signer: func(ep *endpoint) *hostups3.Signer { return otherSigner(ep.accessKey, ep.secretKey+"x")(ep) },
			want:   forbidden("SignatureDoesNotMatch"),
		},
		{
			name: "another key's path", action: presignedurl.Download,
			mutate: func(_ context.Context, _ *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
				p.URL = strings.Replace(p.URL, "/obj.txt?", "/other.txt?", 1)
				return nil
			},
			want: forbidden("SignatureDoesNotMatch"),
		},
		{
			name: "download URL used to upload", action: presignedurl.Download,
			mutate: func(_ context.Context, _ *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
				p.Method = http.MethodPut
				return nil
			},
			want: forbidden("SignatureDoesNotMatch"), check: wantUntouched,
		},
		{
			name: "download URL used for HEAD", action: presignedurl.Download,
			mutate: func(_ context.Context, _ *testing.T, _ *endpoint, p *hostups3.PresignedURL) http.Header {
				p.Method = http.MethodHead
				return nil
			},
			want: forbidden(""),
		},
		{name: "unsigned response-content-type added", action: presignedurl.Download, mutate: setQuery("response-content-type", "text/html"), want: forbidden("SignatureDoesNotMatch")},
		{name: "signed expiry changed", action: presignedurl.Download, mutate: setQuery("X-Amz-Expires", "901"), want: forbidden("SignatureDoesNotMatch")},
		{
			name: "unsigned x-amz-meta header is stored", action: presignedurl.Upload,
			mutate: addHeader("X-Amz-Meta-Foo", "bar"), want: accepted,
			check: func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
				head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				if head.Metadata["foo"] != "bar" {
					t.Errorf("metadata %v, want foo=bar", head.Metadata)
				}
			},
		},
		{
			name: "unsigned x-amz-acl header is applied", action: presignedurl.Upload,
			mutate: addHeader("X-Amz-Acl", "public-read"), want: accepted,
			check: wantPublicRead("replaced"),
		},
		{
			name: "unsigned x-amz-copy-source header copies", action: presignedurl.Upload,
			mutate: func(ctx context.Context, t *testing.T, ep *endpoint, p *hostups3.PresignedURL) http.Header {
				src := key(t, "private-source.txt")
				putSDK(ctx, t, ep, src, []byte("private source"), nil)
				return http.Header{"X-Amz-Copy-Source": {"/" + tgt.bucket + "/" + src}}
			},
			want: accepted,
			check: func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
				if b := getSDK(ctx, t, ep, k); string(b) != "private source" {
					t.Errorf("object %q after an upload with x-amz-copy-source, want the source's bytes", b)
				}
			},
		},
		{
			// With the body's SHA-256 declared, RGW does not copy: it cannot
			// check a body the copy never reads.
			name: "unsigned x-amz-copy-source with a hashed body is not implemented", action: presignedurl.Upload,
			mutate: func(ctx context.Context, t *testing.T, ep *endpoint, p *hostups3.PresignedURL) http.Header {
				src := key(t, "private-source.txt")
				putSDK(ctx, t, ep, src, []byte("private source"), nil)
				return http.Header{"X-Amz-Copy-Source": {"/" + tgt.bucket + "/" + src}, "X-Amz-Content-Sha256": {sha256Hex([]byte("replaced"))}}
			},
			want: outcome{http.StatusNotImplemented, "NotImplemented"}, check: wantUntouched,
		},
	}
	for _, ep := range tgt.endpoints() {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "obj.txt")
				putSDK(ctx, t, ep, k, []byte("original"), nil)
				s := ep.signer
				if c.signer != nil {
					s = c.signer(ep)
				}
				p, err := s.Presign(ctx, hostups3.PresignInput{Bucket: tgt.bucket, Key: k, Action: c.action, SignedAt: time.Now(), Expires: 15 * time.Minute})
				if err != nil {
					t.Fatal(err)
				}
				var extra http.Header
				if c.mutate != nil {
					extra = c.mutate(ctx, t, ep, p)
				}
				var body []byte
				if p.Method == http.MethodPut {
					body = []byte("replaced")
				}
				c.want.check(t, p.Method, send(ctx, t, ep, p, body, extra))
				if c.check != nil {
					c.check(ctx, t, ep, k)
				}
			})
		}
	}
}

// wantPublicRead checks that an anonymous GET of k answers body, on RGW;
// a server without ACLs (the emulator accepts x-amz-acl and ignores it)
// need only have stored body.
func wantPublicRead(body string) func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
	return func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
		t.Helper()
		if !tgt.isRGW() {
			if b := getSDK(ctx, t, ep, k); string(b) != body {
				t.Errorf("object %q after an upload with x-amz-acl public-read, want %q", b, body)
			}
			t.Logf("%s has no ACLs: public-read not checked", tgt.server)
			return
		}
		r := do(t, ep.http, newRequest(ctx, t, http.MethodGet, ep.url+"/"+tgt.bucket+"/"+k, nil, nil))
		if r.status != http.StatusOK || string(r.body) != body {
			t.Errorf("anonymous GET after an upload with x-amz-acl public-read: %d %q, want 200 %q", r.status, r.body, body)
		}
	}
}

// wantUntouched checks that an object still holds what the test stored
// first, with no metadata.
func wantUntouched(ctx context.Context, t *testing.T, ep *endpoint, k string) {
	t.Helper()
	if b := getSDK(ctx, t, ep, k); string(b) != "original" {
		t.Errorf("object is %q after a refused request, want original", b)
	}
}

// TestPresignedPathForms: the same object's path sent in another form than
// it was signed in. RGW decodes the path and signs its own canonical
// encoding of it, so any percent-encoding of the same characters verifies
// (an encoded slash too); dot segments are not removed, and are refused.
func TestPresignedPathForms(t *testing.T) {
	// The signed key's path ends ".../dir/sub/a~b%20%C3%A4.txt".
	const name = "dir/sub/a~b ä.txt"
	cases := []struct {
		name    string
		rewrite func(string) string
		want    outcome
	}{
		{"as signed", func(p string) string { return p }, accepted},
		{"slash as %2F", func(p string) string { return strings.Replace(p, "/sub/", "%2Fsub/", 1) }, accepted},
		{"dot segment", func(p string) string { return strings.Replace(p, "/sub/", "/./sub/", 1) }, outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
		{"dot-dot segment", func(p string) string { return strings.Replace(p, "/sub/", "/x/../sub/", 1) }, outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
		{"tilde as %7E", func(p string) string { return strings.Replace(p, "a~b", "a%7Eb", 1) }, accepted},
		{"lower-case hex", func(p string) string { return strings.Replace(p, "%C3%A4", "%c3%a4", 1) }, accepted},
		{"unreserved letter encoded", func(p string) string { return strings.Replace(p, "a~b", "%61~b", 1) }, accepted},
		{"raw UTF-8", func(p string) string { return strings.Replace(p, "%C3%A4", "ä", 1) }, accepted},
	}
	for _, ep := range tgt.endpoints() {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, name)
				putSDK(ctx, t, ep, k, []byte("original"), nil)
				p := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Download})
				path, query, _ := strings.Cut(p.URL, "?")
				if !strings.HasSuffix(path, "/dir/sub/a~b%20%C3%A4.txt") {
					t.Fatalf("signed path %s is not in the form the cases rewrite", path)
				}
				p.URL = c.rewrite(path) + "?" + query
				r := send(ctx, t, ep, p, nil, nil)
				c.want.check(t, "GET "+c.name, r)
				if r.status == http.StatusOK && string(r.body) != "original" {
					t.Errorf("GET %s: body %q", c.name, r.body)
				}
			})
		}
	}
}

// TestHostHeaderPort: the Host header against the host signed. The SDK
// signs a default port away (127.0.0.1:80 is signed as 127.0.0.1); RGW
// checks Host as sent, so a client or proxy that adds the default port
// breaks the signature. RGW retries a presigned request that fails with
// Host plus its listener's port (a boto2 compatibility fallback), so a URL
// signed with the real port verifies when Host lacks it; it appends the
// port to whatever Host holds, so another port sent never verifies, and a
// header-signed request gets no second try.
func TestHostHeaderPort(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		defaultPort := map[string]string{"http": "80", "https": "443"}[ep.name]
		dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, ep.host)
		}
		transport, err := newTransport(ep.caPEM, dial)
		if err != nil {
			t.Fatal(err)
		}
		client := &http.Client{Transport: transport, Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		cases := []struct {
			name       string
			signedHost string // the endpoint's host the URL is signed for
			sentHost   string
			want       outcome
		}{
			{"no port signed, none sent", "127.0.0.1", "127.0.0.1", accepted},
			{"no port signed, default port sent", "127.0.0.1", "127.0.0.1:" + defaultPort, outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
			{"default port signed, none sent", "127.0.0.1:" + defaultPort, "127.0.0.1", accepted},
			{"real port signed, none sent", ep.host, "127.0.0.1", accepted},
			{"real port signed and sent", ep.host, ep.host, accepted},
			{"real port signed, another port sent", ep.host, "127.0.0.1:1", outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
			{"real port signed, another host sent", ep.host, "localhost", outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
		}
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "obj.txt")
				putSDK(ctx, t, ep, k, []byte("original"), nil)
				s, err := hostups3.NewSigner(hostups3.Config{Endpoint: ep.name + "://" + c.signedHost, Region: region, AccessKeyID: ep.accessKey, SecretAccessKey: ep.secretKey})
				if err != nil {
					t.Fatal(err)
				}
				p, err := s.Presign(ctx, hostups3.PresignInput{Bucket: tgt.bucket, Key: k, Action: presignedurl.Download, SignedAt: time.Now(), Expires: 15 * time.Minute})
				if err != nil {
					t.Fatal(err)
				}
				req := newRequest(ctx, t, http.MethodGet, p.URL, nil, nil)
				req.Host = c.sentHost
				c.want.check(t, "GET with Host "+c.sentHost, do(t, client, req))
			})
		}
		t.Run(ep.name+"/header-signed, real port signed, none sent", func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "obj.txt")
			putSDK(ctx, t, ep, k, []byte("original"), nil)
			req := signedPut(ctx, t, ep, k, []byte("replaced"), "UNSIGNED-PAYLOAD", time.Now())
			req.Host = "127.0.0.1"
			wantError(t, "PUT with Host 127.0.0.1", do(t, ep.http, req), http.StatusForbidden, "SignatureDoesNotMatch")
			wantUntouched(ctx, t, ep, k)
		})
	}
}

// signedPut builds a PutObject request signed in its Authorization header
// with the endpoint's key pair, declaring payloadHash as x-amz-content-sha256.
func signedPut(ctx context.Context, t *testing.T, ep *endpoint, k string, body []byte, payloadHash string, signedAt time.Time) *http.Request {
	t.Helper()
	path := "/" + tgt.bucket + "/" + k
	req := newRequest(ctx, t, http.MethodPut, ep.url+path, body, nil)
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	// The signer reads the path from an opaque URL of the form //host/path.
	req.URL.Opaque = "//" + ep.host + path
	creds := aws.Credentials{AccessKeyID: ep.accessKey, SecretAccessKey: ep.secretKey}
	s := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := s.SignHTTP(ctx, creds, req, payloadHash, "s3", region, signedAt); err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path
	return req
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestHeaderSignedRefused: requests signed in the Authorization header
// whose body, time or signature do not hold up.
func TestHeaderSignedRefused(t *testing.T) {
	body := []byte("the body actually sent")
	cases := []struct {
		name     string
		payload  string
		signedAt time.Duration // before now (negative: after)
		tamper   bool
		want     outcome
	}{
		{"signed body", sha256Hex(body), 0, false, accepted},
		{"unsigned payload", "UNSIGNED-PAYLOAD", 0, false, accepted},
		{"body differs from its declared hash", sha256Hex([]byte("another body")), 0, false, outcome{http.StatusBadRequest, "XAmzContentSHA256Mismatch"}},
		{"signed an hour ago", sha256Hex(body), time.Hour, false, outcome{http.StatusForbidden, "RequestTimeTooSkewed"}},
		{"signed 16 minutes ago", sha256Hex(body), 16 * time.Minute, false, outcome{http.StatusForbidden, "RequestTimeTooSkewed"}},
		{"signed 14 minutes ago", sha256Hex(body), 14 * time.Minute, false, accepted},
		// Unlike a presigned URL, a header-signed request's date is held to
		// 15 minutes in the future too.
		{"signed 14 minutes in the future", sha256Hex(body), -14 * time.Minute, false, accepted},
		{"signed 16 minutes in the future", sha256Hex(body), -16 * time.Minute, false, outcome{http.StatusForbidden, "RequestTimeTooSkewed"}},
		{"signed an hour in the future", sha256Hex(body), -time.Hour, false, outcome{http.StatusForbidden, "RequestTimeTooSkewed"}},
		{"tampered signature", sha256Hex(body), 0, true, outcome{http.StatusForbidden, "SignatureDoesNotMatch"}},
	}
	for _, ep := range tgt.endpoints() {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "obj.txt")
				putSDK(ctx, t, ep, k, []byte("original"), nil)
				req := signedPut(ctx, t, ep, k, body, c.payload, time.Now().Add(-c.signedAt))
				if c.tamper {
					a := req.Header.Get("Authorization")
					last := a[len(a)-1]
					req.Header.Set("Authorization", a[:len(a)-1]+map[bool]string{true: "1", false: "0"}[last == '0'])
				}
				c.want.check(t, "PUT "+c.name, do(t, ep.http, req))
				want := "original"
				if c.want == accepted {
					want = string(body)
				}
				if b := getSDK(ctx, t, ep, k); string(b) != want {
					t.Errorf("object %q, want %q", b, want)
				}
			})
		}
	}
}

// TestHeaderSignedUnsignedAmzHeaders: x-amz-* headers added to a
// header-signed request after signing. RGW checks only the headers in
// SignedHeaders, so it accepts them and acts on them, as it does for a
// presigned URL; a copy whose body is declared by its SHA-256 is the one
// refusal (501 NotImplemented, the hash right or wrong), so an unsigned
// copy source turns only an empty or UNSIGNED-PAYLOAD PUT into a copy.
func TestHeaderSignedUnsignedAmzHeaders(t *testing.T) {
	body := []byte("replaced")
	copySource := func(ctx context.Context, t *testing.T, ep *endpoint) http.Header {
		src := key(t, "private-source.txt")
		putSDK(ctx, t, ep, src, []byte("private source"), nil)
		return http.Header{"X-Amz-Copy-Source": {"/" + tgt.bucket + "/" + src}}
	}
	wantBody := func(want string) func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
		return func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
			if b := getSDK(ctx, t, ep, k); string(b) != want {
				t.Errorf("object %q, want %q", b, want)
			}
		}
	}
	cases := []struct {
		name    string
		body    []byte
		payload string
		headers func(ctx context.Context, t *testing.T, ep *endpoint) http.Header
		want    outcome
		check   func(ctx context.Context, t *testing.T, ep *endpoint, k string)
	}{
		{
			name: "x-amz-meta is stored", body: body, payload: sha256Hex(body),
			headers: func(context.Context, *testing.T, *endpoint) http.Header {
				return http.Header{"X-Amz-Meta-Foo": {"bar"}}
			},
			want: accepted,
			check: func(ctx context.Context, t *testing.T, ep *endpoint, k string) {
				head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
				if err != nil {
					t.Fatal(err)
				}
				if head.Metadata["foo"] != "bar" {
					t.Errorf("metadata %v, want foo=bar", head.Metadata)
				}
			},
		},
		{
			name: "x-amz-acl is applied", body: body, payload: sha256Hex(body),
			headers: func(context.Context, *testing.T, *endpoint) http.Header {
				return http.Header{"X-Amz-Acl": {"public-read"}}
			},
			want: accepted, check: wantPublicRead(string(body)),
		},
		{name: "x-amz-copy-source and no body copies", payload: sha256Hex(nil), headers: copySource, want: accepted, check: wantBody("private source")},
		{name: "x-amz-copy-source and UNSIGNED-PAYLOAD copies", body: body, payload: "UNSIGNED-PAYLOAD", headers: copySource, want: accepted, check: wantBody("private source")},
		{
			name: "x-amz-copy-source and a hashed body is not implemented", body: body, payload: sha256Hex(body), headers: copySource,
			want: outcome{http.StatusNotImplemented, "NotImplemented"}, check: wantUntouched,
		},
	}
	for _, ep := range tgt.endpoints() {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				ctx := testContext(t)
				k := key(t, "obj.txt")
				putSDK(ctx, t, ep, k, []byte("original"), nil)
				extra := c.headers(ctx, t, ep)
				req := signedPut(ctx, t, ep, k, c.body, c.payload, time.Now())
				for name, v := range extra {
					req.Header[name] = v
				}
				c.want.check(t, "PUT", do(t, ep.http, req))
				c.check(ctx, t, ep, k)
			})
		}
	}
}
