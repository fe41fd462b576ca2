// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// rgwBackend sits between gofakes3 and its storage and makes the answers
// RGW's where gofakes3's differ:
//   - an upload replaces all of an object's metadata (gofakes3 merges the
//     old object's metadata into the new one);
//   - an unversioned bucket reports no version ids, a versioned one keeps
//     its versions (versioning.go);
//   - a multipart object keeps S3's "MD5-of-MD5s-N" ETag;
//   - with a directory, a key never leaves its bucket's directory, and a
//     body is spooled to a temporary file first, so an upload that fails
//     halfway leaves the stored object as it was.
type rgwBackend struct {
	gofakes3.Backend
	// onDisk: keys map to file paths, and a failed write must not touch them.
	onDisk bool

	mu      sync.Mutex
	pending map[string]string // bucket/key -> ETag of the multipart completion under way

	// versions is the versioning of each bucket (versioning.go).
	versions versions
	now      func() time.Time
}

const (
	// etagMeta is where a multipart object's ETag is kept.
	etagMeta = "X-Amz-Meta-Emulator-Etag"
	// etagHeader carries it from the backend to the answer (see
	// overrideWriter), which gofakes3 would otherwise give the body's MD5.
	etagHeader = "X-Emulator-Etag"
)

// checkKey refuses, on disk, keys with "." or ".." segments: they would
// name a file in another bucket or outside the directory.
func (b *rgwBackend) checkKey(key string) error {
	if !b.onDisk {
		return nil
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "." || seg == ".." {
			return gofakes3.ErrorMessage(gofakes3.ErrInvalidArgument, "object keys with '.' or '..' path segments cannot be stored by an emulator with a directory (-dir)")
		}
	}
	return nil
}

// expectMultipartETag records the ETag the next completion of bucket/key
// stores; the caller clears it with "" once the completion is over.
func (b *rgwBackend) expectMultipartETag(bucket, key, etag string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		b.pending = map[string]string{}
	}
	if etag == "" {
		delete(b.pending, bucket+"/"+key)
		return
	}
	b.pending[bucket+"/"+key] = etag
}

// dropRequestHeaders removes from meta what gofakes3 took from the
// request's x-amz-* headers but RGW does not keep with an object (signing,
// transfer and ACL headers: the store has no ACLs, and RGW does not answer
// them back), and anything claiming to be the emulator's own.
func dropRequestHeaders(meta map[string]string) {
	for k := range meta {
		lk := strings.ToLower(k)
		switch {
		case lk == strings.ToLower(etagMeta), lk == strings.ToLower(etagHeader),
			lk == "x-amz-tagging", lk == "x-amz-tagging-directive", lk == "x-amz-tagging-count",
			lk == "x-amz-content-sha256", lk == "x-amz-date", lk == "x-amz-decoded-content-length",
			lk == "x-amz-security-token", lk == "x-amz-user-agent", lk == "x-amz-trailer",
			lk == "x-amz-metadata-directive", lk == "x-amz-sdk-checksum-algorithm",
			lk == "x-amz-acl", strings.HasPrefix(lk, "x-amz-grant-"),
			strings.HasPrefix(lk, "x-amz-copy-source"), strings.HasPrefix(lk, "x-amz-checksum-"):
			delete(meta, k)
		}
	}
}

// replaceMetadata makes meta replace the stored object's metadata: the
// storage merges in every old key meta lacks, so those are set empty, and
// empty values are dropped on the way out (see cleanObject).
func (b *rgwBackend) replaceMetadata(bucket, key string, meta map[string]string) {
	old, err := b.Backend.HeadObject(bucket, key)
	if err != nil || old == nil {
		return
	}
	if old.Contents != nil {
		_ = old.Contents.Close()
	}
	for k := range old.Metadata {
		if _, ok := meta[k]; !ok {
			meta[k] = ""
		}
	}
}

func (b *rgwBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, conditions *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	if err := b.checkKey(key); err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	dropRequestHeaders(meta)
	// gofakes3's multipart uploader hands the assembled object over in memory.
	if _, assembled := input.(*bytes.Reader); assembled {
		b.mu.Lock()
		if etag := b.pending[bucket+"/"+key]; etag != "" {
			meta[etagMeta] = etag
		}
		b.mu.Unlock()
	}
	b.replaceMetadata(bucket, key, meta)
	if b.onDisk {
		f, err := os.CreateTemp("", "hostup-emulator-upload-*")
		if err != nil {
			return gofakes3.PutObjectResult{}, err
		}
		defer func() { _ = f.Close(); _ = os.Remove(f.Name()) }()
		n, err := io.Copy(f, input)
		if err != nil {
			return gofakes3.PutObjectResult{}, err
		}
		if n != size {
			return gofakes3.PutObjectResult{}, gofakes3.ErrIncompleteBody
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return gofakes3.PutObjectResult{}, err
		}
		input = f
	}
	var res gofakes3.PutObjectResult
	id, err := b.versionedWrite(bucket, key, func() error {
		// If-Match and If-None-Match as RGW tests them (conditional.go).
		if err := b.checkPutConditions(bucket, key, conditions); err != nil {
			return err
		}
		var err error
		res, err = b.Backend.PutObject(bucket, key, meta, input, size, nil)
		return err
	})
	res.VersionID = gofakes3.VersionID(id)
	return res, err
}

