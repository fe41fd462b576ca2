// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package hostup is a small client for the HostUp object-storage API. It knows
// HTTP, HostUp's envelopes and its error shapes; it knows nothing about
// Terraform.
package hostup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// DefaultEndpoint is the public HostUp API base URL.
const DefaultEndpoint = "https://cloud.hostup.se/api"

// MaxResponseBytes caps how much of a response body the client reads. A
// presign response is a few hundred bytes; anything near this size is not a
// HostUp answer and is refused rather than buffered.
const MaxResponseBytes = 1 << 20

// Retry defaults. With them, a call that keeps failing gives up after five
// attempts and at most about 5 x 30 s + 4 x 8 s.
const (
	DefaultMaxRetries     = 4
	NoRetries             = -1
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 8 * time.Second
	DefaultMaxRetryAfter  = 60 * time.Second
	// maxResponseHeaderBytes refuses absurd response headers.
	maxResponseHeaderBytes = 64 << 10
)

// RequestEvent describes one finished API call, for logging. It never carries
// the API key, request or response bodies, or the presigned URL.
type RequestEvent struct {
	Method     string
	Path       string
	StatusCode int // 0 when no response arrived
	Duration   time.Duration
	RequestID  string
	Attempts   int
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
	// DefaultRequestTimeout per attempt.
	HTTPClient *http.Client
	// Observe, when set, is called once per API call after it finishes.
	Observe func(context.Context, RequestEvent)
	// Now is the clock used when a response carries no timestamp; nil means
	// time.Now.
	Now func() time.Time

	// MaxRetries is how many times a failed call is retried (429, 500,
	// 502, 503, 504, connection errors and timeouts); 0 means
	// DefaultMaxRetries and NoRetries disables retrying.
	MaxRetries int
	// RequestTimeout bounds each attempt; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the exponential back-off between
	// attempts; 0 means the defaults.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter caps how long a Retry-After answer makes the client
	// wait; 0 means DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
}

// Client talks to one HostUp API endpoint with one API key. It is safe for
// concurrent use; one Client shares its connections, and its back-off when
// the API asks to wait, between every caller.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	http      *retryablehttp.Client
	cache     *presignCache
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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	cfg.RequestTimeout = orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	cfg.RetryWaitMin = orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin)
	cfg.RetryWaitMax = orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax)
	cfg.MaxRetryAfter = orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter)

	hc := cfg.HTTPClient
	if hc == nil {
		// A transport of its own (proxy settings and system certificates as
		// the default's), so tuning it never touches other clients.
		transport := http.DefaultTransport
		if t, ok := http.DefaultTransport.(*http.Transport); ok {
			t = t.Clone()
			t.MaxResponseHeaderBytes = maxResponseHeaderBytes
			// Terraform reads up to 10 data sources at once: keep that many
			// connections alive rather than the default 2.
			t.MaxIdleConnsPerHost = 16
			transport = t
		}
		hc = &http.Client{Transport: transport}
	}
	hc = &http.Client{Transport: hc.Transport, Timeout: cfg.RequestTimeout, CheckRedirect: hc.CheckRedirect, Jar: hc.Jar}
	g := &gate{now: cfg.Now, maxWait: cfg.MaxRetryAfter}
	rc := &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // its log lines would carry full URLs; Observe logs instead
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoffFunc(cfg.Now, cfg.MaxRetryAfter),
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		// Every attempt of every caller passes the gate before its own
		// timeout starts, and every answer may close it: one Retry-After
		// pauses the whole client.
		RequestLogHook:  g.beforeAttempt,
		ResponseLogHook: g.afterAttempt,
	}
	return &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		userAgent: cfg.UserAgent,
		http:      rc,
		cache:     newPresignCache(cfg.Now),
		observe:   cfg.Observe,
		now:       cfg.Now,
	}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
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

// do sends one JSON request, retrying as configured, and decodes a
// successful envelope's data into out. Any non-2xx status becomes an
// *APIError; anything unusable becomes a *ResponseError; a transport failure
// becomes a *RequestError. Each carries the number of attempts made.
func (c *Client) do(ctx context.Context, method string, segments []string, in, out any) (meta responseMeta, err error) {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	u := c.base.JoinPath(escaped...)

	var body []byte
	if in != nil {
		if body, err = json.Marshal(in); err != nil {
			return meta, fmt.Errorf("hostup: encoding request: %w", err)
		}
	}

	attempts := new(atomic.Int32)
	req, err := retryablehttp.NewRequestWithContext(withAttemptCounter(ctx, attempts), method, u.String(), body)
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
				Duration: time.Since(start), RequestID: meta.RequestID, Attempts: int(attempts.Load()), Err: err,
			})
		}
	}()

	resp, err := c.http.Do(req)
	n := int(attempts.Load())
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		return meta, &RequestError{Endpoint: c.base.Redacted(), Err: unwrapURLError(err), Attempts: n}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return meta, &RequestError{Endpoint: c.base.Redacted(), Err: fmt.Errorf("reading response: %w", err), Attempts: n}
	}
	return decodeResponse(resp.StatusCode, resp.Header, raw, out, n)
}
