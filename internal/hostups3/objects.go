// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Objects through the S3 API with the key pair: put (streamed, multipart
// above MultipartThreshold), head, delete and list, with aws-sdk-go-v2's S3
// client, path-style.

const (
	// MultipartThreshold is the size above which Put uploads in parts.
	MultipartThreshold = 100 << 20
	// MinPartSize is S3's smallest part but the last.
	MinPartSize = 5 << 20
	// DefaultPartSize and DefaultPartConcurrency bound a multipart upload's
	// memory to about (DefaultPartConcurrency+2) x DefaultPartSize. Both
	// were chosen by make bench over a shaped link (PERFORMANCE.md); the
	// part size is also what the ETags in existing state were planned with.
	DefaultPartSize        = MinPartSize
	DefaultPartConcurrency = 6
)

// ObjectClient reads and writes objects. It is safe for concurrent use.
type ObjectClient struct {
	s3        *s3.Client
	transfer  *transfermanager.Client
	threshold int64 // MultipartThreshold; tests lower it
	partSize  int64
}

// NewObjectClient returns a client for cfg's endpoint and key pair.
func NewObjectClient(cfg Config) (*ObjectClient, error) {
	base, creds, err := cfg.parse()
	if err != nil {
		return nil, err
	}
	cfg.Endpoint = base.String()
	client := s3.New(cfg.s3Options(base, creds))
	size, concurrency := max(cfg.PartSize, MinPartSize), cfg.PartConcurrency
	if cfg.PartSize == 0 {
		size = DefaultPartSize
	}
	if concurrency <= 0 {
		concurrency = DefaultPartConcurrency
	}
	transfer := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = size
		o.MultipartUploadThreshold = size
		o.Concurrency = concurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		// Aborting an interrupted multipart upload runs on a context of its
		// own, so Ctrl-C does not leave its parts stored.
		o.FailTimeout = time.Minute
	})
	return &ObjectClient{s3: client, transfer: transfer, threshold: MultipartThreshold, partSize: size}, nil
}

// Object is what S3 says about one object.
type Object struct {
	Key          string
	Size         int64
	ETag         string // without quotes
	VersionID    string
	LastModified time.Time
	ContentType  string
	CacheControl string
	Disposition  string
	// Encoding and Language are Content-Encoding and Content-Language;
	// Metadata the x-amz-meta-* headers, keys lower case without the prefix.
	Encoding, Language string
	Metadata           map[string]string
}

// PutInput is one object to store.
type PutInput struct {
	Bucket, Key string
	// Body is read once; Size is its length in bytes. A body that is also an
	// io.ReadSeeker (a file) is streamed, never held in memory.
	Body                                          io.Reader
	Size                                          int64
	ContentType, CacheControl, ContentDisposition string
	ContentEncoding, ContentLanguage              string
	// Metadata is sent as x-amz-meta-* headers; Tags as the object's tag
	// set, with the upload.
	Metadata, Tags map[string]string
}

// ErrNotFound is returned by Head for an object or bucket that does not exist.
var ErrNotFound = errors.New("hostups3: not found")

