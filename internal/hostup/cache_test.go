// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

func TestIdenticalRequestsShareOneCall(t *testing.T) {
	var (
		mu  sync.Mutex
		now = time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC) // okBody's timestamp
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, n := scripted(t, answer{status: 200, body: okBody})
	c := retryingClient(t, srv.URL, func(c *hostup.Config) { c.Now = clock })

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

	if _, err := c.Presign(context.Background(), hostup.PresignInput{Bucket: "b", Key: "k", Action: hostup.ActionUpload}); err != nil || n.Load() != 2 {
		t.Fatalf("another action: %d calls, %v", n.Load(), err)
	}

	// 900 s URL: reused while at least 450 s remain, never after.
	mu.Lock()
	now = now.Add(450 * time.Second)
	mu.Unlock()
	if _, err := c.Presign(context.Background(), in); err != nil || n.Load() != 2 {
		t.Fatalf("half the lifetime left: %d calls, %v", n.Load(), err)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
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
