// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/hostup/terraform-provider-hostup/internal/transport"
)

// A call is retried only when repeating it cannot do anything twice:
// presigning only signs, reads read, and a delete deletes once. Creating a
// bucket or a key pair opts out of every retry the API may have acted on
// (withoutAmbiguousRetries).

// retryableStatus lists the answers worth another attempt.
var retryableStatus = map[int]bool{
	http.StatusTooManyRequests:     true,
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// checkRetry is the retry policy: 429, 500, 502, 503, 504, connection
// errors and per-attempt timeouts retry; every other status, certificate
// errors and a cancelled or expired caller context do not. A call that is
// not idempotent (withoutAmbiguousRetries) retries only what certainly did
// not reach the API: a 429, or a connection that never opened.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if ctx.Value(noAmbiguousRetriesKey{}) != nil {
		if err != nil {
			var op *net.OpError
			return errors.As(err, &op) && op.Op == "dial" && retryableError(err), nil
		}
		return resp.StatusCode == http.StatusTooManyRequests, nil
	}
	if err != nil {
		return retryableError(err), nil
	}
	return retryableStatus[resp.StatusCode], nil
}

type noAmbiguousRetriesKey struct{}

// withoutAmbiguousRetries marks a call that must not be repeated when the
// API may have acted on it (creating a key pair twice leaves one nobody
// holds the secret of).
func withoutAmbiguousRetries(ctx context.Context) context.Context {
	return context.WithValue(ctx, noAmbiguousRetriesKey{}, true)
}

// retryableError reports whether a transport error may pass on its own.
func retryableError(err error) bool { return !transport.Permanent(err) }

// parseRetryAfter reads Retry-After in seconds or as an HTTP date.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	if d := at.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// backoffFunc waits an exponential delay with full jitter (a random time in
// [min, min*2^attempt], capped at max, so concurrent callers spread), or
// longer when a 429 or 503 asks for it with Retry-After (capped at
// maxRetryAfter). An answer asking for less, such as "Retry-After: 0" or a
// date in the past, never shortens the back-off.
func backoffFunc(now func() time.Time, maxRetryAfter time.Duration) retryablehttp.Backoff {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		d := jitteredBackoff(lo, hi, attempt)
		if asked, ok := askedWait(resp, now(), maxRetryAfter); ok {
			d = max(d, asked)
		}
		return d
	}
}

// askedWait is how long a 429 or 503 answer asks the client to wait
// (Retry-After, capped at maxWait); ok is false when it asks nothing.
func askedWait(resp *http.Response, now time.Time, maxWait time.Duration) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now)
	return min(d, maxWait), ok
}

func jitteredBackoff(lo, hi time.Duration, attempt int) time.Duration {
	ceiling := hi
	if attempt < 30 {
		if c := lo << attempt; c > 0 && c < hi {
			ceiling = c
		}
	}
	if ceiling <= lo {
		return lo
	}
	return lo + time.Duration(rand.Int64N(int64(ceiling-lo)+1)) //nolint:gosec // jitter, not security
}

// gate is the client-wide back-off: when the API says to wait (429 or 503
// with Retry-After), every in-flight and new request of this client waits
// until then, instead of each of Terraform's parallel reads finding out on
// its own.
type gate struct {
	mu      sync.Mutex
	until   time.Time
	now     func() time.Time
	maxWait time.Duration
}

// gatePoll bounds each sleep in wait, so the gate notices a clock that jumps
// and a pause that another answer extends.
const gatePoll = 250 * time.Millisecond

// wait blocks until the gate opens or ctx ends.
func (g *gate) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		d := g.until.Sub(g.now())
		g.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(min(d, gatePoll))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// observe closes the gate for as long as resp asks.
func (g *gate) observe(resp *http.Response) {
	now := g.now()
	d, ok := askedWait(resp, now, g.maxWait)
	if !ok || d <= 0 {
		return
	}
	until := now.Add(d)
	g.mu.Lock()
	if until.After(g.until) {
		g.until = until
	}
	g.mu.Unlock()
}

// attemptTransport is one attempt of an API call: it counts the attempt,
// waits while the client-wide gate is closed, then sends the request with its
// own time limit, which starts only once the gate is open and lasts until the
// answer's body is closed. Every answer may close the gate.
type attemptTransport struct {
	base    http.RoundTripper
	gate    *gate
	timeout time.Duration
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	if err := t.gate.wait(req.Context()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timedOut := ctx.Err() != nil && req.Context().Err() == nil
		cancel()
		if timedOut {
			return nil, &attemptTimeoutError{limit: t.timeout, err: err}
		}
		return nil, err
	}
	t.gate.observe(resp)
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// attemptTimeoutError is an attempt that got no complete answer within the
// per-attempt time limit; it is retried.
type attemptTimeoutError struct {
	limit time.Duration
	err   error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("no answer within the request timeout of %s", e.limit)
}

func (e *attemptTimeoutError) Unwrap() error { return e.err }

// cancelOnClose ends an attempt's time limit when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

type attemptsKey struct{}

func withAttemptCounter(ctx context.Context, n *atomic.Int32) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}
