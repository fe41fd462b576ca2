// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package hostups3 is HostUp's S3 side, reached with one of the account's S3
// key pairs: presigned URLs signed locally with aws-sdk-go-v2 (any signing
// time, any lifetime SigV4 allows, response overrides). It knows nothing
// about Terraform.
package hostups3

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	// DefaultEndpoint and DefaultRegion are HostUp's S3 endpoint and the
	// region its signatures are scoped to.
	DefaultEndpoint = "https://s3.hostup.se"
	DefaultRegion   = "eu-north-1"
	// MaxExpires is SigV4's limit on a presigned URL's lifetime: 7 days.
	MaxExpires = 7 * 24 * time.Hour
)

// Config is one key pair on one S3 endpoint.
type Config struct {
	// Endpoint is the S3 base URL; URLs are path-style below it.
	Endpoint string
	// Region scopes the signature; HostUp's is DefaultRegion.
	Region string
	// AccessKeyID and SecretAccessKey are an S3 key pair of the account.
	AccessKeyID, SecretAccessKey string
}

// Signer presigns URLs for HostUp's S3 side. It is safe for concurrent use
// and makes no network calls.
type Signer struct {
	presign *s3.PresignClient
}

// NewSigner checks cfg and returns a Signer.
func NewSigner(cfg Config) (*Signer, error) {
	switch {
	case cfg.Endpoint == "":
		return nil, errors.New("hostups3: endpoint is empty")
	case cfg.Region == "":
		return nil, errors.New("hostups3: region is empty")
	case cfg.AccessKeyID == "" || cfg.SecretAccessKey == "":
		return nil, errors.New("hostups3: both halves of the key pair are needed")
	}
	creds := aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, Source: "hostup"}
	client := s3.New(s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(cfg.Endpoint),
		UsePathStyle: true,
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
	})
	return &Signer{presign: s3.NewPresignClient(client)}, nil
}

// Action is what a URL allows.
type Action string

const (
	Download Action = "download"
	Upload   Action = "upload"
)

// PresignInput asks for one URL.
type PresignInput struct {
	Bucket, Key string
	Action      Action
	// ContentType, on an upload, is signed: the uploader must send it.
	ContentType string
	// SignedAt is the signing time (X-Amz-Date), to the second.
	SignedAt time.Time
	// Expires is the lifetime from SignedAt (X-Amz-Expires), 1 s to
	// MaxExpires in whole seconds.
	Expires time.Duration
	// ResponseContentDisposition, ResponseContentType and
	// ResponseCacheControl (downloads only) are signed into the URL; S3
	// answers the download with them as headers.
	ResponseContentDisposition, ResponseContentType, ResponseCacheControl string
}

// PresignedURL is a locally signed URL.
type PresignedURL struct {
	// URL is a bearer credential until ExpiresAt.
	URL       string
	Method    string
	SignedAt  time.Time
	ExpiresAt time.Time
	// SignedHeaders are the headers a client must send with exactly the
	// signed value, besides Host.
	SignedHeaders http.Header
}

// Presign signs one URL. The same input gives the byte-identical URL.
func (s *Signer) Presign(ctx context.Context, in PresignInput) (*PresignedURL, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	signedAt := in.SignedAt.UTC().Truncate(time.Second)
	opts := []func(*s3.PresignOptions){
		s3.WithPresignExpires(in.Expires),
		func(o *s3.PresignOptions) { o.Presigner = fixedTimePresigner{signer: o.Presigner, at: signedAt} },
	}
	var (
		req    *v4.PresignedHTTPRequest
		err    error
		method string
	)
	switch in.Action {
	case Download:
		method = http.MethodGet
		req, err = s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
			Bucket:                     aws.String(in.Bucket),
			Key:                        aws.String(in.Key),
			ResponseContentDisposition: optional(in.ResponseContentDisposition),
			ResponseContentType:        optional(in.ResponseContentType),
			ResponseCacheControl:       optional(in.ResponseCacheControl),
		}, opts...)
	case Upload:
		method = http.MethodPut
		req, err = s.presign.PresignPutObject(ctx, &s3.PutObjectInput{
			Bucket:      aws.String(in.Bucket),
			Key:         aws.String(in.Key),
			ContentType: optional(in.ContentType),
		}, opts...)
	}
	if err != nil {
		return nil, fmt.Errorf("hostups3: signing: %w", err)
	}
	headers := http.Header{}
	for k, v := range req.SignedHeader {
		if http.CanonicalHeaderKey(k) != "Host" {
			headers[http.CanonicalHeaderKey(k)] = v
		}
	}
	return &PresignedURL{URL: req.URL, Method: method, SignedAt: signedAt, ExpiresAt: signedAt.Add(in.Expires), SignedHeaders: headers}, nil
}

func (in PresignInput) validate() error {
	switch {
	case in.Bucket == "" || in.Bucket == "." || in.Bucket == "..":
		return fmt.Errorf("hostups3: %q is not a bucket name", in.Bucket)
	case in.Key == "":
		return errors.New("hostups3: key is empty")
	case in.Action != Download && in.Action != Upload:
		return fmt.Errorf("hostups3: action %q is neither %q nor %q", in.Action, Download, Upload)
	case in.Expires < time.Second || in.Expires > MaxExpires || in.Expires%time.Second != 0:
		return fmt.Errorf("hostups3: lifetime %s is not whole seconds from 1s to %s", in.Expires, MaxExpires)
	case in.SignedAt.IsZero():
		return errors.New("hostups3: no signing time")
	case in.Action == Upload && (in.ResponseContentDisposition != "" || in.ResponseContentType != "" || in.ResponseCacheControl != ""):
		return errors.New("hostups3: response overrides apply to downloads only")
	case in.Action == Download && in.ContentType != "":
		return errors.New("hostups3: a content type applies to uploads only")
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// fixedTimePresigner signs at a chosen time instead of the SDK's clock:
// that is what makes a URL stable between reads. Like HostUp's own URLs, the
// payload hash (UNSIGNED-PAYLOAD) travels as a signed query parameter.
type fixedTimePresigner struct {
	signer s3.HTTPPresignerV4
	at     time.Time
}

func (p fixedTimePresigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	q := r.URL.Query()
	q.Set(contentSHA256, payloadHash)
	r.URL.RawQuery = q.Encode()
	return p.signer.PresignHTTP(ctx, creds, r, payloadHash, service, region, p.at, optFns...)
}

const contentSHA256 = "X-Amz-Content-Sha256"