// Put stores an object and returns what S3 then reports about it (HEAD),
// or, when reading it back fails, what the upload answered: a successful
// upload is never reported as a failure. When the upload's answer is lost
// (a connection dropped after the server stored the object, so the retry
// finds the multipart upload gone) and the object now has exactly the
// uploaded bytes' ETag, Put succeeds.
func (c *ObjectClient) Put(ctx context.Context, in PutInput) (*Object, error) {
	out := &Object{Key: in.Key, Size: in.Size, ContentType: in.ContentType, CacheControl: in.CacheControl, Disposition: in.ContentDisposition,
		Encoding: in.ContentEncoding, Language: in.ContentLanguage, Metadata: in.Metadata}
	body, sum := c.hashing(in.Body, in.Size)
	var err error
	if in.Size > c.threshold {
		// A CreateMultipartUpload whose answer was lost, then retried,
		// leaves an upload nobody completes: those of this key begun
		// since this upload started are aborted once it ends.
		defer c.abortStrayUploads(ctx, in.Bucket, in.Key, time.Now().Add(-strayUploadSkew))
		var res *transfermanager.UploadObjectOutput
		res, err = c.transfer.UploadObject(ctx, &transfermanager.UploadObjectInput{
			Bucket: aws.String(in.Bucket), Key: aws.String(in.Key), Body: body,
			ContentType: optional(in.ContentType), CacheControl: optional(in.CacheControl), ContentDisposition: optional(in.ContentDisposition),
			ContentEncoding: optional(in.ContentEncoding), ContentLanguage: optional(in.ContentLanguage),
			Metadata: in.Metadata, Tagging: tagging(in.Tags),
		}, func(o *transfermanager.Options) { o.PartSizeBytes = c.partSizeFor(in.Size) })
		if err == nil {
			out.ETag, out.VersionID = strings.Trim(aws.ToString(res.ETag), `"`), aws.ToString(res.VersionID)
		}
	} else {
		var res *s3.PutObjectOutput
		res, err = c.s3.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(in.Bucket), Key: aws.String(in.Key), Body: body, ContentLength: aws.Int64(in.Size),
			ContentType: optional(in.ContentType), CacheControl: optional(in.CacheControl), ContentDisposition: optional(in.ContentDisposition),
			ContentEncoding: optional(in.ContentEncoding), ContentLanguage: optional(in.ContentLanguage),
			Metadata: in.Metadata, Tagging: tagging(in.Tags),
		})
		if err == nil {
			out.ETag, out.VersionID = strings.Trim(aws.ToString(res.ETag), `"`), aws.ToString(res.VersionId)
		}
	}
	var confirmed *Object
	if err != nil {
		// Only a failure that may have happened after the server stored the
		// object is checked against it: a refusal (403 QuotaExceeded, say)
		// is a refusal, even when the object already holds these bytes.
		etag, ok := sum()
		if !ok || ctx.Err() != nil || !answerMayBeLost(err) {
			return nil, err
		}
		o, headErr := c.Head(ctx, in.Bucket, in.Key)
		if headErr != nil || o.ETag != etag || o.Size != in.Size {
			return nil, err
		}
		confirmed = o // stored intact; only the answer was lost
	}
	// Ceph RGW accepts x-amz-tagging on CreateMultipartUpload and then
	// stores no tags: a multipart object gets them once complete.
	if in.Size > c.threshold && len(in.Tags) > 0 {
		if err := c.SetTags(ctx, in.Bucket, in.Key, in.Tags); err != nil {
			return nil, fmt.Errorf("the object was stored, but setting its tags failed: %w", err)
		}
	}
	if confirmed != nil {
		return confirmed, nil
	}
	return c.readBack(ctx, in.Bucket, out), nil
}

// strayUploadSkew is how far the server's clock may be behind this
// machine's for an upload it began to count as begun by this one.
const strayUploadSkew = time.Minute

// abortStrayUploads aborts the key's multipart uploads in progress that
// were begun since since: a lost CreateMultipartUpload answer, retried,
// leaves one behind, which would otherwise hold its parts' storage until a
// lifecycle rule removes it. Best effort; it runs on a context of its own,
// so Ctrl-C does not leave the parts.
func (c *ObjectClient) abortStrayUploads(ctx context.Context, bucket, key string, since time.Time) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	out, err := c.s3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)})
	if err != nil {
		return
	}
	for _, u := range out.Uploads {
		if aws.ToString(u.Key) == key && !aws.ToTime(u.Initiated).Before(since) {
			_, _ = c.s3.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId})
		}
	}
}

// answerMayBeLost reports whether a failed upload may have been stored all
// the same: the connection failed, the server failed, or the multipart
// upload a retried completion names is already gone (completed).
func answerMayBeLost(err error) bool {
	var (
		re *RequestError
		se *Error
	)
	if errors.As(err, &re) {
		return true
	}
	return errors.As(err, &se) && (se.StatusCode >= 500 || se.Code == "NoSuchUpload")
}

// readBack is what HEAD reports about an object just uploaded, or uploaded
// when HEAD fails.
func (c *ObjectClient) readBack(ctx context.Context, bucket string, uploaded *Object) *Object {
	if o, err := c.Head(ctx, bucket, uploaded.Key); err == nil {
		return o
	}
	return uploaded
}

