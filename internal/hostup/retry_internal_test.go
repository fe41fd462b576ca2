// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func TestCheckRetry(t *testing.T) {
	ctx := context.Background()
	for status, want := range map[int]bool{
		200: false, 400: false, 401: false, 403: false, 404: false, 409: false, 422: false,
		429: true, 500: true, 501: false, 502: true, 503: true, 504: true,
	} {
		got, err := checkRetry(ctx, &http.Response{StatusCode: status}, nil)
		if got != want || err != nil {
			t.Errorf("status %d: retry %v (%v), want %v", status, got, err, want)
		}
	}
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"connection refused": {&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		"connection reset":   {&net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		"unexpected EOF":     {io.ErrUnexpectedEOF, true},
		"timeout":            {context.DeadlineExceeded, true},
		"unknown authority":  {x509.UnknownAuthorityError{}, false},
		"header limit":       {errors.New("net/http: server response headers exceeded 65536 bytes; aborted"), false},
	} {
		if got, _ := checkRetry(ctx, nil, tc.err); got != tc.want {
			t.Errorf("%s: retry %v, want %v", name, got, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := checkRetry(cancelled, &http.Response{StatusCode: 503}, nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: retry %v, err %v", got, err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	for value, want := range map[string]time.Duration{
		"0":                             0,
		"7":                             7 * time.Second,
		" 12 ":                          12 * time.Second,
		"Tue, 10 Feb 2026 12:00:30 GMT": 30 * time.Second,
		"Tue, 10 Feb 2026 11:00:00 GMT": 0, // in the past: go now
		"99999999":                      24 * time.Hour,
	} {
		got, ok := parseRetryAfter(value, now)
		if !ok || got != want {
			t.Errorf("%q: %s %v, want %s", value, got, ok, want)
		}
	}
	for _, bad := range []string{"", "-1", "soon", "1.5"} {
		if _, ok := parseRetryAfter(bad, now); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	backoff := backoffFunc(func() time.Time { return now }, 20*time.Second)
	resp := func(status int, retryAfter string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}}
	}
	if d := backoff(time.Second, 8*time.Second, 0, resp(429, "3")); d != 3*time.Second {
		t.Errorf("429 Retry-After 3: %s", d)
	}
	if d := backoff(time.Second, 8*time.Second, 0, resp(503, "Tue, 10 Feb 2026 12:00:05 GMT")); d != 5*time.Second {
		t.Errorf("503 Retry-After date: %s", d)
	}
	if d := backoff(time.Second, 8*time.Second, 0, resp(429, "3600")); d != 20*time.Second {
		t.Errorf("Retry-After above the cap: %s", d)
	}
	// Without Retry-After: jittered, growing, bounded.
	for attempt := 0; attempt < 40; attempt++ {
		ceiling := min(time.Second<<min(attempt, 20), 8*time.Second)
		for i := 0; i < 50; i++ {
			d := backoff(time.Second, 8*time.Second, attempt, resp(500, ""))
			if d < time.Second || d > ceiling {
				t.Fatalf("attempt %d: %s outside [1s, %s]", attempt, d, ceiling)
			}
		}
	}
}

func TestGate(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	g := &gate{now: func() time.Time { return now }, maxWait: 10 * time.Second}
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()

	if err := g.wait(expired); err != nil {
		t.Fatalf("open gate: %v", err)
	}
	g.observe(&http.Response{StatusCode: 500, Header: http.Header{"Retry-After": {"5"}}})
	if err := g.wait(expired); err != nil {
		t.Fatalf("a 500 closed the gate: %v", err)
	}
	g.observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"60"}}})
	if err := g.wait(expired); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("closed gate let a request through: %v", err)
	}
	now = now.Add(9 * time.Second)
	if err := g.wait(expired); err == nil {
		t.Fatal("gate opened before the capped wait (10 s)")
	}
	now = now.Add(time.Second)
	if err := g.wait(expired); err != nil {
		t.Fatalf("gate still closed after the capped wait: %v", err)
	}
}

// "Retry-After: 0" or a date in the past never shortens the back-off.
func TestRetryAfterNeverShortensBackoff(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	backoff := backoffFunc(func() time.Time { return now }, 20*time.Second)
	for _, asked := range []string{"0", "Tue, 10 Feb 2026 11:00:00 GMT", "Tue, 10 Feb 2026 12:00:00 GMT"} {
		for _, status := range []int{429, 503} {
			resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {asked}}}
			for attempt := 0; attempt < 5; attempt++ {
				if d := backoff(time.Second, 8*time.Second, attempt, resp); d < time.Second {
					t.Fatalf("%d with Retry-After %q, attempt %d: waited %s, below the 1 s minimum back-off", status, asked, attempt, d)
				}
			}
		}
	}
}

// The wait an error asks for is a duration, whichever form it was sent in.
func TestAPIErrorRetryAfterWait(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 27, 30, 0, time.UTC)
	for value, want := range map[string]time.Duration{
		"Wed, 21 Oct 2015 07:28:00 GMT": 30 * time.Second,
		"7":                             7 * time.Second,
		"86400":                         MaxRetryAfter,
		"soon":                          0,
	} {
		e := decodeAPIError(429, http.Header{"Retry-After": {value}}, nil, now)
		if e.RetryAfterWait != want || e.RetryAfter != value {
			t.Errorf("Retry-After %q: wait %s, want %s", value, e.RetryAfterWait, want)
		}
	}
}

// Failures that cannot pass on a retry fail at once.
func TestPermanentTransportErrors(t *testing.T) {
	for name, err := range map[string]error{
		"unknown host":         &net.DNSError{Err: "no such host", Name: "cloud.hostup.invalid", IsNotFound: true},
		"https to plain http":  errors.New("http: server gave HTTP response to HTTPS client"),
		"record header":        tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"},
		"certificate hostname": x509.HostnameError{Certificate: &x509.Certificate{}, Host: "x"},
	} {
		if retryableError(err) {
			t.Errorf("%s: retried", name)
		}
	}
	if !retryableError(&net.DNSError{Err: "server misbehaving", Name: "cloud.hostup.se", IsTemporary: true}) {
		t.Error("a temporary DNS failure is not retried")
	}
}