// shownAs is the header each hidden metadata key answers as.
var shownAs = func() map[string]string {
	m := map[string]string{}
	for header, meta := range hiddenHeaders {
		m[meta] = header
	}
	return m
}()

// cleanObject turns a stored object into what RGW reports: no version id,
// no emptied metadata, hidden headers (Cache-Control, Content-Language), the
// tag count and a multipart ETag as headers.
func cleanObject(obj *gofakes3.Object) *gofakes3.Object {
	if obj == nil {
		return nil
	}
	obj.VersionID = ""
	meta := make(map[string]string, len(obj.Metadata))
	for k, v := range obj.Metadata {
		switch {
		case v == "":
		case k == tagsMeta:
			meta[tagCountHeader] = tagCount(v)
		case shownAs[k] != "":
			meta[shownAs[k]] = v
		case k == etagMeta:
			meta[etagHeader] = v
		default:
			meta[k] = v
		}
	}
	obj.Metadata = meta
	return obj
}

func (b *rgwBackend) HeadObject(bucket, key string) (*gofakes3.Object, error) {
	if err := b.checkKey(key); err != nil {
		return nil, err
	}
	obj, err := b.Backend.HeadObject(bucket, key)
	return b.withVersionID(bucket, key, cleanObject(obj)), err
}

// withVersionID gives a current object its version id.
func (b *rgwBackend) withVersionID(bucket, key string, obj *gofakes3.Object) *gofakes3.Object {
	if obj != nil {
		obj.VersionID = b.currentVersionID(bucket, key)
	}
	return obj
}

func (b *rgwBackend) GetObject(bucket, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	if err := b.checkKey(key); err != nil {
		return nil, err
	}
	obj, err := b.Backend.GetObject(bucket, key, rng)
	return b.withVersionID(bucket, key, cleanObject(obj)), err
}

// ListBucket reports multipart objects with their multipart ETag.
func (b *rgwBackend) ListBucket(bucket string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	if prefix != nil && prefix.HasPrefix {
		if err := b.checkKey(prefix.Prefix); err != nil {
			return nil, err
		}
	}
	list, err := b.Backend.ListBucket(bucket, prefix, page)
	if err != nil || list == nil {
		return list, err
	}
	for _, c := range list.Contents {
		obj, err := b.Backend.HeadObject(bucket, c.Key)
		if err != nil || obj == nil {
			continue
		}
		if obj.Contents != nil {
			_ = obj.Contents.Close()
		}
		if etag := obj.Metadata[etagMeta]; etag != "" {
			c.ETag = etag
		}
	}
	return list, nil
}

func (b *rgwBackend) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	if err := b.checkKey(key); err != nil {
		return gofakes3.ObjectDeleteResult{}, err
	}
	return b.deleteCurrent(bucket, key)
}

func (b *rgwBackend) DeleteMulti(bucket string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	for _, k := range keys {
		if err := b.checkKey(k); err != nil {
			return gofakes3.MultiDeleteResult{}, err
		}
	}
	if b.versioningStatus(bucket) == "" {
		return b.Backend.DeleteMulti(bucket, keys...)
	}
	ids := make([]gofakes3.ObjectID, len(keys))
	for i, k := range keys {
		ids[i] = gofakes3.ObjectID{Key: k}
	}
	return b.DeleteMultiVersions(bucket, ids...)
}

// CopyObject stores a copy with a plain ETag and the metadata gofakes3
// gathered for it (the source's, read through HeadObject, under the
// request's) and the source's tags, replacing the destination's.
func (b *rgwBackend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	if err := b.checkKey(srcKey); err != nil {
		return gofakes3.CopyObjectResult{}, err
	}
	if err := b.checkKey(dstKey); err != nil {
		return gofakes3.CopyObjectResult{}, err
	}
	dropRequestHeaders(meta)
	for header, hidden := range hiddenHeaders {
		if v, ok := meta[header]; ok {
			delete(meta, header)
			if _, set := meta[hidden]; !set {
				meta[hidden] = v
			}
		}
	}
	// The copy has the source's tags, whatever the request says.
	delete(meta, tagCountHeader)
	delete(meta, tagsMeta)
	if src, err := b.Backend.HeadObject(srcBucket, srcKey); err == nil && src != nil {
		if src.Contents != nil {
			_ = src.Contents.Close()
		}
		if v := src.Metadata[tagsMeta]; v != "" {
			meta[tagsMeta] = v
		}
	}
	b.replaceMetadata(dstBucket, dstKey, meta)
	var res gofakes3.CopyObjectResult
	_, err := b.versionedWrite(dstBucket, dstKey, func() error {
		var err error
		res, err = b.Backend.CopyObject(srcBucket, srcKey, dstBucket, dstKey, meta)
		return err
	})
	return res, err
}
