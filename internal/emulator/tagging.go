// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/johannesboyne/gofakes3"
)

// Object tagging as RGW 16.2 does it. An object's tag set is kept with its
// metadata under tagsMeta, so an overwrite, a delete, a copy and a -dir
// restart treat it as they treat the rest of the metadata:
//   - absent: the object was written without x-amz-tagging, or its tags
//     were deleted; GetObjectTagging answers an empty TagSet and HEAD no
//     x-amz-tagging-count;
//   - "set:" and the pairs: x-amz-tagging on PutObject (an empty header
//     too) or PutObjectTagging; HEAD answers x-amz-tagging-count;
//   - tagsMultipart: the object was completed from a multipart upload
//     created with x-amz-tagging. RGW 16.2 does not apply those tags: HEAD
//     answers x-amz-tagging-count: 0 and GetObjectTagging 200 with an empty
//     body, until PutObjectTagging or DeleteObjectTagging.
//
// RGW keeps the tags as a multimap: duplicate keys are kept, and the set
// reads back sorted by key (equal keys in the order given). A copy takes
// the source's tags; RGW ignores x-amz-tagging and x-amz-tagging-directive
// on CopyObject.
const (
	tagsMeta      = "X-Amz-Meta-Emulator-Tagging"
	tagsSetPrefix = "set:"
	tagsMultipart = "multipart"
	// tagCountHeader carries the count from the backend to the answer.
	tagCountHeader = "X-Amz-Tagging-Count"
)

// RGW's limits on a tag set.
const (
	maxTags        = 10
	maxTagKeyLen   = 128 // bytes, as RGW counts
	maxTagValueLen = 256
)

// objectTag is one tag.
type objectTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// taggingDocument is the body of PutObjectTagging and GetObjectTagging.
type taggingDocument struct {
	XMLName xml.Name    `xml:"Tagging"`
	XMLNS   string      `xml:"xmlns,attr,omitempty"`
	Tags    []objectTag `xml:"TagSet>Tag"`
}

var errInvalidTags = errors.New("invalid tag set")

// checkTags applies RGW's limits and sorts tags as RGW reads them back.
func checkTags(tags []objectTag) error {
	if len(tags) > maxTags {
		return errInvalidTags
	}
	for _, t := range tags {
		if t.Key == "" || len(t.Key) > maxTagKeyLen || len(t.Value) > maxTagValueLen {
			return errInvalidTags
		}
	}
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return nil
}

// rgwURLDecode decodes as RGW's url_decode does outside a query: %XX
// escapes only ("+" stays "+"); an escape cut short by the end stops the
// decoding, and one with a non-hex digit makes the whole string empty.
func rgwURLDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			break
		}
		v, err := hex.DecodeString(s[i+1 : i+3])
		if err != nil {
			return ""
		}
		b.Write(v)
		i += 2
	}
	return b.String()
}

