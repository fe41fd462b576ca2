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
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/hostup/terraform-provider-hostup/internal/transport"
)

// DefaultEndpoint is the public HostUp API base URL.
const DefaultEndpoint = "https://cloud.hostup.se/api"

// MaxResponseBytes caps how much of a response body the client reads. A
// presign response is a few hundred bytes; anything near this size is not a
// HostUp answer and is refused rather than buffered.
const MaxResponseBytes = 1 << 20

// Defaults for Config. With them, a call that keeps failing gives up after
// five attempts and at most about 5 x 30 s + 4 x 8 s.
const (
	// DefaultMaxRetries is the retry count the provider uses when none is
	// configured. Config.MaxRetries itself is literal: 0 means no retries.
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 8 * time.Second
	// MaxRetryAfter caps how long a Retry-After answer makes the client wait.
	MaxRetryAfter = 60 * time.Second
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

// Config configures a Client. Zero durations take the defaults above; every
// other field is used as given.
type Config struct {
	// Endpoint is the API base URL, for example DefaultEndpoint. Required;
	// see ParseEndpoint for what is accepted.
	Endpoint string
	// APIKey is sent as X-API-Key. Required.
	APIKey string
	// UserAgent is sent on every request.
	UserAgent string
	// Observe, when set, is called once per API call after it finishes.
	Observe func(context.Context, RequestEvent)
	// Now is the clock for Retry-After dates, the client-wide pause and the
	// presign cache; nil means time.Now.
	Now func() time.Time

	// MaxRetries is how many times a failed call is retried (429, 500, 502,
	// 503, 504, connection errors and timeouts): 0 means none.
	MaxRetries int
	// RequestTimeout bounds each attempt, from sending the request to reading
	// the whole answer; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the exponential back-off between
	// attempts; 0 means the defaults.
	RetryWaitMin, RetryWaitMax time.Duration
}

// withDefaults is the one place where Config's defaults are resolved.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.APIKey == "" {
		return cfg, errors.New("hostup: API key is empty")
	}
	if cfg.MaxRetries < 0 {
		return cfg, fmt.Errorf("hostup: MaxRetries is %d; it must be 0 or more", cfg.MaxRetries)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.RequestTimeout = orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	cfg.RetryWaitMin = orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin)
	cfg.RetryWaitMax = orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax)
	return cfg, nil
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
	timeout   time.Duration // per attempt
}

// NewClient validates cfg and returns a Client.
func NewClient(cfg Config) (*Client, error) {
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg, err = cfg.withDefaults(); err != nil {
		return nil, err
	}

	// A transport of its own (proxy settings and system certificates as the
	// default's), so tuning it never touches other clients.
	transport := &http.Transport{}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		transport = t.Clone()
	}
	transport.MaxResponseHeaderBytes = maxResponseHeaderBytes
	// Terraform reads up to 10 data sources at once: keep that many
	// connections alive rather than the default 2.
	transport.MaxIdleConnsPerHost = 16

	g := &gate{now: cfg.Now, maxWait: MaxRetryAfter}
	hc := &http.Client{
		Transport: &attemptTransport{base: transport, gate: g, timeout: cfg.RequestTimeout},
		// Never follow a redirect: Go would forward X-API-Key to wherever
		// the answer points, even over plain http. A 3xx comes back as is
		// and becomes a *RedirectError.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	rc := &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // its log lines would carry full URLs; Observe logs instead
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoffFunc(cfg.Now, MaxRetryAfter),
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		userAgent: cfg.UserAgent,
		http:      rc,
		cache:     newPresignCache(cfg.Now),
		observe:   cfg.Observe,
		now:       cfg.Now,
		timeout:   cfg.RequestTimeout,
	}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// ParseEndpoint checks that raw is an absolute https URL with a host and no
// credentials, query or fragment (plain http only for a loopback host), and
// returns it parsed; see transport.ParseEndpoint.
func ParseEndpoint(raw string) (*url.URL, error) { return transport.ParseEndpoint(raw) }

// IsLoopback reports whether host is this machine; see transport.IsLoopback.
func IsLoopback(host string) bool { return transport.IsLoopback(host) }

// RedactURL is u without user info, query and fragment.
func RedactURL(u *url.URL) string { return transport.RedactURL(u) }

// do sends one JSON request, retrying as configured, and decodes a
// successful envelope's data into out. Any non-2xx status becomes an
// *APIError, a redirect a *RedirectError, anything unusable a
// *ResponseError and a transport failure a *RequestError. Each carries the
// number of attempts made.
func (c *Client) do(ctx context.Context, method string, segments []string, in, out any) (meta responseMeta, err error) {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		// JoinPath would resolve "." and ".." out of their segment, so a
		// bucket named ".." would address another endpoint.
		if s == "" || s == "." || s == ".." {
			return meta, fmt.Errorf("hostup: %q is not a valid path segment", s)
		}
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
		return meta, &RequestError{Endpoint: RedactURL(c.base), Err: unwrapURLError(err), Attempts: n}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		meta.StatusCode = resp.StatusCode
		return meta, &RedirectError{StatusCode: resp.StatusCode, Endpoint: RedactURL(c.base), Target: redirectTarget(resp), Attempts: n}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			// The attempt's own limit ran out while the answer arrived.
			err = &attemptTimeoutError{limit: c.timeout, err: err}
		}
		return meta, &RequestError{Endpoint: RedactURL(c.base), Err: fmt.Errorf("reading response: %w", err), Attempts: n}
	}
	return decodeResponse(resp.StatusCode, resp.Header, raw, out, n, c.now())
}

// redirectTarget names where a redirect points by scheme and host only: its
// path and query may carry anything.
func redirectTarget(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil || loc.Host == "" {
		return ""
	}
	return loc.Scheme + "://" + loc.Host
}
