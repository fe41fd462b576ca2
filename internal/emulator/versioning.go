// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// Versioning as RGW does it, kept beside the storage rather than in it:
// the storage (gofakes3's memory backend, or a directory) holds each key's
// current object, so everything that reads current objects is unchanged,
// and the history below holds the rest: the current version's id, earlier
// versions (their bytes and metadata) and delete markers. gofakes3's own
// memory versioning is not used: it loses the null version when a
// suspended bucket is written, and never brings an earlier version back
// when the current one is deleted.
//
// A directory (-dir) keeps no history: versioning there is refused with
// NotImplemented, and ListObjectVersions lists current objects as "null".

// nullVersion is the id of the version written while a bucket was never
// versioned, or suspended.
const nullVersion = "null"

// nullVersionQuery replaces versionId=null in a verified request's query:
// gofakes3 reads "null" as no version at all, which would make a DELETE of
// the null version a new delete marker.
const nullVersionQuery = "emulator-null-version"

// objectVersion is one noncurrent version, or a delete marker.
type objectVersion struct {
	id       string
	marker   bool
	body     []byte
	meta     map[string]string // as stored: cleanObject turns it into headers
	hash     []byte
	modified time.Time
}

// keyHistory is one key's versions in a versioned bucket.
type keyHistory struct {
	// latestID is the current version's id; latestMarker is set when it is
	// a delete marker (the storage then has no object for the key).
	latestID       string
	latestMarker   bool
	latestModified time.Time        // a current delete marker's time
	older          []*objectVersion // newest first
}

// versions is the versioning state of every bucket.
type versions struct {
	mu     sync.Mutex // held across a versioned write, which is one step
	status map[string]gofakes3.VersioningStatus
	keys   map[string]map[string]*keyHistory
}

// newVersionID makes an id of RGW's shape: 31 characters of [A-Za-z0-9._-].
func newVersionID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
	b := make([]byte, 31)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// versionFromQuery undoes nullVersionQuery.
func versionFromQuery(v gofakes3.VersionID) string {
	if v == nullVersionQuery {
		return nullVersion
	}
	return string(v)
}

// rewriteNullVersion is applied to a request once its signature verified.
func rewriteNullVersion(r *http.Request) {
	q := r.URL.Query()
	if q.Get("versionId") != nullVersion {
		return
	}
	q.Set("versionId", nullVersionQuery)
	r.URL.RawQuery = q.Encode()
}

func (b *rgwBackend) versioningStatus(bucket string) gofakes3.VersioningStatus {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	return b.versions.status[bucket]
}

// history is bucket/key's history, nil when none; the caller holds
// versions.mu.
func (b *rgwBackend) history(bucket, key string) *keyHistory {
	return b.versions.keys[bucket][key]
}

func (b *rgwBackend) ensureHistory(bucket, key string) *keyHistory {
	if b.versions.keys == nil {
		b.versions.keys = map[string]map[string]*keyHistory{}
	}
	if b.versions.keys[bucket] == nil {
		b.versions.keys[bucket] = map[string]*keyHistory{}
	}
	h := b.versions.keys[bucket][key]
	if h == nil {
		h = &keyHistory{latestID: nullVersion}
		b.versions.keys[bucket][key] = h
	}
	return h
}

// current is the key's current version as a noncurrent one would be kept,
// nil when the key has none; the caller holds versions.mu.
func (b *rgwBackend) current(bucket, key string) *objectVersion {
	h := b.history(bucket, key)
	if h != nil && h.latestMarker {
		return &objectVersion{id: h.latestID, marker: true, modified: h.latestModified}
	}
	obj, err := b.Backend.GetObject(bucket, key, nil)
	if err != nil || obj == nil {
		return nil
	}
	defer obj.Contents.Close()
	body, err := io.ReadAll(obj.Contents)
	if err != nil {
		return nil
	}
	meta := make(map[string]string, len(obj.Metadata))
	for k, v := range obj.Metadata {
		meta[k] = v
	}
	id := nullVersion
	if h != nil {
		id = h.latestID
	}
	modified, _ := time.Parse(http.TimeFormat, meta["Last-Modified"])
	return &objectVersion{id: id, body: body, meta: meta, hash: obj.Hash, modified: modified}
}

// supersede makes the new version (id, a delete marker or not) current
// and keeps prev, the one it replaces; a suspended bucket keeps one null
// version only.
func (b *rgwBackend) supersede(bucket, key string, prev *objectVersion, id string, marker bool) {
	h := b.ensureHistory(bucket, key)
	if prev != nil {
		h.older = append([]*objectVersion{prev}, h.older...)
	}
	if id == nullVersion {
		kept := h.older[:0]
		for _, v := range h.older {
			if v.id != nullVersion {
				kept = append(kept, v)
			}
		}
		h.older = kept
	}
	h.latestID, h.latestMarker, h.latestModified = id, marker, b.now()
}

