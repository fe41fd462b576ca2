// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package hostups3 is HostUp's S3 side, reached with one of the account's S3
// key pairs: presigned URLs signed locally with aws-sdk-go-v2 (any signing
// time, any lifetime SigV4 allows, response overrides). It knows nothing
// about Terraform.
package hostups3

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

const (
	// DefaultEndpoint and DefaultRegion are HostUp's S3 endpoint and the
	// region its signatures are scoped to.
	DefaultEndpoint = "https://s3.hostup.se"
	DefaultRegion   = "eu-north-1"
)

// Config is one key pair on one S3 endpoint.
type Config struct {
	// Endpoint is the S3 base URL; URLs are path-style below it.
	Endpoint string
	// Region scopes the signature; HostUp's is DefaultRegion.
	Region string
	// AccessKeyID and SecretAccessKey are an S3 key pair of the account.
	AccessKeyID, SecretAccessKey string

	// The rest applies to the object client (NewObjectClient), not to
	// signing, which makes no requests.

	// UserAgent is sent, before the SDK's own, on every request.
	UserAgent string
	// Observe, when set, is called once per S3 call after it finishes.
	Observe func(context.Context, RequestEvent)
	// MaxRetries is how many times a failed call is retried (500, 503
	// SlowDown and other throttling, dropped or reset connections,
	// stalls): 0 means none.
	MaxRetries int
	// RequestTimeout is how long a connection may stall, nothing sent and
	// nothing received, before the attempt fails; 0 means
	// DefaultRequestTimeout. It never cuts off a transfer that progresses.
	RequestTimeout time.Duration
	// RootCAs, when set, are the certificates the client trusts instead of
	// the system's.
	RootCAs *x509.CertPool
	// PartSize is a multipart upload's part size in bytes: 0 means
	// DefaultPartSize, and it is never below MinPartSize. The ETag of an
	// object above MultipartThreshold depends on it, so it changes only
	// with care: an object stored with another part size plans an upload.
	PartSize int64
	// PartConcurrency is how many parts of one upload are in flight at
	// once: 0 means DefaultPartConcurrency. Memory grows with
	// PartSize x PartConcurrency.
	PartConcurrency int
}

// Signer presigns URLs for HostUp's S3 side with aws-sdk-go-v2's SigV4
// signer. It is safe for concurrent use and makes no network calls.
//
// It builds the request itself, path-style as the SDK's S3 client does
// (the key escaped by smithy-go's EscapePath, "/" kept), rather than going
// through the S3 client's presign operation, whose per-call endpoint rules
// cost more than the signing.
type Signer struct {
	base   *url.URL
	region string
	creds  aws.Credentials
	signer *v4.Signer
}

// parse checks cfg and returns its endpoint (see ParseEndpoint) and its
// credentials.
func (cfg Config) parse() (*url.URL, aws.Credentials, error) {
	switch {
	case cfg.Endpoint == "":
		return nil, aws.Credentials{}, errors.New("hostups3: endpoint is empty")
	case cfg.Region == "":
		return nil, aws.Credentials{}, errors.New("hostups3: region is empty")
	case cfg.AccessKeyID == "" || cfg.SecretAccessKey == "":
		return nil, aws.Credentials{}, errors.New("hostups3: both halves of the key pair are needed")
	}
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, aws.Credentials{}, fmt.Errorf("hostups3: %w", err)
	}
	return base, aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, Source: "hostup"}, nil
}

// NewSigner checks cfg and returns a Signer.
func NewSigner(cfg Config) (*Signer, error) {
	base, creds, err := cfg.parse()
	if err != nil {
		return nil, err
	}
	return &Signer{
		base:   base,
		region: cfg.Region,
		creds:  creds,
		// S3 paths are signed as sent, not escaped twice.
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }),
	}, nil
}

// PresignInput asks for one URL.
type PresignInput struct {
	Bucket, Key string
	Action      presignedurl.Action
	// ContentType, on an upload, is signed: the uploader must send it.
	ContentType string
	// SignedAt is the signing time (X-Amz-Date), to the second.
	SignedAt time.Time
	// Expires is the lifetime from SignedAt (X-Amz-Expires), 1 s to
	// presignedurl.MaxLifetime in whole seconds.
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
	method, operation := http.MethodGet, "GetObject"
	if in.Action == presignedurl.Upload {
		method, operation = http.MethodPut, "PutObject"
	}
	// HostUp's shape: path-style, the lifetime and the payload hash as
	// signed query parameters, x-id naming the operation.
	q := url.Values{}
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(in.Expires/time.Second), 10))
	q.Set(contentSHA256, unsignedPayload)
	q.Set("x-id", operation)
	for param, v := range map[string]string{
		"response-content-disposition": in.ResponseContentDisposition,
		"response-content-type":        in.ResponseContentType,
		"response-cache-control":       in.ResponseCacheControl,
	} {
		if v != "" {
			q.Set(param, v)
		}
	}
	u := &url.URL{
		Scheme:   s.base.Scheme,
		Host:     s.base.Host,
		Path:     s.base.Path + "/" + in.Bucket + "/" + in.Key,
		RawPath:  s.base.EscapedPath() + "/" + httpbinding.EscapePath(in.Bucket, true) + "/" + httpbinding.EscapePath(in.Key, false),
		RawQuery: strings.ReplaceAll(q.Encode(), "+", "%20"),
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("hostups3: building the request: %w", err)
	}
	if in.ContentType != "" {
		req.Header.Set("Content-Type", in.ContentType)
	}
	signed, signedHeader, err := s.signer.PresignHTTP(ctx, s.creds, req, unsignedPayload, "s3", s.region, signedAt)
	if err != nil {
		return nil, fmt.Errorf("hostups3: signing: %w", err)
	}
	headers := http.Header{}
	for k, v := range signedHeader {
		if http.CanonicalHeaderKey(k) != "Host" {
			headers[http.CanonicalHeaderKey(k)] = v
		}
	}
	return &PresignedURL{URL: signed, Method: method, SignedAt: signedAt, ExpiresAt: signedAt.Add(in.Expires), SignedHeaders: headers}, nil
}

func (in PresignInput) validate() error {
	switch {
	case in.Bucket == "" || in.Bucket == "." || in.Bucket == "..":
		return fmt.Errorf("hostups3: %q is not a bucket name", in.Bucket)
	case in.Key == "":
		return errors.New("hostups3: key is empty")
	case in.Action != presignedurl.Download && in.Action != presignedurl.Upload:
		return fmt.Errorf("hostups3: action %q is neither %q nor %q", in.Action, presignedurl.Download, presignedurl.Upload)
	case in.Expires < time.Second || in.Expires > presignedurl.MaxLifetime || in.Expires%time.Second != 0:
		return fmt.Errorf("hostups3: lifetime %s is not whole seconds from 1s to %s", in.Expires, presignedurl.MaxLifetime)
	case in.SignedAt.IsZero():
		return errors.New("hostups3: no signing time")
	case in.Action == presignedurl.Upload && (in.ResponseContentDisposition != "" || in.ResponseContentType != "" || in.ResponseCacheControl != ""):
		return errors.New("hostups3: response overrides apply to downloads only")
	case in.Action == presignedurl.Download && in.ContentType != "":
		return errors.New("hostups3: a content type applies to uploads only")
	}
	return nil
}

const (
	contentSHA256   = "X-Amz-Content-Sha256"
	unsignedPayload = "UNSIGNED-PAYLOAD"
)
