// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// presignCache answers identical presign requests from one call: concurrent
// ones share the call in flight (singleflight), later ones reuse its URL while
// at least half of the URL's lifetime remains, so a configuration that asks
// for the same link many times makes one API call and never hands out a link
// about to expire.
type presignCache struct {
	group     singleflight.Group
	mu        sync.Mutex
	entries   map[PresignInput]cacheEntry
	nextSweep time.Time
	now       func() time.Time
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
	return &presignCache{entries: map[PresignInput]cacheEntry{}, now: now}
}

// fresh reports whether the entry's URL still has at least half its
// lifetime left.
func (c *presignCache) fresh(e cacheEntry, now time.Time) bool {
	return now.Sub(e.received) <= time.Duration(e.url.ExpiresIn)*time.Second/2
}

func (c *presignCache) get(in PresignInput) *PresignedURL {
	c.mu.Lock()
	defer c.mu.Unlock()
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

func (c *presignCache) put(in PresignInput, p *PresignedURL) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
// identical request. The shared call runs with the first caller's context:
// Terraform cancels every read at once, and a cancelled run leaves no call
// behind.
func (c *presignCache) do(ctx context.Context, in PresignInput, fetch func(context.Context) (*PresignedURL, error)) (*PresignedURL, error) {
	if p := c.get(in); p != nil {
		return p, nil
	}
	key := string(in.Action) + "\x00" + in.Bucket + "\x00" + in.ContentType + "\x00" + in.Key
	ch := c.group.DoChan(key, func() (any, error) {
		p, err := fetch(ctx)
		if err == nil {
			c.put(in, p)
		}
		return p, err
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		p, _ := r.Val.(*PresignedURL)
		out := *p
		return &out, nil
	}
}