// Head returns an object's metadata, or ErrNotFound.
func (c *ObjectClient) Head(ctx context.Context, bucket, key string) (*Object, error) {
	out, err := c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		if NotFound(err) {
			return nil, errors.Join(ErrNotFound, err)
		}
		return nil, err
	}
	return &Object{
		Key: key, Size: aws.ToInt64(out.ContentLength), ETag: strings.Trim(aws.ToString(out.ETag), `"`),
		VersionID: aws.ToString(out.VersionId), LastModified: aws.ToTime(out.LastModified),
		ContentType: aws.ToString(out.ContentType), CacheControl: aws.ToString(out.CacheControl), Disposition: aws.ToString(out.ContentDisposition),
		Encoding: aws.ToString(out.ContentEncoding), Language: aws.ToString(out.ContentLanguage), Metadata: lowerKeys(out.Metadata),
	}, nil
}

// Tags returns an object's tag set.
func (c *ObjectClient) Tags(ctx context.Context, bucket, key string) (map[string]string, error) {
	out, err := c.s3.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}

// SetTags replaces an object's tag set; an empty one deletes it.
func (c *ObjectClient) SetTags(ctx context.Context, bucket, key string, tags map[string]string) error {
	if len(tags) == 0 {
		_, err := c.s3.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		return err
	}
	set := make([]types.Tag, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		set = append(set, types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	_, err := c.s3.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Tagging: &types.Tagging{TagSet: set}})
	return err
}

// tagging is a tag set as the x-amz-tagging header carries it, or nil.
// Spaces are %20: Ceph RGW decodes the header without turning "+" into a
// space, as url.Values.Encode would have it.
func tagging(tags map[string]string) *string {
	if len(tags) == 0 {
		return nil
	}
	pairs := make([]string, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		pairs = append(pairs, escapeTag(k)+"="+escapeTag(tags[k]))
	}
	return aws.String(strings.Join(pairs, "&"))
}

func escapeTag(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func lowerKeys(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Delete removes an object; a missing one is not an error.
func (c *ObjectClient) Delete(ctx context.Context, bucket, key string) error {
	_, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	// A missing object is already deleted; a missing bucket is an error.
	if err != nil && (!NotFound(err) || NoSuchBucket(err)) {
		return err
	}
	return nil
}

// ListInput asks for a bucket's objects.
type ListInput struct {
	Bucket, Prefix, Delimiter string
	// MaxKeys bounds the result; 0 means every object.
	MaxKeys int
}

// ListResult is a listing, every page read.
type ListResult struct {
	Objects        []Object
	CommonPrefixes []string
}

// List reads every page of ListObjectsV2, up to MaxKeys objects.
func (c *ObjectClient) List(ctx context.Context, in ListInput) (*ListResult, error) {
	p := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{
		Bucket: aws.String(in.Bucket), Prefix: optional(in.Prefix), Delimiter: optional(in.Delimiter),
	})
	out := &ListResult{}
	seen := map[string]bool{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		// A server that hands back a token it gave before would make the
		// listing go round forever.
		if next := aws.ToString(page.NextContinuationToken); aws.ToBool(page.IsTruncated) {
			if next == "" || seen[next] {
				return nil, &Error{Operation: "ListObjectsV2", StatusCode: http.StatusOK, Code: "RepeatedContinuationToken",
					Message: fmt.Sprintf("the server answered page %d of bucket %q with a continuation token it had already given (or none), so the listing would never end", len(seen)+1, in.Bucket), Attempts: 1}
			}
			seen[next] = true
		}
		for _, o := range page.Contents {
			if in.MaxKeys > 0 && len(out.Objects) == in.MaxKeys {
				return out, nil
			}
			out.Objects = append(out.Objects, Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size),
				ETag: strings.Trim(aws.ToString(o.ETag), `"`), LastModified: aws.ToTime(o.LastModified)})
		}
		for _, cp := range page.CommonPrefixes {
			out.CommonPrefixes = append(out.CommonPrefixes, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