// nextID is the id a write gets: a new one when versioning is enabled,
// null when suspended.
func nextID(status gofakes3.VersioningStatus) string {
	if status == gofakes3.VersioningEnabled {
		return newVersionID()
	}
	return nullVersion
}

// versionedWrite runs write (a put or a copy into bucket/key) and records
// the version it makes. It returns the id to answer in x-amz-version-id:
// none in an unversioned or suspended bucket, as RGW answers.
func (b *rgwBackend) versionedWrite(bucket, key string, write func() error) (string, error) {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	status := b.versions.status[bucket]
	if status == "" {
		return "", write()
	}
	prev := b.current(bucket, key)
	if err := write(); err != nil {
		return "", err
	}
	id := nextID(status)
	b.supersede(bucket, key, prev, id, false)
	if id == nullVersion {
		return "", nil
	}
	return id, nil
}

// deleteCurrent is DeleteObject without a version id: in a versioned
// bucket, a delete marker becomes the current version.
func (b *rgwBackend) deleteCurrent(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	status := b.versions.status[bucket]
	if status == "" {
		res, err := b.Backend.DeleteObject(bucket, key)
		res.VersionID = ""
		return res, err
	}
	prev := b.current(bucket, key)
	if prev != nil && !prev.marker {
		if _, err := b.Backend.DeleteObject(bucket, key); err != nil {
			return gofakes3.ObjectDeleteResult{}, err
		}
	}
	id := nextID(status)
	b.supersede(bucket, key, prev, id, true)
	return gofakes3.ObjectDeleteResult{IsDeleteMarker: true, VersionID: gofakes3.VersionID(id)}, nil
}

// DeleteObjectVersion removes one version for good; when it was the
// current one, the newest earlier version becomes current again.
func (b *rgwBackend) DeleteObjectVersion(bucket, key string, versionID gofakes3.VersionID) (gofakes3.ObjectDeleteResult, error) {
	if err := b.checkKey(key); err != nil {
		return gofakes3.ObjectDeleteResult{}, err
	}
	id := versionFromQuery(versionID)
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	h := b.history(bucket, key)
	if h == nil {
		if id != nullVersion {
			return gofakes3.ObjectDeleteResult{}, nil
		}
		res, err := b.Backend.DeleteObject(bucket, key)
		res.VersionID = nullVersion
		return res, err
	}
	if h.latestID == id {
		res := gofakes3.ObjectDeleteResult{VersionID: versionID, IsDeleteMarker: h.latestMarker}
		if !h.latestMarker {
			if _, err := b.Backend.DeleteObject(bucket, key); err != nil {
				return gofakes3.ObjectDeleteResult{}, err
			}
		}
		if len(h.older) == 0 {
			delete(b.versions.keys[bucket], key)
			return res, nil
		}
		v := h.older[0]
		h.older = h.older[1:]
		h.latestID, h.latestMarker, h.latestModified = v.id, v.marker, v.modified
		if !v.marker {
			if _, err := b.Backend.PutObject(bucket, key, v.meta, bytes.NewReader(v.body), int64(len(v.body)), nil); err != nil {
				return gofakes3.ObjectDeleteResult{}, err
			}
		}
		return res, nil
	}
	for i, v := range h.older {
		if v.id == id {
			h.older = append(h.older[:i], h.older[i+1:]...)
			return gofakes3.ObjectDeleteResult{VersionID: versionID, IsDeleteMarker: v.marker}, nil
		}
	}
	return gofakes3.ObjectDeleteResult{}, nil
}

func (b *rgwBackend) DeleteMultiVersions(bucket string, objects ...gofakes3.ObjectID) (gofakes3.MultiDeleteResult, error) {
	var out gofakes3.MultiDeleteResult
	for _, o := range objects {
		var err error
		if o.VersionID == "" {
			_, err = b.DeleteObject(bucket, o.Key)
		} else {
			_, err = b.DeleteObjectVersion(bucket, o.Key, gofakes3.VersionID(o.VersionID))
		}
		if err != nil {
			out.Error = append(out.Error, gofakes3.ErrorResultFromError(err))
			continue
		}
		out.Deleted = append(out.Deleted, o)
	}
	return out, nil
}

