// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

const (
	testKey   = "k3y-s3cr3t"
	signedURL = "https://s3.hostup.se/media/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123&x-id=GetObject"
	okBody    = `{"success":true,"timestamp":"2026-02-10T00:00:00.000Z","requestId":"2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba","data":{"url":"` + signedURL + `","expiresIn":900}}`
)

type captured struct {
	method, path, rawPath string
	header                http.Header
	body                  []byte
}

// server answers every request with status and body, recording the requests.
func server(t *testing.T, status int, body string, header http.Header) (*httptest.Server, *[]captured) {
	t.Helper()
	var reqs []captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		reqs = append(reqs, captured{r.Method, r.URL.Path, r.URL.EscapedPath(), r.Header.Clone(), b})
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &reqs
}

// newClient makes a client that does not retry; retry tests set their own.
func newClient(t *testing.T, endpoint string) *hostup.Client {
	t.Helper()
	c, err := hostup.NewClient(hostup.Config{
		Endpoint: endpoint, APIKey: testKey, UserAgent: "test-agent/1", MaxRetries: 0,
		Now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPresignSendsOneWellFormedRequest(t *testing.T) {
	srv, reqs := server(t, 200, okBody, nil)
	c := newClient(t, srv.URL+"/api/")
	got, err := c.Presign(context.Background(), hostup.PresignInput{Bucket: "media", Key: "dir/a b+c%?.txt", Action: presignedurl.Upload, ContentType: "text/plain"})
	if err != nil {
		t.Fatal(err)
	}
	if len(*reqs) != 1 {
		t.Fatalf("requests = %d, want 1", len(*reqs))
	}
	r := (*reqs)[0]
	if r.method != http.MethodPost || r.rawPath != "/api/object-storage/buckets/media/presign" {
		t.Errorf("request = %s %s", r.method, r.rawPath)
	}
	for h, want := range map[string]string{"X-Api-Key": testKey, "Content-Type": "application/json", "Accept": "application/json", "User-Agent": "test-agent/1"} {
		if r.header.Get(h) != want {
			t.Errorf("header %s = %q, want %q", h, r.header.Get(h), want)
		}
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body) != 3 || body["key"] != "dir/a b+c%?.txt" || body["action"] != "upload" || body["contentType"] != "text/plain" {
		t.Errorf("body = %s", r.body)
	}
	if got.URL != signedURL {
		t.Errorf("URL changed: %q", got.URL)
	}
	if got.ExpiresIn != 900 || got.Method != http.MethodPut || got.RequestID != "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba" {
		t.Errorf("got %+v", got)
	}
	if want := time.Date(2026, 2, 10, 0, 15, 0, 0, time.UTC); !got.ExpiresAt().Equal(want) {
		t.Errorf("ExpiresAt = %s, want %s", got.ExpiresAt(), want)
	}
}

func TestPresignOmitsEmptyContentTypeAndEscapesBucket(t *testing.T) {
	srv, reqs := server(t, 200, okBody, nil)
	c := newClient(t, srv.URL)
	if _, err := c.Presign(context.Background(), hostup.PresignInput{Bucket: "odd/bucket name", Key: "k", Action: presignedurl.Download}); err != nil {
		t.Fatal(err)
	}
	r := (*reqs)[0]
	if r.rawPath != "/object-storage/buckets/odd%2Fbucket%20name/presign" {
		t.Errorf("path = %q", r.rawPath)
	}
	if string(r.body) != `{"key":"k","action":"download"}` {
		t.Errorf("body = %s", r.body)
	}
}

func TestPresignUsesClockWithoutTimestamp(t *testing.T) {
	srv, _ := server(t, 200, `{"success":true,"requestId":"r1","data":{"url":"`+signedURL+`","expiresIn":60}}`, nil)
	got, err := newClient(t, srv.URL).Presign(context.Background(), hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Download})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2030, 1, 1, 0, 1, 0, 0, time.UTC); !got.ExpiresAt().Equal(want) {
		t.Errorf("ExpiresAt = %s, want %s", got.ExpiresAt(), want)
	}
}

func TestPresignErrors(t *testing.T) {
	classic := func(code, msg string) string {
		return `{"code":"` + code + `","error":"Err","message":"` + msg + `","requestId":"req-1","timestamp":"2026-02-10T00:00:00Z"}`
	}
	problem := `{"type":"https://developer.hostup.se/errors/rate_limited","title":"Too Many Requests","status":429,"detail":"slow down","code":"rate_limited","instance":"/x","requestId":"req-2","errors":[{"pointer":"/key","detail":"too long","code":"invalid"}]}`
	cases := []struct {
		name     string
		status   int
		body     string
		header   http.Header
		wantType string // "api", "response"
		wantCode string
		wantReq  string
		wantText string
	}{
		{"unauthorized", 401, classic("UNAUTHORIZED", "Invalid API key"), nil, "api", "UNAUTHORIZED", "req-1", "Invalid API key"},
		{"forbidden", 403, classic("FORBIDDEN", "Account not verified"), nil, "api", "FORBIDDEN", "req-1", "Account not verified"},
		{"not found", 404, classic("NOT_FOUND", "Bucket not found"), nil, "api", "NOT_FOUND", "req-1", "Bucket not found"},
		{"bad request", 400, classic("BAD_REQUEST", "key is required"), nil, "api", "BAD_REQUEST", "req-1", "key is required"},
		{"internal", 500, classic("INTERNAL_ERROR", "boom"), nil, "api", "INTERNAL_ERROR", "req-1", "boom"},
		{"problem document", 429, problem, http.Header{"Retry-After": {"7"}}, "api", "rate_limited", "req-2", "slow down; /key: too long"},
		{"non-JSON error", 502, "<html>Bad gateway</html>", http.Header{"X-Request-Id": {"edge-9"}}, "api", "", "edge-9", "Bad Gateway"},
		{"error on 200 envelope", 200, `{"success":false,"requestId":"req-3"}`, nil, "response", "", "req-3", `"success": false`},
		{"not JSON", 200, "<html>hello</html>", nil, "response", "", "", "not a JSON object"},
		{"no data", 200, `{"success":true}`, nil, "response", "", "", `no "data"`},
		{"missing url", 200, `{"success":true,"data":{"expiresIn":900}}`, nil, "response", "", "", `"url" is missing`},
		{"relative url", 200, `{"success":true,"data":{"url":"/media/x","expiresIn":900}}`, nil, "response", "", "", "absolute"},
		{"zero expiry", 200, `{"success":true,"data":{"url":"` + signedURL + `","expiresIn":0}}`, nil, "response", "", "", "positive lifetime"},
		{"negative expiry", 200, `{"success":true,"data":{"url":"` + signedURL + `","expiresIn":-5}}`, nil, "response", "", "", "positive lifetime"},
		{"wrong data shape", 200, `{"success":true,"data":{"url":42}}`, nil, "response", "", "", "unexpected shape"},
		{"oversized", 200, `{"success":true,"data":{"url":"` + strings.Repeat("a", hostup.MaxResponseBytes) + `"}}`, nil, "response", "", "", "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := server(t, tc.status, tc.body, tc.header)
			_, err := newClient(t, srv.URL).Presign(context.Background(), hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Download})
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "abc123") {
				t.Fatalf("error leaks a secret: %v", err)
			}
			switch tc.wantType {
			case "api":
				var apiErr *hostup.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %T %v is not an *APIError", err, err)
				}
				if apiErr.StatusCode != tc.status || apiErr.Code != tc.wantCode || apiErr.RequestID != tc.wantReq || apiErr.Text() != tc.wantText {
					t.Fatalf("got %+v (text %q)", apiErr, apiErr.Text())
				}
				if tc.header.Get("Retry-After") != apiErr.RetryAfter {
					t.Fatalf("RetryAfter = %q", apiErr.RetryAfter)
				}
			case "response":
				var respErr *hostup.ResponseError
				if !errors.As(err, &respErr) {
					t.Fatalf("error %T %v is not a *ResponseError", err, err)
				}
				if respErr.RequestID != tc.wantReq || !strings.Contains(respErr.Reason, tc.wantText) {
					t.Fatalf("got %+v", respErr)
				}
			}
		})
	}
}

func TestPresignNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL + "/api"
	srv.Close()
	_, err := newClient(t, endpoint).Presign(context.Background(), hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Download})
	var reqErr *hostup.RequestError
	if !errors.As(err, &reqErr) || reqErr.Endpoint != endpoint || !strings.Contains(err.Error(), "could not reach the HostUp API at "+endpoint) {
		t.Fatalf("err = %v", err)
	}
}

func TestPresignHonoursContext(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for hits.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := newClient(t, srv.URL).Presign(ctx, hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Download})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestPresignRefusesBadInput(t *testing.T) {
	srv, reqs := server(t, 200, okBody, nil)
	c := newClient(t, srv.URL)
	for _, in := range []hostup.PresignInput{
		{Key: "k", Action: presignedurl.Download},
		{Bucket: "b", Action: presignedurl.Download},
		{Bucket: "b", Key: "k", Action: "delete"},
	} {
		if _, err := c.Presign(context.Background(), in); err == nil {
			t.Errorf("%+v: no error", in)
		}
	}
	if len(*reqs) != 0 {
		t.Errorf("bad input reached the API %d times", len(*reqs))
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, ok := range []string{"https://cloud.hostup.se/api", "http://127.0.0.1:8080/api", "https://example.test"} {
		if _, err := hostup.ParseEndpoint(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "  ", "cloud.hostup.se/api", "ftp://cloud.hostup.se", "https://", "http://user:pw@host/api", "https://h/api?x=1", "https://h/api#f", "://x"} {
		if _, err := hostup.ParseEndpoint(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

// A redirect is never followed: the API key stays with the configured
// endpoint, the answer is not retried, and the error names the status and
// the target's scheme and host, never its path or query.
func TestNeverFollowsRedirects(t *testing.T) {
	elsewhere, stolen := server(t, 200, okBody, nil)
	for _, status := range []int{301, 302, 307, 308} {
		srv, n := scripted(t, answer{status: status, header: http.Header{"Location": {elsewhere.URL + "/collect?token=s3cr3t-path"}}})
		_, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
		var redirect *hostup.RedirectError
		if !errors.As(err, &redirect) {
			t.Fatalf("%d: err = %T %v, want *RedirectError", status, err, err)
		}
		if n.Load() != 1 || redirect.Attempts != 1 {
			t.Errorf("%d: %d requests, %d attempts; a redirect must not be retried", status, n.Load(), redirect.Attempts)
		}
		if redirect.StatusCode != status || redirect.Target != elsewhere.URL {
			t.Errorf("%d: got %+v, want target %s", status, redirect, elsewhere.URL)
		}
		msg := err.Error()
		if !strings.Contains(msg, elsewhere.URL) || strings.Contains(msg, "collect") || strings.Contains(msg, "s3cr3t-path") {
			t.Errorf("%d: message %q must name the target's scheme and host only", status, msg)
		}
	}
	if len(*stolen) != 0 {
		t.Fatalf("the redirect target received %d requests, the first with X-API-Key %q", len(*stolen), (*stolen)[0].header.Get("X-Api-Key"))
	}
}

// A redirect to itself is one request, not a loop of retried ones.
func TestRedirectLoopIsOneRequest(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	_, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
	var redirect *hostup.RedirectError
	if !errors.As(err, &redirect) || n.Load() != 1 {
		t.Fatalf("%d requests, err %v", n.Load(), err)
	}
}

// "." and ".." never leave their path segment: no request is made.
func TestPresignRefusesDotSegments(t *testing.T) {
	srv, reqs := server(t, 200, okBody, nil)
	c := newClient(t, srv.URL+"/api")
	for _, bucket := range []string{".", ".."} {
		if _, err := c.Presign(context.Background(), hostup.PresignInput{Bucket: bucket, Key: "k", Action: presignedurl.Download}); err == nil {
			t.Errorf("bucket %q: no error", bucket)
		}
	}
	if len(*reqs) != 0 {
		t.Fatalf("dot segments reached %v", (*reqs)[0].rawPath)
	}
}

// Plain http is for this machine only; errors never quote a secret.
func TestParseEndpointSecurity(t *testing.T) {
	for _, ok := range []string{"http://localhost:8080/api", "http://LOCALHOST/api", "http://127.0.0.2:1/api", "http://[::1]:8080/api"} {
		if _, err := hostup.ParseEndpoint(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, remote := range []string{"http://cloud.hostup.se/api", "http://10.0.0.1/api", "http://localhost.example.com/api", "http://[::2]/api"} {
		_, err := hostup.ParseEndpoint(remote)
		if err == nil || !strings.Contains(err.Error(), "unencrypted") || !strings.Contains(err.Error(), "use https://") {
			t.Errorf("%q: err = %v, want a refusal that says why and what to use", remote, err)
		}
	}
	for _, raw := range []string{
		"https://user:s3cr3t@cloud.hostup.se/api",
		"https://cloud.hostup.se/api?token=s3cr3t",
		"https://cloud.hostup.se/api#s3cr3t",
		"https://cloud.hostup.se/%zz?token=s3cr3t",
		"ftp://cloud.hostup.se/api?token=s3cr3t",
		"http://remote.example/api?token=s3cr3t",
		"https://[::1/api?token=s3cr3t",
	} {
		_, err := hostup.ParseEndpoint(raw)
		if err == nil {
			t.Errorf("%q: accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%q: error quotes a secret: %v", raw, err)
		}
	}
}