// parseTaggingHeader reads x-amz-tagging: key=value pairs joined by "&",
// URL-encoded. RGW answers a set it refuses 400 InvalidArgument (not
// InvalidTag, as PutObjectTagging does); an empty header is an empty set.
func parseTaggingHeader(h string) ([]objectTag, error) {
	tags := []objectTag{}
	if h == "" {
		return tags, nil
	}
	for _, pair := range strings.Split(h, "&") {
		k, v, _ := strings.Cut(pair, "=")
		tags = append(tags, objectTag{Key: rgwURLDecode(k), Value: rgwURLDecode(v)})
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return tags, nil
}

// parseTaggingBody reads a PutObjectTagging body: MalformedXML unless it
// is a Tagging with a TagSet whose every Tag has a Key and a Value,
// InvalidTag past RGW's limits or for an empty key.
func parseTaggingBody(body []byte) ([]objectTag, *s3Refusal) {
	malformed := &s3Refusal{http.StatusBadRequest, "MalformedXML", "the tagging document is not a Tagging with a TagSet of Tags with Key and Value"}
	var doc struct {
		XMLName xml.Name `xml:"Tagging"`
		TagSet  *struct {
			Tags []struct {
				Key   *string `xml:"Key"`
				Value *string `xml:"Value"`
			} `xml:"Tag"`
		} `xml:"TagSet"`
	}
	if xml.Unmarshal(body, &doc) != nil || doc.TagSet == nil {
		return nil, malformed
	}
	tags := make([]objectTag, 0, len(doc.TagSet.Tags))
	for _, t := range doc.TagSet.Tags {
		if t.Key == nil || t.Value == nil {
			return nil, malformed
		}
		tags = append(tags, objectTag{Key: *t.Key, Value: *t.Value})
	}
	if checkTags(tags) != nil {
		return nil, &s3Refusal{http.StatusBadRequest, "InvalidTag", "more than 10 tags, an empty key, a key over 128 bytes or a value over 256 bytes"}
	}
	return tags, nil
}

// encodeTags is a tag set as tagsMeta keeps it.
func encodeTags(tags []objectTag) string {
	pairs := make([]string, len(tags))
	for i, t := range tags {
		pairs[i] = url.QueryEscape(t.Key) + "=" + url.QueryEscape(t.Value)
	}
	return tagsSetPrefix + strings.Join(pairs, "&")
}

// decodeTags reads tagsMeta back; ok is false for the multipart state.
func decodeTags(v string) (tags []objectTag, ok bool) {
	tags = []objectTag{}
	rest, isSet := strings.CutPrefix(v, tagsSetPrefix)
	if v == "" {
		return tags, true
	}
	if !isSet {
		return nil, false
	}
	if rest == "" {
		return tags, true
	}
	for _, pair := range strings.Split(rest, "&") {
		k, val, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k)
		val, _ = url.QueryUnescape(val)
		tags = append(tags, objectTag{Key: k, Value: val})
	}
	return tags, true
}

// tagCount is the x-amz-tagging-count RGW answers for a stored tagsMeta.
func tagCount(v string) string {
	tags, ok := decodeTags(v)
	if !ok {
		return "0"
	}
	return strconv.Itoa(len(tags))
}

// prepareTagging turns a request's x-amz-tagging into tagsMeta before the
// object store sees it: validated on PutObject, taken as RGW takes it
// (unchecked, and not applied) on CreateMultipartUpload, ignored on
// CopyObject. It reports a refusal for a PutObject's invalid header.
func prepareTagging(r *http.Request, op string) *s3Refusal {
	r.Header.Del(tagsMeta) // only the emulator sets it
	_, sent := r.Header[http.CanonicalHeaderKey("X-Amz-Tagging")]
	h := r.Header.Get("X-Amz-Tagging")
	r.Header.Del("X-Amz-Tagging")
	r.Header.Del("X-Amz-Tagging-Directive")
	if !sent {
		return nil
	}
	switch op {
	case OpPutObject:
		tags, err := parseTaggingHeader(h)
		if err != nil {
			return &s3Refusal{http.StatusBadRequest, "InvalidArgument", "x-amz-tagging: more than 10 tags, an empty key, a key over 128 bytes or a value over 256 bytes"}
		}
		r.Header.Set(tagsMeta, encodeTags(tags))
	case OpCreateMultipartUpload:
		r.Header.Set(tagsMeta, tagsMultipart)
	}
	return nil
}