// version finds one version of bucket/key: the current one (ok, nil) or
// an earlier one.
func (b *rgwBackend) version(bucket, key, id string) (current bool, v *objectVersion, err error) {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	h := b.history(bucket, key)
	if h == nil {
		if id == nullVersion {
			return true, nil, nil
		}
		return false, nil, gofakes3.KeyNotFound(key)
	}
	if h.latestID == id {
		if h.latestMarker {
			return false, &objectVersion{id: id, marker: true}, nil
		}
		return true, nil, nil
	}
	for _, v := range h.older {
		if v.id == id {
			return false, v, nil
		}
	}
	// RGW answers an unknown version 404 NoSuchKey, not NoSuchVersion.
	return false, nil, gofakes3.KeyNotFound(key)
}

// object is a kept version as gofakes3 answers it.
func (v *objectVersion) object(key string, rng *gofakes3.ObjectRangeRequest, withBody bool) (*gofakes3.Object, error) {
	if v.marker {
		// RGW answers a GET or HEAD of a delete marker's version 405.
		return nil, gofakes3.ErrMethodNotAllowed
	}
	meta := make(map[string]string, len(v.meta))
	for k, val := range v.meta {
		meta[k] = val
	}
	obj := &gofakes3.Object{Name: key, Metadata: meta, Size: int64(len(v.body)), Hash: v.hash, Contents: io.NopCloser(bytes.NewReader(nil))}
	if withBody {
		r, err := rng.Range(obj.Size)
		if err != nil {
			return nil, err
		}
		data := v.body
		if r != nil {
			data = data[r.Start : r.Start+r.Length]
		}
		obj.Range = r
		obj.Contents = io.NopCloser(bytes.NewReader(data))
	}
	obj = cleanObject(obj)
	obj.VersionID = gofakes3.VersionID(v.id)
	return obj, nil
}

func (b *rgwBackend) GetObjectVersion(bucket, key string, versionID gofakes3.VersionID, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	return b.objectVersion(bucket, key, versionID, rng, true)
}

func (b *rgwBackend) HeadObjectVersion(bucket, key string, versionID gofakes3.VersionID) (*gofakes3.Object, error) {
	return b.objectVersion(bucket, key, versionID, nil, false)
}

func (b *rgwBackend) objectVersion(bucket, key string, versionID gofakes3.VersionID, rng *gofakes3.ObjectRangeRequest, withBody bool) (*gofakes3.Object, error) {
	if err := b.checkKey(key); err != nil {
		return nil, err
	}
	id := versionFromQuery(versionID)
	current, v, err := b.version(bucket, key, id)
	if err != nil {
		return nil, err
	}
	if !current {
		return v.object(key, rng, withBody)
	}
	var obj *gofakes3.Object
	if withBody {
		obj, err = b.GetObject(bucket, key, rng)
	} else {
		obj, err = b.HeadObject(bucket, key)
	}
	if obj != nil {
		obj.VersionID = gofakes3.VersionID(id)
	}
	return obj, err
}

// currentVersionID is what HEAD and GET of the current object answer in
// x-amz-version-id: its id, none for the null version (as RGW).
func (b *rgwBackend) currentVersionID(bucket, key string) gofakes3.VersionID {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	if h := b.history(bucket, key); h != nil && h.latestID != nullVersion {
		return gofakes3.VersionID(h.latestID)
	}
	return ""
}

func (b *rgwBackend) VersioningConfiguration(bucket string) (gofakes3.VersioningConfiguration, error) {
	if ok, err := b.BucketExists(bucket); err != nil || !ok {
		return gofakes3.VersioningConfiguration{}, gofakes3.BucketNotFound(bucket)
	}
	c := gofakes3.VersioningConfiguration{Status: b.versioningStatus(bucket)}
	if c.Status != "" {
		c.MFADelete = gofakes3.MFADeleteDisabled // RGW names it once versioning was set
	}
	return c, nil
}

// errVersioningOnDisk refuses versioning in an emulator with a directory.
var errVersioningOnDisk = gofakes3.ErrorMessage(gofakes3.ErrNotImplemented, "versioning is not available in an emulator with a directory (-dir): its objects are files, one version each")

func (b *rgwBackend) SetVersioningConfiguration(bucket string, v gofakes3.VersioningConfiguration) error {
	if ok, err := b.BucketExists(bucket); err != nil || !ok {
		return gofakes3.BucketNotFound(bucket)
	}
	if v.Status != gofakes3.VersioningEnabled && v.Status != gofakes3.VersioningSuspended {
		return gofakes3.ErrorMessage(gofakes3.ErrInvalidArgument, "versioning Status must be Enabled or Suspended")
	}
	if b.onDisk {
		return errVersioningOnDisk
	}
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	if b.versions.status == nil {
		b.versions.status = map[string]gofakes3.VersioningStatus{}
	}
	b.versions.status[bucket] = v.Status
	return nil
}

