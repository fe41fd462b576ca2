// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"sync"
	"time"
)

// presignCache answers identical presign requests from one call: concurrent
// ones share the call in flight, later ones reuse its URL while at least half
// of the URL's lifetime remains, so a configuration that asks for the same
// link many times makes one API call and never hands out a link about to
// expire. Requests are identical when their PresignInput values are equal:
// the struct itself is the key, so no two different inputs can share a call.
type presignCache struct {
	mu        sync.Mutex
	entries   map[PresignInput]cacheEntry
	calls     map[PresignInput]*sharedCall
	nextSweep time.Time
	now       func() time.Time
}

// sharedCall is one API call in flight and the callers waiting for it. It
// runs on a context of its own, cancelled when its last waiter leaves, so one
// caller's cancellation never fails the others.
type sharedCall struct {
	done    chan struct{}
	url     *PresignedURL
	err     error
	waiters int
	cancel  context.CancelFunc
}

// cacheEntry remembers when the URL arrived by the local clock, so that
// freshness never compares the API's clock with ours.
type cacheEntry struct {
	url      *PresignedURL
	received time.Time
}

// sweepEvery spaces the removals of stale entries, so a run that asks for
// thousands of distinct URLs does not scan the cache on every insert.
const sweepEvery = 30 * time.Second

func newPresignCache(now func() time.Time) *presignCache {
	return &presignCache{entries: map[PresignInput]cacheEntry{}, calls: map[PresignInput]*sharedCall{}, now: now}
}

// fresh reports whether the entry's URL still has at least half its
// lifetime left.
func (c *presignCache) fresh(e cacheEntry, now time.Time) bool {
	return now.Sub(e.received) <= time.Duration(e.url.ExpiresIn)*time.Second/2
}

// getLocked returns a copy of a fresh cached URL for in, or nil; c.mu is held.
func (c *presignCache) getLocked(in PresignInput) *PresignedURL {
	e, ok := c.entries[in]
	if !ok {
		return nil
	}
	if !c.fresh(e, c.now()) {
		delete(c.entries, in)
		return nil
	}
	out := *e.url
	return &out
}

// putLocked caches p for in; c.mu is held.
func (c *presignCache) putLocked(in PresignInput, p *PresignedURL) {
	now := c.now()
	if !now.Before(c.nextSweep) {
		for k, v := range c.entries {
			if !c.fresh(v, now) {
				delete(c.entries, k)
			}
		}
		c.nextSweep = now.Add(sweepEvery)
	}
	c.entries[in] = cacheEntry{url: p, received: now}
}

// do returns a cached URL for in, or calls fetch once for every concurrent
// identical request. Looking in the cache, joining a call in flight and
// storing a call's result all happen under one lock, so a caller can never
// miss both the cache and the call that is about to fill it.
func (c *presignCache) do(ctx context.Context, in PresignInput, fetch func(context.Context) (*PresignedURL, error)) (*PresignedURL, error) {
	c.mu.Lock()
	if p := c.getLocked(in); p != nil {
		c.mu.Unlock()
		return p, nil
	}
	call, ok := c.calls[in]
	if !ok {
		// The call keeps the first caller's values (its logger) but not its
		// cancellation: it ends when its last waiter leaves.
		callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		call = &sharedCall{done: make(chan struct{}), cancel: cancel}
		c.calls[in] = call
		go c.run(callCtx, in, call, fetch)
	}
	call.waiters++
	c.mu.Unlock()

	select {
	case <-call.done:
		if call.err != nil {
			return nil, call.err
		}
		out := *call.url
		return &out, nil
	case <-ctx.Done():
		c.mu.Lock()
		call.waiters--
		if call.waiters == 0 {
			// Nobody wants the answer any more: stop the call, and let the
			// next caller start a new one rather than join a cancelled one.
			call.cancel()
			if c.calls[in] == call {
				delete(c.calls, in)
			}
		}
		c.mu.Unlock()
		return nil, ctx.Err()
	}
}

// run makes the shared call and publishes its result.
func (c *presignCache) run(ctx context.Context, in PresignInput, call *sharedCall, fetch func(context.Context) (*PresignedURL, error)) {
	defer call.cancel()
	p, err := fetch(ctx)
	c.mu.Lock()
	if err == nil {
		c.putLocked(in, p)
	}
	if c.calls[in] == call {
		delete(c.calls, in)
	}
	call.url, call.err = p, err
	c.mu.Unlock()
	close(call.done)
}
