// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

type answer struct {
	status int
	header http.Header
	body   string
}

// scripted answers requests in order, repeating the last answer.
func scripted(t *testing.T, answers ...answer) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		i := int(n.Add(1)) - 1
		a := answers[min(i, len(answers)-1)]
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func retryingClient(t *testing.T, endpoint string, mutate func(*hostup.Config)) *hostup.Client {
	t.Helper()
	cfg := hostup.Config{Endpoint: endpoint, APIKey: testKey, MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := hostup.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// manualClock is a clock the test moves by hand, read by the client from
// its own goroutines.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Advance moves the clock on by d.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var in = hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Download}

func classic(code string) string {
	return `{"code":"` + code + `","message":"m","requestId":"r"}`
}

func TestRetriesTransientFailures(t *testing.T) {
	srv, n := scripted(t,
		answer{status: 503, body: classic("INTERNAL_ERROR")},
		answer{status: 429, header: http.Header{"Retry-After": {"0"}}, body: classic("RATE_LIMITED")},
		answer{status: 502, body: "<html>bad gateway</html>"},
		answer{status: 200, body: okBody},
	)
	got, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 4 || got.URL != signedURL {
		t.Fatalf("requests %d, url %q", n.Load(), got.URL)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		srv, n := scripted(t, answer{status: status, body: classic("X")})
		_, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
		var apiErr *hostup.APIError
		if !errors.As(err, &apiErr) || apiErr.Attempts != 1 || n.Load() != 1 {
			t.Errorf("status %d: %d requests, err %v", status, n.Load(), err)
		}
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	srv, n := scripted(t, answer{status: 500, body: classic("INTERNAL_ERROR")})
	_, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
	var apiErr *hostup.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Attempts != 4 || n.Load() != 4 {
		t.Fatalf("%d requests, err %#v", n.Load(), err)
	}
}

func TestRetriesConnectionErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := retryingClient(t, url, nil).Presign(context.Background(), in)
	var reqErr *hostup.RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 4 || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetriesAttemptTimeouts(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select { // the first attempt stalls past its timeout
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		_, _ = io.WriteString(w, okBody)
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	c := retryingClient(t, srv.URL, func(c *hostup.Config) { c.RequestTimeout = 200 * time.Millisecond })
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() < 2 {
		t.Fatalf("%d requests, err %v", n.Load(), err)
	}
}

func TestCancelStopsWaiting(t *testing.T) {
	srv, n := scripted(t, answer{status: 429, header: http.Header{"Retry-After": {"60"}}, body: classic("RATE_LIMITED")})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for n.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := retryingClient(t, srv.URL, nil).Presign(ctx, in)
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Fatalf("%d requests, err %v", n.Load(), err)
	}
}

// One Retry-After pauses every caller of the client, not only the one that
// received it: while the clock stands still, nobody reaches the API.
func TestRetryAfterPausesTheWholeClient(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)}
	srv, n := scripted(t,
		answer{status: 429, header: http.Header{"Retry-After": {"30"}}, body: classic("RATE_LIMITED")},
		answer{status: 200, body: okBody},
	)
	c := retryingClient(t, srv.URL, func(c *hostup.Config) { c.MaxRetries = 0; c.Now = clock.Now })
	if _, err := c.Presign(context.Background(), in); err == nil {
		t.Fatal("first call: want the 429")
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	other := hostup.PresignInput{Bucket: "b", Key: "another", Action: presignedurl.Download}
	if _, err := c.Presign(short, other); !errors.Is(err, context.DeadlineExceeded) || n.Load() != 1 {
		t.Fatalf("second call during the pause: %d requests, err %v", n.Load(), err)
	}
	clock.Advance(30 * time.Second)
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() != 2 {
		t.Fatalf("after the pause: %d requests, err %v", n.Load(), err)
	}
}

func TestResponseLimits(t *testing.T) {
	for name, a := range map[string]answer{
		"invalid UTF-8": {status: 200, body: "{\"success\":true,\"data\":{\"url\":\"https://s3.hostup.se/b/\xff\xfe\",\"expiresIn\":900}}"},
		"huge header":   {status: 200, header: http.Header{"X-Padding": {strings.Repeat("a", 128<<10)}}, body: okBody},
		"wrong types":   {status: 200, body: `{"success":true,"data":{"url":"` + signedURL + `","expiresIn":"900"}}`},
		"array":         {status: 200, body: `[1,2,3]`},
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := scripted(t, a)
			_, err := retryingClient(t, srv.URL, nil).Presign(context.Background(), in)
			if err == nil || n.Load() != 1 {
				t.Fatalf("%d requests, err %v", n.Load(), err)
			}
		})
	}
}
