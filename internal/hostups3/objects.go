// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Objects through the S3 API with the key pair: put (streamed, multipart
// above MultipartThreshold), head, delete and list, with aws-sdk-go-v2's S3
// client, path-style.

const (
	// MultipartThreshold is the size above which Put uploads in parts.
	MultipartThreshold = 100 << 20
	// partSize and partConcurrency bound a multipart upload's memory to
	// about (partConcurrency+2) x partSize.
	partSize        = 5 << 20
	partConcurrency = 2
)

// ObjectClient reads and writes objects. It is safe for concurrent use.
type ObjectClient struct {
	s3        *s3.Client
	transfer  *transfermanager.Client
	threshold int64 // MultipartThreshold; tests lower it
}

// NewObjectClient returns a client for cfg's endpoint and key pair.
func NewObjectClient(cfg Config) (*ObjectClient, error) {
	base, creds, err := cfg.parse()
	if err != nil {
		return nil, err
	}
	client := s3.New(s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(base.String()),
		UsePathStyle: true,
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		// Checksums only where S3 requires them: S3-compatible stores do not
		// all accept the aws-chunked trailers the SDK sends by default.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		// Never follow a redirect with signed requests.
		HTTPClient: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	})
	transfer := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = partConcurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		// Aborting an interrupted multipart upload runs on a context of its
		// own, so Ctrl-C does not leave its parts stored.
		o.FailTimeout = time.Minute
	})
	return &ObjectClient{s3: client, transfer: transfer, threshold: MultipartThreshold}, nil
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
}

// PutInput is one object to store.
type PutInput struct {
	Bucket, Key string
	// Body is read once; Size is its length in bytes. A body that is also an
	// io.ReadSeeker (a file) is streamed, never held in memory.
	Body                                          io.Reader
	Size                                          int64
	ContentType, CacheControl, ContentDisposition string
}

// ErrNotFound is returned by Head for an object or bucket that does not exist.
var ErrNotFound = errors.New("hostups3: not found")

// Put stores an object and returns what S3 then reports about it (HEAD),
// or, when reading it back fails, what the upload answered: a successful
// upload is never reported as a failure.
func (c *ObjectClient) Put(ctx context.Context, in PutInput) (*Object, error) {
	out := &Object{Key: in.Key, Size: in.Size, ContentType: in.ContentType, CacheControl: in.CacheControl, Disposition: in.ContentDisposition}
	if in.Size > c.threshold {
		res, err := c.transfer.UploadObject(ctx, &transfermanager.UploadObjectInput{
			Bucket: aws.String(in.Bucket), Key: aws.String(in.Key), Body: in.Body,
			ContentType: optional(in.ContentType), CacheControl: optional(in.CacheControl), ContentDisposition: optional(in.ContentDisposition),
		})
		if err != nil {
			return nil, fmt.Errorf("uploading %s/%s in parts: %w", in.Bucket, in.Key, err)
		}
		out.ETag, out.VersionID = strings.Trim(aws.ToString(res.ETag), `"`), aws.ToString(res.VersionID)
		return c.readBack(ctx, in.Bucket, out), nil
	}
	res, err := c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(in.Bucket), Key: aws.String(in.Key), Body: in.Body, ContentLength: aws.Int64(in.Size),
		ContentType: optional(in.ContentType), CacheControl: optional(in.CacheControl), ContentDisposition: optional(in.ContentDisposition),
	})
	if err != nil {
		return nil, fmt.Errorf("uploading %s/%s: %w", in.Bucket, in.Key, err)
	}
	out.ETag, out.VersionID = strings.Trim(aws.ToString(res.ETag), `"`), aws.ToString(res.VersionId)
	return c.readBack(ctx, in.Bucket, out), nil
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
		if isNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("reading %s/%s: %w", bucket, key, err)
	}
	return &Object{
		Key: key, Size: aws.ToInt64(out.ContentLength), ETag: strings.Trim(aws.ToString(out.ETag), `"`),
		VersionID: aws.ToString(out.VersionId), LastModified: aws.ToTime(out.LastModified),
		ContentType: aws.ToString(out.ContentType), CacheControl: aws.ToString(out.CacheControl), Disposition: aws.ToString(out.ContentDisposition),
	}, nil
}

// Delete removes an object; a missing one is not an error.
func (c *ObjectClient) Delete(ctx context.Context, bucket, key string) error {
	_, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting %s/%s: %w", bucket, key, err)
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
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", in.Bucket, err)
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

func isNotFound(err error) bool {
	var (
		nf     *types.NotFound
		nsk    *types.NoSuchKey
		nsb    *types.NoSuchBucket
		apiErr smithy.APIError
	)
	if errors.As(err, &nf) || errors.As(err, &nsk) || errors.As(err, &nsb) {
		return true
	}
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NotFound" || apiErr.ErrorCode() == "NoSuchKey")
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
