// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// taggingXMLNS is the namespace RGW's Tagging document carries.
const taggingXMLNS = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`

// TestObjectHeadersAndMetadata: Content-Language, Content-Encoding and
// x-amz-meta-* come back on HEAD and GET exactly as put (the SDK reads
// metadata keys in lower case; RGW also sends them so), and an overwrite
// without them leaves none.
func TestObjectHeadersAndMetadata(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "obj")
			putSDK(ctx, t, ep, k, []byte("one"), &s3.PutObjectInput{
				ContentLanguage: aws.String("sv-SE"), ContentEncoding: aws.String("gzip"),
				Metadata: map[string]string{"Mixed-Case": "Value 1", "lower": "v2"},
			})
			head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(head.ContentLanguage) != "sv-SE" || aws.ToString(head.ContentEncoding) != "gzip" {
				t.Errorf("Content-Language %q, Content-Encoding %q", aws.ToString(head.ContentLanguage), aws.ToString(head.ContentEncoding))
			}
			if want := map[string]string{"mixed-case": "Value 1", "lower": "v2"}; !reflect.DeepEqual(head.Metadata, want) {
				t.Errorf("metadata %v, want %v", head.Metadata, want)
			}
			if head.TagCount != nil {
				t.Errorf("x-amz-tagging-count %d on an object put without tags", *head.TagCount)
			}
			raw := signedRequest(ctx, t, ep, http.MethodGet, "/"+tgt.bucket+"/"+k, nil, http.Header{"Accept-Encoding": {"identity"}})
			wantOK(t, "GET", raw)
			if raw.header.Get("Content-Language") != "sv-SE" || raw.header.Get("Content-Encoding") != "gzip" || string(raw.body) != "one" {
				t.Errorf("GET: Content-Language %q Content-Encoding %q body %q", raw.header.Get("Content-Language"), raw.header.Get("Content-Encoding"), raw.body)
			}
			putSDK(ctx, t, ep, k, []byte("two"), &s3.PutObjectInput{Metadata: map[string]string{"other": "x"}})
			head, err = ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			if head.ContentLanguage != nil || head.ContentEncoding != nil {
				t.Errorf("Content-Language %q, Content-Encoding %q survived an overwrite without them", aws.ToString(head.ContentLanguage), aws.ToString(head.ContentEncoding))
			}
			if want := map[string]string{"other": "x"}; !reflect.DeepEqual(head.Metadata, want) {
				t.Errorf("metadata after an overwrite %v, want %v", head.Metadata, want)
			}
		})
	}
}

// TestObjectHeadersSigned: the headers verify when signed, header-signed
// (the SDK signs Content-Language, Content-Encoding, x-amz-meta-* and
// x-amz-tagging) and presigned (unsigned extra headers on an upload URL
// are acted on, as RGW acts on them).
func TestObjectHeadersSigned(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "signed")
			h := http.Header{"Content-Language": {"de"}, "Content-Encoding": {"br"}, "X-Amz-Meta-Owner": {"a"}, "X-Amz-Tagging": {"a=1&b=2"}}
			wantOK(t, "header-signed PUT", signedRequest(ctx, t, ep, http.MethodPut, "/"+tgt.bucket+"/"+k, []byte("x"), h))
			head := signedRequest(ctx, t, ep, http.MethodHead, "/"+tgt.bucket+"/"+k, nil, nil)
			wantOK(t, "HEAD", head)
			if head.header.Get("Content-Language") != "de" || head.header.Get("Content-Encoding") != "br" ||
				head.header.Get("X-Amz-Meta-Owner") != "a" || head.header.Get("X-Amz-Tagging-Count") != "2" {
				t.Errorf("HEAD after a header-signed PUT: %v", head.header)
			}
			up := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Upload, ContentType: "text/plain"})
			wantOK(t, "presigned PUT", send(ctx, t, ep, up, []byte("y"), http.Header{"Content-Language": {"en"}, "X-Amz-Meta-Via": {"url"}, "X-Amz-Tagging": {"p=1"}}))
			got, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(got.ContentLanguage) != "en" || got.ContentEncoding != nil || !reflect.DeepEqual(got.Metadata, map[string]string{"via": "url"}) || aws.ToInt32(got.TagCount) != 1 {
				t.Errorf("HEAD after a presigned PUT: language %q encoding %q metadata %v tags %d", aws.ToString(got.ContentLanguage), aws.ToString(got.ContentEncoding), got.Metadata, aws.ToInt32(got.TagCount))
			}
			dl := presign(ctx, t, ep, hostups3.PresignInput{Key: k, Action: presignedurl.Download})
			r := send(ctx, t, ep, dl, nil, http.Header{"Accept-Encoding": {"identity"}})
			wantOK(t, "presigned GET", r)
			if r.header.Get("Content-Language") != "en" || string(r.body) != "y" {
				t.Errorf("presigned GET: Content-Language %q body %q", r.header.Get("Content-Language"), r.body)
			}
		})
	}
}

// getTags reads a tag set through the SDK, in order.
func getTags(t *testing.T, ep *endpoint, k string) []string {
	t.Helper()
	out, err := ep.s3.GetObjectTagging(testContext(t), &s3.GetObjectTaggingInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
	if err != nil {
		t.Fatalf("GetObjectTagging %s: %v", k, err)
	}
	tags := []string{}
	for _, tag := range out.TagSet {
		tags = append(tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
	}
	return tags
}

// TestObjectTagging: x-amz-tagging on PutObject (URL-decoded, "+" kept),
// read back sorted by key with duplicates kept; PutObjectTagging replaces
// the set, DeleteObjectTagging answers 204 (also with none); an object
// without tags has an empty TagSet; an overwrite without the header
// leaves none.
func TestObjectTagging(t *testing.T) {
	for _, ep := range tgt.endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			ctx := testContext(t)
			k := key(t, "obj")
			path := "/" + tgt.bucket + "/" + k
			putSDK(ctx, t, ep, k, []byte("x"), &s3.PutObjectInput{Tagging: aws.String("z=1&a=two%20words&m=a+b&a=1&e=")})
			if got, want := getTags(t, ep, k), []string{"a=two words", "a=1", "e=", "m=a+b", "z=1"}; !reflect.DeepEqual(got, want) {
				t.Errorf("tags %q, want %q", got, want)
			}
			raw := signedRequest(ctx, t, ep, http.MethodGet, path+"?tagging", nil, nil)
			wantOK(t, "GetObjectTagging", raw)
			if !bytes.Contains(raw.body, []byte(taggingXMLNS)) || raw.header.Get("Content-Type") != "application/xml" {
				t.Errorf("GetObjectTagging: Content-Type %q body %s", raw.header.Get("Content-Type"), raw.body)
			}
			head := signedRequest(ctx, t, ep, http.MethodHead, path, nil, nil)
			if head.header.Get("X-Amz-Tagging-Count") != "5" {
				t.Errorf("x-amz-tagging-count %q, want 5", head.header.Get("X-Amz-Tagging-Count"))
			}

			body := `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`
			r := signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", []byte(body), nil)
			wantOK(t, "PutObjectTagging", r)
			if len(r.body) != 0 {
				t.Errorf("PutObjectTagging body %q", r.body)
			}
			if got := getTags(t, ep, k); !reflect.DeepEqual(got, []string{"k=v"}) {
				t.Errorf("tags after PutObjectTagging %q", got)
			}
			if b := getSDK(ctx, t, ep, k); string(b) != "x" {
				t.Errorf("PutObjectTagging changed the body: %q", b)
			}

			for i := range 2 {
				if r := signedRequest(ctx, t, ep, http.MethodDelete, path+"?tagging", nil, nil); r.status != http.StatusNoContent {
					t.Errorf("DeleteObjectTagging %d: status %d, want 204; %s", i, r.status, r.body)
				}
			}
			if got := getTags(t, ep, k); len(got) != 0 {
				t.Errorf("tags after DeleteObjectTagging %q", got)
			}
			head = signedRequest(ctx, t, ep, http.MethodHead, path, nil, nil)
			if v, ok := head.header["X-Amz-Tagging-Count"]; ok {
				t.Errorf("x-amz-tagging-count %q after DeleteObjectTagging", v)
			}
			// An empty set, by PutObjectTagging or an empty header, is a
			// count of 0.
			wantOK(t, "PutObjectTagging empty", signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", []byte(`<Tagging><TagSet></TagSet></Tagging>`), nil))
			if head := signedRequest(ctx, t, ep, http.MethodHead, path, nil, nil); head.header.Get("X-Amz-Tagging-Count") != "0" {
				t.Errorf("x-amz-tagging-count %q after an empty PutObjectTagging, want 0", head.header.Get("X-Amz-Tagging-Count"))
			}
			if got := getTags(t, ep, k); len(got) != 0 {
				t.Errorf("tags after an empty PutObjectTagging %q", got)
			}

			putSDK(ctx, t, ep, k, []byte("y"), &s3.PutObjectInput{Tagging: aws.String("t=1")})
			putSDK(ctx, t, ep, k, []byte("z"), nil)
			if got := getTags(t, ep, k); len(got) != 0 {
				t.Errorf("tags %q survived an overwrite without x-amz-tagging", got)
			}
			raw = signedRequest(ctx, t, ep, http.MethodGet, path+"?tagging", nil, nil)
			if !bytes.Contains(raw.body, []byte(taggingXMLNS+"<TagSet></TagSet></Tagging>")) {
				t.Errorf("GetObjectTagging without tags: %s", raw.body)
			}
		})
	}
}

// TestObjectTaggingRefused: RGW's limits (10 tags, keys of 1 to 128 bytes,
// values up to 256), 400 InvalidArgument on x-amz-tagging and InvalidTag
// or MalformedXML on PutObjectTagging; a missing object is 404 NoSuchKey.
func TestObjectTaggingRefused(t *testing.T) {
	ep := tgt.plain
	ctx := testContext(t)
	k := key(t, "obj")
	path := "/" + tgt.bucket + "/" + k
	var eleven []string
	var elevenXML strings.Builder
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("k%d=v", i))
		fmt.Fprintf(&elevenXML, "<Tag><Key>k%d</Key><Value>v</Value></Tag>", i)
	}
	for _, h := range []string{strings.Join(eleven, "&"), "=1", "a=1&&b=2&", strings.Repeat("k", 129) + "=1", "a=" + strings.Repeat("v", 257)} {
		r := signedRequest(ctx, t, ep, http.MethodPut, path, []byte("x"), http.Header{"X-Amz-Tagging": {h}})
		wantError(t, fmt.Sprintf("x-amz-tagging %.30q", h), r, http.StatusBadRequest, "InvalidArgument")
	}
	wantError(t, "GetObjectTagging of a missing object", signedRequest(ctx, t, ep, http.MethodGet, path+"?tagging", nil, nil), http.StatusNotFound, "NoSuchKey")
	tag := func(k, v string) string {
		return "<Tagging><TagSet><Tag><Key>" + k + "</Key><Value>" + v + "</Value></Tag></TagSet></Tagging>"
	}
	wantError(t, "PutObjectTagging of a missing object", signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", []byte(tag("a", "1")), nil), http.StatusNotFound, "NoSuchKey")
	wantError(t, "DeleteObjectTagging of a missing object", signedRequest(ctx, t, ep, http.MethodDelete, path+"?tagging", nil, nil), http.StatusNotFound, "NoSuchKey")

	// Ten tags, a 128-byte key and a 256-byte value are within the limits.
	putSDK(ctx, t, ep, k, []byte("x"), &s3.PutObjectInput{Tagging: aws.String(strings.Join(eleven[:10], "&"))})
	wantOK(t, "128-byte key", signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", []byte(tag(strings.Repeat("k", 128), strings.Repeat("v", 256))), nil))
	for what, body := range map[string]string{
		"11 tags":           "<Tagging><TagSet>" + elevenXML.String() + "</TagSet></Tagging>",
		"129-byte key":      tag(strings.Repeat("k", 129), "1"),
		"130-byte UTF-8":    tag(strings.Repeat("ö", 65), "1"),
		"257-byte value":    tag("a", strings.Repeat("v", 257)),
		"empty key":         tag("", "1"),
		"duplicate keys":    "",
		"no TagSet":         "<Tagging></Tagging>",
		"a Tag with no Key": "<Tagging><TagSet><Tag><Value>1</Value></Tag></TagSet></Tagging>",
		"no Value":          "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
		"not XML":           "<Tagging><TagSet",
	} {
		code := "InvalidTag"
		switch {
		case what == "duplicate keys":
			continue
		case strings.HasPrefix(what, "no ") || strings.HasPrefix(what, "a Tag") || what == "not XML":
			code = "MalformedXML"
		}
		wantError(t, what, signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", []byte(body), nil), http.StatusBadRequest, code)
	}
	wantError(t, "no body", signedRequest(ctx, t, ep, http.MethodPut, path+"?tagging", nil, nil), http.StatusBadRequest, "MalformedXML")
	if got := getTags(t, ep, k); !reflect.DeepEqual(got, []string{strings.Repeat("k", 128) + "=" + strings.Repeat("v", 256)}) {
		t.Errorf("tags after refusals %.60q", got)
	}
}

// TestObjectTaggingMultipartAndCopy: RGW 16.2 does not apply x-amz-tagging
// sent on CreateMultipartUpload (nor check it): the completed object
// answers x-amz-tagging-count: 0 and GetObjectTagging 200 with an empty
// body, which the SDK reads as an empty TagSet, until PutObjectTagging.
// A copy takes the source's tags, ignoring x-amz-tagging and
// x-amz-tagging-directive.
func TestObjectTaggingMultipartAndCopy(t *testing.T) {
	ep := tgt.plain
	ctx := testContext(t)
	k := key(t, "mp")
	path := "/" + tgt.bucket + "/" + k
	cm, err := ep.s3.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k),
		Tagging: aws.String("a=1&b=2"), ContentLanguage: aws.String("fi"), Metadata: map[string]string{"m": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	part := bytes.Repeat([]byte("p"), 5<<20)
	up, err := ep.s3.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: cm.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(part)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ep.s3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k), UploadId: cm.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: up.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
	head, err := ep.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(k)})
	if err != nil {
		t.Fatal(err)
	}
	if head.TagCount == nil || *head.TagCount != 0 || aws.ToString(head.ContentLanguage) != "fi" || head.Metadata["m"] != "1" {
		t.Errorf("HEAD: tag count %v language %q metadata %v", head.TagCount, aws.ToString(head.ContentLanguage), head.Metadata)
	}
	raw := signedRequest(ctx, t, ep, http.MethodGet, path+"?tagging", nil, nil)
	wantOK(t, "GetObjectTagging", raw)
	if len(raw.body) != 0 {
		t.Errorf("GetObjectTagging of the multipart object: %s, want an empty body", raw.body)
	}
	if got := getTags(t, ep, k); len(got) != 0 {
		t.Errorf("multipart tags %q", got)
	}
	// Unchecked at creation: eleven tags are accepted.
	var eleven []string
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("k%d=v", i))
	}
	r := signedRequest(ctx, t, ep, http.MethodPost, "/"+tgt.bucket+"/"+key(t, "eleven")+"?uploads", nil, http.Header{"X-Amz-Tagging": {strings.Join(eleven, "&")}})
	wantOK(t, "CreateMultipartUpload with 11 tags", r)

	src := key(t, "src")
	putSDK(ctx, t, ep, src, []byte("s"), &s3.PutObjectInput{Tagging: aws.String("t=1")})
	dst := key(t, "dst")
	if _, err := ep.s3.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(tgt.bucket), Key: aws.String(dst), CopySource: aws.String(tgt.bucket + "/" + src),
		Tagging: aws.String("r=1"), TaggingDirective: types.TaggingDirectiveReplace}); err != nil {
		t.Fatal(err)
	}
	if got := getTags(t, ep, dst); !reflect.DeepEqual(got, []string{"t=1"}) {
		t.Errorf("copy's tags %q, want the source's", got)
	}
}
