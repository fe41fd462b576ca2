// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func get(t *testing.T, client *http.Client, url, key string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, resp.Header, out
}

func TestAPIEnvelopesAndRoutes(t *testing.T) {
	e := start(t, emulator.Options{Buckets: []string{"media", "logs"}})
	presignURL(t, e, "x.txt", "upload", "") // the bucket stays empty; listing still works

	status, _, out := get(t, http.DefaultClient, e.APIURL()+"/object-storage/buckets", emulator.DefaultAPIKey)
	if status != 200 || out["success"] != true || !uuidRE.MatchString(str(out, "requestId")) {
		t.Fatalf("list: %d %v", status, out)
	}
	if _, err := time.Parse(time.RFC3339, str(out, "timestamp")); err != nil {
		t.Fatalf("timestamp: %v", err)
	}
	buckets, _ := dig(out, "data", "buckets").([]any)
	if len(buckets) != 2 || dig(buckets[0], "name") != "logs" {
		t.Fatalf("buckets: %v", buckets)
	}

	status, _, out = get(t, http.DefaultClient, e.APIURL()+"/object-storage", emulator.DefaultAPIKey)
	if status != 200 || dig(out, "data", "endpoint") != e.S3URL() || dig(out, "data", "awsRegion") != "eu-north-1" || dig(out, "data", "bucketCount") != float64(2) {
		t.Fatalf("overview: %d %v", status, out)
	}

	status, _, out = get(t, http.DefaultClient, e.APIURL()+"/object-storage/buckets/media", emulator.DefaultAPIKey)
	if status != 200 || dig(out, "data", "bucket", "name") != "media" {
		t.Fatalf("bucket: %d %v", status, out)
	}

	for _, tc := range []struct {
		name, url, key string
		status         int
		code           string
	}{
		{"no key", "/object-storage/buckets", "", 401, "UNAUTHORIZED"},
		{"wrong key", "/object-storage/buckets", "nope", 401, "UNAUTHORIZED"},
		{"unknown bucket", "/object-storage/buckets/ghost", emulator.DefaultAPIKey, 404, "NOT_FOUND"},
	} {
		status, _, out := get(t, http.DefaultClient, e.APIURL()+tc.url, tc.key)
		if status != tc.status || out["code"] != tc.code || str(out, "message") == "" || !uuidRE.MatchString(str(out, "requestId")) {
			t.Errorf("%s: %d %v", tc.name, status, out)
		}
	}

	for _, tc := range []struct{ name, action string }{{"bad action", "delete"}} {
		status, out := presign(t, e, "media", "k", tc.action, "")
		if status != 400 || out["code"] != "BAD_REQUEST" || !strings.Contains(str(out, "message"), "action") {
			t.Errorf("%s: %d %v", tc.name, status, out)
		}
	}
	if status, out := presign(t, e, "ghost", "k", "download", ""); status != 404 || out["code"] != "NOT_FOUND" {
		t.Errorf("presign unknown bucket: %d %v", status, out)
	}
}

func TestProblemEnvelope(t *testing.T) {
	e := start(t, emulator.Options{Envelope: emulator.EnvelopeProblem})
	status, header, out := get(t, http.DefaultClient, e.APIURL()+"/object-storage", "wrong")
	if status != 401 || out["code"] != "unauthorized" || out["title"] != "Unauthorized" || out["status"] != float64(401) ||
		out["detail"] == "" || header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %v", status, out)
	}
}

func TestFaults(t *testing.T) {
	e := start(t, emulator.Options{})
	url := e.APIURL() + "/object-storage"

	e.SetFaults(emulator.Faults{RateLimitNext: 2, RetryAfter: 3})
	for i := 0; i < 2; i++ {
		status, header, out := get(t, http.DefaultClient, url, emulator.DefaultAPIKey)
		if status != 429 || header.Get("Retry-After") != "3" || out["code"] != "rate_limited" {
			t.Fatalf("rate limit %d: %d %v %v", i, status, header, out)
		}
	}
	if status, _, _ := get(t, http.DefaultClient, url, emulator.DefaultAPIKey); status != 200 {
		t.Fatalf("after rate limit: %d", status)
	}

	e.SetFaults(emulator.Faults{ErrorRate: 1})
	if status, _, out := get(t, http.DefaultClient, url, emulator.DefaultAPIKey); status != 500 || out["code"] != "INTERNAL_ERROR" {
		t.Fatalf("error rate: %d %v", status, out)
	}

	e.SetFaults(emulator.Faults{MalformedNext: 1})
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || json.Valid(b) {
		t.Fatalf("malformed: %d %s", resp.StatusCode, b)
	}

	// A fresh connection: the client would retry a GET on a reused one.
	e.SetFaults(emulator.Faults{DropNext: 1})
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := fresh.Get(url); err == nil || !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") {
		t.Fatalf("drop: err = %v", err)
	}

	e.SetFaults(emulator.Faults{Latency: 20 * time.Millisecond, LatencyMax: 40 * time.Millisecond})
	status, header, _ := get(t, http.DefaultClient, url, emulator.DefaultAPIKey)
	if ms, err := strconv.Atoi(header.Get(emulator.DelayHeader)); status != 200 || err != nil || ms < 20 || ms > 40 {
		t.Fatalf("latency: HTTP %d, injected %q ms, want 20-40", status, header.Get(emulator.DelayHeader))
	}
	e.SetFaults(emulator.Faults{})

	c := e.Counters()
	if c.APIRequests != 7 || c.Connections < 2 {
		t.Fatalf("counters = %+v", c)
	}
}

func TestTLS(t *testing.T) {
	e := start(t, emulator.Options{TLS: true})
	if !strings.HasPrefix(e.APIURL(), "https://127.0.0.1:") || !strings.HasPrefix(e.S3URL(), "https://") {
		t.Fatalf("URLs %s %s", e.APIURL(), e.S3URL())
	}
	// An ordinary client does not trust the certificate.
	if _, err := http.Get(e.APIURL() + "/object-storage"); err == nil {
		t.Fatal("untrusted certificate accepted")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(e.CertPEM()) {
		t.Fatal("CertPEM is not a PEM certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	if status, _, _ := get(t, client, e.APIURL()+"/object-storage", emulator.DefaultAPIKey); status != 200 {
		t.Fatalf("status %d", status)
	}
	if c := e.Counters(); c.TLSHandshakes < 1 {
		t.Fatalf("handshakes = %d", c.TLSHandshakes)
	}
}

// dig walks nested JSON objects; a missing step yields nil.
func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func str(v any, path ...string) string {
	s, _ := dig(v, path...).(string)
	return s
}

// Rate faults hit the same request at most MaxConsecutive times in a row.
func TestFaultRatesAreBoundedPerRequest(t *testing.T) {
	e := start(t, emulator.Options{})
	e.SetFaults(emulator.Faults{RateLimitRate: 1, MaxConsecutive: 2})
	want := []int{429, 429, 200, 429, 429, 200}
	for i, status := range want {
		if got, _, _ := get(t, http.DefaultClient, e.APIURL()+"/object-storage", emulator.DefaultAPIKey); got != status {
			t.Fatalf("request %d: HTTP %d, want %d", i, got, status)
		}
	}
	e.SetFaults(emulator.Faults{ErrorRate: 1, ErrorStatus: 503})
	if got, _, out := get(t, http.DefaultClient, e.APIURL()+"/object-storage", emulator.DefaultAPIKey); got != 503 || out["code"] != "INTERNAL_ERROR" {
		t.Fatalf("error rate: HTTP %d %v", got, out)
	}
}
