// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// DefaultExpiresIn is the lifetime of every URL HostUp's API issues; the
// request has no field to choose it.
const DefaultExpiresIn = 900 * time.Second

// PresignInput asks for one presigned URL.
type PresignInput struct {
	Bucket string
	Key    string
	Action presignedurl.Action
	// ContentType is optional; when set on an upload, the URL binds it.
	ContentType string
}

// PresignedURL is a presigned URL and what the API said about it.
type PresignedURL struct {
	// URL is exactly the string the API returned; it is a bearer credential.
	URL string
	// ExpiresIn is the lifetime in seconds, as the API reported it.
	ExpiresIn int64
	// IssuedAt is the response timestamp, or the client's clock when the
	// response carried none.
	IssuedAt time.Time
	// RequestID identifies the API request, for HostUp support.
	RequestID string
	// Method is the HTTP method a consumer must use (GET or PUT).
	Method string
}

// ExpiresAt is IssuedAt plus ExpiresIn.
func (p *PresignedURL) ExpiresAt() time.Time {
	return p.IssuedAt.Add(time.Duration(p.ExpiresIn) * time.Second)
}

type presignBody struct {
	Key         string              `json:"key"`
	Action      presignedurl.Action `json:"action"`
	ContentType string              `json:"contentType,omitempty"`
}

type presignData struct {
	URL       string `json:"url"`
	ExpiresIn int64  `json:"expiresIn"`
}

// Presign returns a presigned URL for in, from
// POST {endpoint}/object-storage/buckets/{bucket}/presign. Identical
// requests on one Client share one API call while the URL has at least half
// its lifetime left.
func (c *Client) Presign(ctx context.Context, in PresignInput) (*PresignedURL, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return c.cache.do(ctx, in, func(ctx context.Context) (*PresignedURL, error) {
		return c.callPresignAPI(ctx, in)
	})
}

func (in PresignInput) validate() error {
	switch {
	case in.Bucket == "":
		return errors.New("hostup: bucket is empty")
	case in.Key == "":
		return errors.New("hostup: key is empty")
	case in.Action.HTTPMethod() == "":
		return fmt.Errorf("hostup: action %q is not one of %q", in.Action, presignedurl.Actions)
	}
	return nil
}

// callPresignAPI makes the API call behind Presign.
func (c *Client) callPresignAPI(ctx context.Context, in PresignInput) (*PresignedURL, error) {
	method := in.Action.HTTPMethod()

	var data presignData
	meta, err := c.do(ctx, http.MethodPost,
		[]string{"object-storage", "buckets", in.Bucket, "presign"},
		presignBody{Key: in.Key, Action: in.Action, ContentType: in.ContentType}, &data)
	if err != nil {
		return nil, err
	}
	return presignedURLFrom(meta, data, method, c.now)
}

// presignedURLFrom checks a decoded presign answer and builds the result; it is
// pure, so it can be fuzzed together with decodeResponse.
func presignedURLFrom(meta responseMeta, data presignData, method string, now func() time.Time) (*PresignedURL, error) {
	fail := func(reason string) (*PresignedURL, error) {
		return nil, &ResponseError{StatusCode: meta.StatusCode, RequestID: meta.RequestID, Reason: reason, Attempts: meta.Attempts}
	}
	if err := checkPresignedURL(data.URL); err != nil {
		return fail(err.Error())
	}
	if data.ExpiresIn <= 0 {
		return fail(fmt.Sprintf(`"expiresIn" is %d; a presigned URL needs a positive lifetime`, data.ExpiresIn))
	}
	if data.ExpiresIn > presignedurl.MaxExpires {
		return fail(fmt.Sprintf(`"expiresIn" is %d; a SigV4 presigned URL lives at most %d seconds`, data.ExpiresIn, presignedurl.MaxExpires))
	}
	issued := meta.Timestamp
	if issued.IsZero() {
		issued = now()
	}
	return &PresignedURL{
		URL:       data.URL,
		ExpiresIn: data.ExpiresIn,
		IssuedAt:  issued.UTC(),
		RequestID: meta.RequestID,
		Method:    method,
	}, nil
}

// checkPresignedURL refuses a URL a consumer could not use. Its messages
// never quote the URL, which is a credential.
func checkPresignedURL(raw string) error {
	if raw == "" {
		return errors.New(`"url" is missing or empty`)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New(`"url" is not a valid URL`)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New(`"url" is not an absolute http(s) URL`)
	}
	return nil
}
