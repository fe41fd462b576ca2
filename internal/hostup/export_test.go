// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

// Waiters is how many callers wait for the shared call for in (0 when none
// is in flight), so tests can order events without sleeping.
func Waiters(c *Client, in PresignInput) int {
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	if call, ok := c.cache.calls[in]; ok {
		return call.waiters
	}
	return 0
}
