// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Bucket is one object-storage bucket. Fields the API leaves out are zero.
type Bucket struct {
	Name       string
	Created    time.Time // zero when the API gave none or an unreadable one
	SizeBytes  int64
	NumObjects int64
	// Owner is the backend's owner ID (for example "client_204$main"); only
	// GetBucket returns it.
	Owner string
	// CountsKnown is true when the answer carried both numObjects and
	// sizeBytes as whole numbers, neither negative. When it is false, the counts are 0 but
	// the bucket may hold anything.
	CountsKnown bool
}

// bucketData is the wire shape of a bucket.
type bucketData struct {
	Name       string          `json:"name"`
	Created    string          `json:"created"`
	SizeBytes  json.Number     `json:"sizeBytes"`
	NumObjects json.Number     `json:"numObjects"`
	Owner      json.RawMessage `json:"owner"`
}

func (b bucketData) bucket() Bucket {
	out := Bucket{Name: b.Name}
	if t, err := time.Parse(time.RFC3339Nano, b.Created); err == nil {
		out.Created = t.UTC()
	}
	var sizeErr, countErr error
	out.SizeBytes, sizeErr = b.SizeBytes.Int64()
	out.NumObjects, countErr = b.NumObjects.Int64()
	// A negative count is no count: such a bucket may hold anything.
	out.CountsKnown = sizeErr == nil && countErr == nil && out.SizeBytes >= 0 && out.NumObjects >= 0
	var owner string
	if json.Unmarshal(b.Owner, &owner) == nil {
		out.Owner = owner
	}
	return out
}

// ListBuckets returns every bucket of the account, from
// GET {endpoint}/object-storage/buckets.
func (c *Client) ListBuckets(ctx context.Context) ([]Bucket, error) {
	var data struct {
		Buckets []bucketData `json:"buckets"`
	}
	if _, err := c.do(ctx, http.MethodGet, []string{"object-storage", "buckets"}, nil, &data); err != nil {
		return nil, err
	}
	out := make([]Bucket, 0, len(data.Buckets))
	for _, b := range data.Buckets {
		out = append(out, b.bucket())
	}
	return out, nil
}

// GetBucket returns one bucket, from GET {endpoint}/object-storage/buckets/{name}.
// A bucket that does not exist is an *APIError with status 404.
func (c *Client) GetBucket(ctx context.Context, name string) (*Bucket, error) {
	var data struct {
		Bucket *bucketData `json:"bucket"`
	}
	meta, err := c.do(ctx, http.MethodGet, []string{"object-storage", "buckets", name}, nil, &data)
	if err != nil {
		return nil, err
	}
	if data.Bucket == nil || data.Bucket.Name == "" {
		return nil, &ResponseError{StatusCode: meta.StatusCode, RequestID: meta.RequestID, Reason: `response "data" has no "bucket" with a name`, Attempts: meta.Attempts}
	}
	b := data.Bucket.bucket()
	return &b, nil
}

// CreateBucket creates a bucket, with POST {endpoint}/object-storage/buckets.
// Creating is not idempotent: the call is retried only when the API
// certainly did not act on it (429, or a connection that never opened).
func (c *Client) CreateBucket(ctx context.Context, name string) (*Bucket, error) {
	if name == "" {
		return nil, fmt.Errorf("hostup: bucket name is empty")
	}
	var data struct {
		Bucket *bucketData `json:"bucket"`
	}
	meta, err := c.do(withoutAmbiguousRetries(ctx), http.MethodPost, []string{"object-storage", "buckets"}, map[string]string{"name": name}, &data)
	if err != nil {
		return nil, err
	}
	if data.Bucket == nil {
		return nil, &ResponseError{StatusCode: meta.StatusCode, RequestID: meta.RequestID, Reason: `response "data" has no "bucket"`, Attempts: meta.Attempts}
	}
	b := data.Bucket.bucket()
	if b.Name == "" {
		b.Name = name
	}
	return &b, nil
}

// DeleteBucket deletes a bucket and every object in it, with
// DELETE {endpoint}/object-storage/buckets/{name}. Deleting twice is harmless,
// so it is retried like a read.
func (c *Client) DeleteBucket(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, []string{"object-storage", "buckets", name}, nil, nil)
	return err
}

// SetBucketVersioning enables or suspends a bucket's versioning, with
// PUT {endpoint}/object-storage/buckets/{name}/versioning, and returns the
// status the API answers: "Enabled" or "Suspended", as S3 names them.
// Setting the same state twice is harmless, so it is retried like a read.
// There is no GET: S3's GetBucketVersioning reads the state back.
func (c *Client) SetBucketVersioning(ctx context.Context, name string, enabled bool) (string, error) {
	if name == "" {
		return "", fmt.Errorf("hostup: bucket name is empty")
	}
	var data struct {
		Status *string `json:"status"`
	}
	meta, err := c.do(ctx, http.MethodPut, []string{"object-storage", "buckets", name, "versioning"}, map[string]bool{"enabled": enabled}, &data)
	if err != nil {
		return "", err
	}
	if data.Status == nil || (*data.Status != "Enabled" && *data.Status != "Suspended") {
		return "", &ResponseError{StatusCode: meta.StatusCode, RequestID: meta.RequestID, Reason: `response "data" has no "status" of "Enabled" or "Suspended"`, Attempts: meta.Attempts}
	}
	return *data.Status, nil
}
