// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package hostup is a small client for the HostUp object-storage API. It knows
// HTTP, HostUp's envelopes and its error shapes; it knows nothing about
// Terraform.
package hostup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the public HostUp API base URL.
const DefaultEndpoint = "https://cloud.hostup.se/api"

// MaxResponseBytes caps how much of a response body the client reads. A
// presign response is a few hundred bytes; anything near this size is not a
// HostUp answer and is refused rather than buffered.
const MaxResponseBytes = 1 << 20

// DefaultTimeout bounds one API call when the caller's context has no earlier
// deadline, so that a stalled connection never hangs a plan.
const DefaultTimeout = 60 * time.Second

// RequestEvent describes one finished API call, for logging. It never carries
// the API key, request or response bodies, or the presigned URL.
type RequestEvent struct {
	Method     string
	Path       string
	StatusCode int // 0 when no response arrived
	Duration   time.Duration
	RequestID  string
	Err        error
}

// Config configures a Client.
type Config struct {
	// Endpoint is the API base URL, for example DefaultEndpoint. Required.
	Endpoint string
	// APIKey is sent as X-API-Key. Required.
	APIKey string
	// UserAgent is sent on every request.
	UserAgent string
	// HTTPClient is used for every request; nil means a client with its own
	// transport (proxy settings and system certificates honoured) and
	// DefaultTimeout.
	HTTPClient *http.Client
	// Observe, when set, is called once per API call after it finishes.
	Observe func(context.Context, RequestEvent)
	// Now is the clock used when a response carries no timestamp; nil means
	// time.Now.
	Now func() time.Time
}

// Client talks to one HostUp API endpoint with one API key. It is safe for
// concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	http      *http.Client
	observe   func(context.Context, RequestEvent)
	now       func() time.Time
}

// NewClient validates cfg and returns a Client.
func NewClient(cfg Config) (*Client, error) {
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		return nil, errors.New("hostup: API key is empty")
	}
	c := &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		userAgent: cfg.UserAgent,
		http:      cfg.HTTPClient,
		observe:   cfg.Observe,
		now:       cfg.Now,
	}
	if c.http == nil {
		// A transport of its own (proxy settings and system certificates
		// as the default's), so tuning it never touches other clients.
		transport := http.DefaultTransport
		if t, ok := http.DefaultTransport.(*http.Transport); ok {
			transport = t.Clone()
		}
		c.http = &http.Client{Transport: transport, Timeout: DefaultTimeout}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Endpoint returns the API base URL the client talks to.
func (c *Client) Endpoint() string { return c.base.String() }

// ParseEndpoint checks that raw is an absolute http or https URL with a host
// and no query or fragment, and returns it parsed.
func ParseEndpoint(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("endpoint is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q must be an absolute URL starting with https:// (or http:// for a local emulator)", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("endpoint %q must not carry credentials; set the API key instead", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q must not have a query or fragment", raw)
	}
	return u, nil
}

// do sends one JSON request and decodes a successful envelope's data into out.
// Any non-2xx status becomes an *APIError; anything unusable becomes a
// *ResponseError; a transport failure becomes a *RequestError.
func (c *Client) do(ctx context.Context, method string, segments []string, in, out any) (meta responseMeta, err error) {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	u := c.base.JoinPath(escaped...)

	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return meta, fmt.Errorf("hostup: encoding request: %w", err)
		}
		body = bytes.NewReader(b)
	}

	if _, ok := ctx.Deadline(); !ok && c.http.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return meta, fmt.Errorf("hostup: building request: %w", err)
	}
	req.Header.Set("X-API-Key", c.apiKey)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	start := time.Now()
	defer func() {
		if c.observe != nil {
			c.observe(ctx, RequestEvent{
				Method: method, Path: u.EscapedPath(), StatusCode: meta.StatusCode,
				Duration: time.Since(start), RequestID: meta.RequestID, Err: err,
			})
		}
	}()

	resp, err := c.http.Do(req)
	if err != nil {
		return meta, &RequestError{Endpoint: c.base.Redacted(), Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	meta.StatusCode = resp.StatusCode
	meta.RequestID = resp.Header.Get("X-Request-Id")

	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return meta, &RequestError{Endpoint: c.base.Redacted(), Err: fmt.Errorf("reading response: %w", err)}
	}
	if len(raw) > MaxResponseBytes {
		return meta, &ResponseError{StatusCode: resp.StatusCode, RequestID: meta.RequestID,
			Reason: fmt.Sprintf("response body is larger than %d bytes", MaxResponseBytes)}
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := decodeAPIError(resp, raw)
		if apiErr.RequestID == "" {
			apiErr.RequestID = meta.RequestID
		}
		meta.RequestID = apiErr.RequestID
		return meta, apiErr
	}

	var env successEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return meta, &ResponseError{StatusCode: resp.StatusCode, RequestID: meta.RequestID,
			Reason: "response body is not a JSON object (" + describeContentType(resp) + ")"}
	}
	if env.RequestID != "" {
		meta.RequestID = env.RequestID
	}
	if env.Success != nil && !*env.Success {
		return meta, &ResponseError{StatusCode: resp.StatusCode, RequestID: meta.RequestID,
			Reason: `response envelope says "success": false`}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return meta, &ResponseError{StatusCode: resp.StatusCode, RequestID: meta.RequestID,
			Reason: `response envelope has no "data"`}
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return meta, &ResponseError{StatusCode: resp.StatusCode, RequestID: meta.RequestID,
			Reason: `response "data" has an unexpected shape`}
	}
	if env.Timestamp != "" {
		if t, err := time.Parse(time.RFC3339Nano, env.Timestamp); err == nil {
			meta.Timestamp = t
		}
	}
	return meta, nil
}

// responseMeta is what every successful or failed call learns besides data.
type responseMeta struct {
	StatusCode int
	RequestID  string
	Timestamp  time.Time // zero when the response carried none
}

type successEnvelope struct {
	Success   *bool           `json:"success"`
	Timestamp string          `json:"timestamp"`
	RequestID string          `json:"requestId"`
	Data      json.RawMessage `json:"data"`
}

func describeContentType(resp *http.Response) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return "no Content-Type"
	}
	return "Content-Type " + ct
}

// unwrapURLError drops net/http's *url.Error wrapper, whose text repeats the
// full request URL; RequestError names the endpoint instead.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