// forgetVersions drops a bucket's versioning and every earlier version,
// before the bucket is deleted with everything in it.
func (b *rgwBackend) forgetVersions(bucket string) {
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	delete(b.versions.status, bucket)
	delete(b.versions.keys, bucket)
}

// DeleteBucket refuses a bucket that still has earlier versions or delete
// markers (the storage sees no objects then), as RGW does.
func (b *rgwBackend) DeleteBucket(bucket string) error {
	b.versions.mu.Lock()
	hasVersions := len(b.versions.keys[bucket]) > 0
	b.versions.mu.Unlock()
	if hasVersions {
		return gofakes3.ResourceError(gofakes3.ErrBucketNotEmpty, bucket)
	}
	if err := b.Backend.DeleteBucket(bucket); err != nil {
		return err
	}
	b.forgetVersions(bucket)
	return nil
}

// ListBucketVersions lists every version, keys in order, each key's newest
// first, with the usual prefix and delimiter and key/version markers.
func (b *rgwBackend) ListBucketVersions(bucket string, prefix *gofakes3.Prefix, page *gofakes3.ListBucketVersionsPage) (*gofakes3.ListBucketVersionsResult, error) {
	if prefix == nil {
		prefix = &gofakes3.Prefix{}
	}
	if page == nil {
		page = &gofakes3.ListBucketVersionsPage{}
	}
	list, err := b.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, err
	}
	result := gofakes3.NewListBucketVersionsResult(bucket, prefix, page)
	maxKeys := page.MaxKeys
	if maxKeys <= 0 {
		maxKeys = 1000
		result.MaxKeys = maxKeys
	}
	currents := map[string]*gofakes3.Content{}
	for _, c := range list.Contents {
		currents[c.Key] = c
	}
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	keys := make([]string, 0, len(currents))
	for k := range currents {
		keys = append(keys, k)
	}
	for k, h := range b.versions.keys[bucket] {
		if h.latestMarker {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	// Before the markers' position nothing is listed: a key marker alone
	// starts after that key, with a version marker after that version.
	skipping := page.KeyMarker != ""
	var count int64
	var lastKey, lastID string
	for _, k := range keys {
		var match gofakes3.PrefixMatch
		if !prefix.Match(k, &match) {
			continue
		}
		if skipping && k < page.KeyMarker {
			continue
		}
		if match.CommonPrefix {
			if !skipping || !strings.HasPrefix(page.KeyMarker, match.MatchedPart) {
				result.AddPrefix(match.MatchedPart)
			}
			continue
		}
		for _, item := range b.keyVersions(k, currents[k], b.versions.keys[bucket][k]) {
			id := string(item.GetVersionID())
			if skipping && k == page.KeyMarker {
				if page.VersionIDMarker != "" && id == string(page.VersionIDMarker) {
					skipping = false
				}
				continue
			}
			skipping = false
			if count == maxKeys {
				result.IsTruncated = true
				result.NextKeyMarker, result.NextVersionIDMarker = lastKey, gofakes3.VersionID(lastID)
				return result, nil
			}
			result.Versions = append(result.Versions, item)
			count++
			lastKey, lastID = k, id
		}
	}
	return result, nil
}

// keyVersions lists one key's versions, newest first.
func (b *rgwBackend) keyVersions(key string, cur *gofakes3.Content, h *keyHistory) []gofakes3.VersionItem {
	var out []gofakes3.VersionItem
	latestID := nullVersion
	if h != nil {
		latestID = h.latestID
	}
	switch {
	case h != nil && h.latestMarker:
		out = append(out, &gofakes3.DeleteMarker{Key: key, VersionID: gofakes3.VersionID(latestID), IsLatest: true, LastModified: gofakes3.NewContentTime(h.latestModified)})
	case cur != nil:
		out = append(out, &gofakes3.Version{Key: key, VersionID: gofakes3.VersionID(latestID), IsLatest: true, LastModified: cur.LastModified, Size: cur.Size, ETag: cur.ETag, StorageClass: gofakes3.StorageStandard})
	}
	if h == nil {
		return out
	}
	for _, v := range h.older {
		if v.marker {
			out = append(out, &gofakes3.DeleteMarker{Key: key, VersionID: gofakes3.VersionID(v.id), LastModified: gofakes3.NewContentTime(v.modified)})
			continue
		}
		etag := v.meta[etagMeta]
		if etag == "" {
			etag = gofakes3.FormatETag(v.hash)
		}
		out = append(out, &gofakes3.Version{Key: key, VersionID: gofakes3.VersionID(v.id), LastModified: gofakes3.NewContentTime(v.modified), Size: int64(len(v.body)), ETag: etag, StorageClass: gofakes3.StorageStandard})
	}
	return out
}
