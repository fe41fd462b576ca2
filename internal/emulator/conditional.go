// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/hex"
	"strings"

	"github.com/johannesboyne/gofakes3"
)

// Conditional PutObject (If-Match, If-None-Match) as RGW Pacific answers
// it. RGW tests the conditions against the object it is about to write
// over, which is not always the key's current object:
//
//   - unversioned bucket: the current object. If-None-Match "*" fails when
//     it exists, If-Match "*" when it does not; any other value is compared
//     with its ETag verbatim, so only the unquoted ETag (a multipart
//     object's "...-N" one) matches: If-Match fails unless it equals it,
//     If-None-Match fails when it equals it or when there is no object.
//   - versioning Enabled: the new version, which never exists yet. So
//     If-None-Match "*" always holds (the object is overwritten: a lock
//     taken this way does not lock), and every other condition fails.
//   - versioning Suspended: the key's head. When the current version is
//     the null version, that is the current object, as unversioned; when
//     the key has other versions or delete markers but no current null
//     version, it exists without an ETag (If-None-Match "*" fails, so a
//     suspended bucket does lock; If-Match "*" holds, any value fails);
//     with no versions at all, nothing exists.
//
// Both headers may come together: the write happens only when both hold.

// errPrecondition is RGW's answer to a condition that does not hold.
var errPrecondition = gofakes3.ErrorMessage(gofakes3.ErrPreconditionFailed, "")

// writeTarget is what a conditional write is tested against.
type writeTarget struct {
	exists bool
	etag   string // unquoted; "" when the target has none
}

// holds reports whether conditions allow a write over w.
func (w writeTarget) holds(c *gofakes3.PutConditions) bool {
	if c == nil {
		return true
	}
	if c.IfMatch != nil {
		switch v := *c.IfMatch; {
		case v == "*":
			if !w.exists {
				return false
			}
		case w.etag == "" || v != w.etag:
			return false
		}
	}
	if c.IfNoneMatch != nil {
		switch v := *c.IfNoneMatch; {
		case v == "*":
			if w.exists {
				return false
			}
		case w.etag == "" || v == w.etag:
			return false
		}
	}
	return true
}

// checkPutConditions refuses a PutObject whose conditions do not hold;
// the caller holds versions.mu (it runs inside versionedWrite), so the
// test and the write are one step.
func (b *rgwBackend) checkPutConditions(bucket, key string, c *gofakes3.PutConditions) error {
	if c == nil {
		return nil
	}
	if !b.writeTarget(bucket, key).holds(c) {
		return errPrecondition
	}
	return nil
}

// writeTarget finds what RGW tests a write to bucket/key against; the
// caller holds versions.mu.
func (b *rgwBackend) writeTarget(bucket, key string) writeTarget {
	status := b.versions.status[bucket]
	if status == gofakes3.VersioningEnabled {
		return writeTarget{}
	}
	current := b.currentTarget(bucket, key)
	if status == "" {
		return current
	}
	h := b.history(bucket, key)
	if h == nil || (h.latestID == nullVersion && !h.latestMarker) {
		return current // the null version is current, or the key has no versions
	}
	// A current version other than null, or a delete marker.
	return writeTarget{exists: true}
}

// currentTarget is the key's current object and its unquoted ETag.
func (b *rgwBackend) currentTarget(bucket, key string) writeTarget {
	obj, err := b.Backend.HeadObject(bucket, key)
	if err != nil || obj == nil {
		return writeTarget{}
	}
	if obj.Contents != nil {
		_ = obj.Contents.Close()
	}
	etag := strings.Trim(obj.Metadata[etagMeta], `"`)
	if etag == "" {
		etag = hex.EncodeToString(obj.Hash)
	}
	return writeTarget{exists: true, etag: etag}
}