// serveObjectTagging answers GetObjectTagging, PutObjectTagging and
// DeleteObjectTagging; it reports whether op was one of them.
func (e *Emulator) serveObjectTagging(w *s3ErrorWriter, r *http.Request, op, bucket, key string) bool {
	if op != OpGetObjectTagging && op != OpPutObjectTagging && op != OpDeleteObjectTagging {
		return false
	}
	if !e.bucketExists(bucket) {
		w.refuse(http.StatusNotFound, "NoSuchBucket", "no bucket "+bucket)
		return true
	}
	version := versionFromQuery(gofakes3.VersionID(r.URL.Query().Get("versionId")))
	b := e.store.backend
	switch op {
	case OpGetObjectTagging:
		v, err := b.objectTags(bucket, key, version)
		if err != nil {
			w.refuseErr(err, key)
			return true
		}
		tags, ok := decodeTags(v)
		w.Header().Set("Content-Type", "application/xml")
		if !ok {
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			return true
		}
		writeXML(w, taggingDocument{XMLNS: "http://s3.amazonaws.com/doc/2006-03-01/", Tags: tags})
	case OpPutObjectTagging:
		body, err := io.ReadAll(io.LimitReader(r.Body, maxConfigBody+1))
		switch {
		case w.mismatched():
			w.refuse(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256")
			return true
		case err != nil:
			w.refuse(http.StatusBadRequest, "IncompleteBody", "reading the request body: "+err.Error())
			return true
		}
		tags, refusal := parseTaggingBody(body)
		if refusal != nil {
			w.refuse(refusal.status, refusal.code, refusal.reason)
			return true
		}
		if err := b.setObjectTags(bucket, key, version, encodeTags(tags)); err != nil {
			w.refuseErr(err, key)
			return true
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	case OpDeleteObjectTagging:
		if err := b.setObjectTags(bucket, key, version, ""); err != nil {
			w.refuseErr(err, key)
			return true
		}
		w.WriteHeader(http.StatusNoContent)
	}
	return true
}

// refuseErr answers a storage error: a missing object 404 NoSuchKey, a
// key the directory cannot hold 400, a delete marker's version 405,
// anything else 500.
func (w *s3ErrorWriter) refuseErr(err error, key string) {
	switch {
	case gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey):
		w.refuse(http.StatusNotFound, "NoSuchKey", "no object "+key)
	case gofakes3.HasErrorCode(err, gofakes3.ErrInvalidArgument):
		w.refuse(http.StatusBadRequest, "InvalidArgument", err.Error())
	case gofakes3.HasErrorCode(err, gofakes3.ErrMethodNotAllowed):
		w.refuse(http.StatusMethodNotAllowed, "MethodNotAllowed", "the version is a delete marker")
	default:
		w.refuse(http.StatusInternalServerError, "InternalError", err.Error())
	}
}

// objectTags is the stored tagsMeta of a version of bucket/key ("" for
// the current one).
func (b *rgwBackend) objectTags(bucket, key, version string) (string, error) {
	if err := b.checkKey(key); err != nil {
		return "", err
	}
	if version != "" {
		current, v, err := b.version(bucket, key, version)
		if err != nil {
			return "", err
		}
		if !current {
			if v.marker {
				return "", gofakes3.ErrMethodNotAllowed
			}
			return v.meta[tagsMeta], nil
		}
	}
	obj, err := b.Backend.HeadObject(bucket, key)
	if err != nil {
		return "", err
	}
	if obj.Contents != nil {
		_ = obj.Contents.Close()
	}
	return obj.Metadata[tagsMeta], nil
}

// setObjectTags replaces the tags of a version of bucket/key ("" for the
// current one) without making a new version: the current object is
// stored again with the same bytes and metadata (its Last-Modified moves,
// as on RGW), a noncurrent version is changed in place.
func (b *rgwBackend) setObjectTags(bucket, key, version, tags string) error {
	if err := b.checkKey(key); err != nil {
		return err
	}
	if version != "" {
		current, v, err := b.version(bucket, key, version)
		if err != nil {
			return err
		}
		if !current {
			if v.marker {
				return gofakes3.ErrMethodNotAllowed
			}
			b.versions.mu.Lock()
			defer b.versions.mu.Unlock()
			v.meta[tagsMeta] = tags
			return nil
		}
	}
	// Held as a versioned write holds it: no put or copy runs meanwhile.
	b.versions.mu.Lock()
	defer b.versions.mu.Unlock()
	obj, err := b.Backend.GetObject(bucket, key, nil)
	if err != nil {
		return err
	}
	defer func() { _ = obj.Contents.Close() }()
	var body io.Reader
	if b.onDisk {
		// The file is rewritten: read it out first.
		f, err := os.CreateTemp("", "hostup-emulator-tagging-*")
		if err != nil {
			return err
		}
		defer func() { _ = f.Close(); _ = os.Remove(f.Name()) }()
		if _, err := io.Copy(f, obj.Contents); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		body = f
	} else {
		data, err := io.ReadAll(obj.Contents)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	meta := make(map[string]string, len(obj.Metadata)+1)
	for k, v := range obj.Metadata {
		meta[k] = v
	}
	meta[tagsMeta] = tags
	meta["Last-Modified"] = b.now().UTC().Format(http.TimeFormat)
	_, err = b.Backend.PutObject(bucket, key, meta, body, obj.Size, nil)
	return err
}
