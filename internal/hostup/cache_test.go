// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

func TestIdenticalRequestsShareOneCall(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)} // okBody's timestamp
	srv, n := scripted(t, answer{status: 200, body: okBody})
	c := retryingClient(t, srv.URL, func(c *hostup.Config) { c.Now = clock.Now })

	var wg sync.WaitGroup
	urls := make([]string, 100)
	for i := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := c.Presign(context.Background(), in)
			if err != nil {
				t.Error(err)
				return
			}
			urls[i] = p.URL
		}()
	}
	wg.Wait()
	if n.Load() != 1 {
		t.Fatalf("100 identical concurrent requests made %d API calls", n.Load())
	}
	for _, u := range urls {
		if u != signedURL {
			t.Fatalf("a caller got %q", u)
		}
	}

	if _, err := c.Presign(context.Background(), hostup.PresignInput{Bucket: "b", Key: "k", Action: presignedurl.Upload}); err != nil || n.Load() != 2 {
		t.Fatalf("another action: %d calls, %v", n.Load(), err)
	}

	// 900 s URL: reused while at least 450 s remain, never after.
	clock.Advance(450 * time.Second)
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() != 2 {
		t.Fatalf("half the lifetime left: %d calls, %v", n.Load(), err)
	}
	clock.Advance(time.Second)
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() != 3 {
		t.Fatalf("less than half left: %d calls, %v", n.Load(), err)
	}
}

func TestFailuresAreNotCached(t *testing.T) {
	srv, n := scripted(t, answer{status: 404, body: classic("NOT_FOUND")}, answer{status: 200, body: okBody})
	c := retryingClient(t, srv.URL, nil)
	if _, err := c.Presign(context.Background(), in); err == nil {
		t.Fatal("want the 404")
	}
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() != 2 {
		t.Fatalf("after a failure: %d calls, %v", n.Load(), err)
	}
}

// blockingServer answers okBody once released; started counts requests that
// arrived, and cancelled those whose client went away first.
func blockingServer(t *testing.T) (srv *httptest.Server, started, cancelled *atomic.Int32, release func()) {
	t.Helper()
	started, cancelled = new(atomic.Int32), new(atomic.Int32)
	gate := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // the server notices a closed connection only after the body
		started.Add(1)
		select {
		case <-gate:
			_, _ = io.WriteString(w, okBody)
		case <-r.Context().Done():
			cancelled.Add(1)
		}
	}))
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { release(); srv.Close() })
	return srv, started, cancelled, release
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 10000 {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// The first caller of a shared call cancelling does not fail the others.
func TestSharedCallOutlivesFirstCaller(t *testing.T) {
	srv, started, _, release := blockingServer(t)
	c := newClient(t, srv.URL)
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() { _, err := c.Presign(first, in); firstErr <- err }()
	waitFor(t, "the first request", func() bool { return started.Load() == 1 })

	second := make(chan error, 1)
	var got *hostup.PresignedURL
	go func() {
		p, err := c.Presign(context.Background(), in)
		got = p
		second <- err
	}()
	waitFor(t, "the second caller to join", func() bool { return hostup.Waiters(c, in) == 2 })
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v, want context.Canceled", err)
	}
	release()
	if err := <-second; err != nil {
		t.Fatalf("second caller failed with the first caller's cancellation: %v", err)
	}
	if got.URL != signedURL || started.Load() != 1 {
		t.Fatalf("second caller: %d requests, url %q", started.Load(), got.URL)
	}
}

// When every caller has gone, the shared call is cancelled, and a later
// caller starts a new one instead of inheriting the cancellation.
func TestLastWaiterCancelsSharedCall(t *testing.T) {
	srv, started, cancelled, release := blockingServer(t)
	c := newClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.Presign(ctx, in); done <- err }()
	waitFor(t, "the first request", func() bool { return started.Load() == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	waitFor(t, "the abandoned request to be cancelled", func() bool { return cancelled.Load() == 1 })
	release()
	if p, err := c.Presign(context.Background(), in); err != nil || p.URL != signedURL || started.Load() != 2 {
		t.Fatalf("a later caller: %d requests, err %v", started.Load(), err)
	}
}

// Inputs that differ only in where one field ends and the next begins are
// different requests: each makes its own call and gets its own answer.
func TestDifferentInputsNeverShareACall(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies []string
	)
	gate := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		<-gate
		_, _ = io.WriteString(w, okBody)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	a := hostup.PresignInput{Bucket: "b", Action: presignedurl.Upload, ContentType: "text/plain\x00k", Key: "y"}
	b := hostup.PresignInput{Bucket: "b", Action: presignedurl.Upload, ContentType: "text/plain", Key: "k\x00y"}
	var wg sync.WaitGroup
	for _, input := range []hostup.PresignInput{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = c.Presign(context.Background(), input) }()
	}
	// Both requests must reach the server while the first is still open.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()
	if len(bodies) != 2 {
		t.Fatalf("two different inputs made %d API calls: %q", len(bodies), bodies)
	}
}
