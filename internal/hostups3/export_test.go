// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

// SetMultipartThreshold lowers the multipart threshold, so tests exercise
// multipart uploads with small bodies.
func SetMultipartThreshold(c *ObjectClient, n int64) { c.threshold = n }
