// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Faults are failures the API side injects, all off by default. They apply
// to API requests only; the S3 side always behaves.
type Faults struct {
	// Latency delays every API answer; with LatencyMax above it, the delay
	// is drawn uniformly from [Latency, LatencyMax].
	Latency, LatencyMax time.Duration
	// RateLimitNext answers the next N requests 429 with Retry-After.
	RateLimitNext int
	// RetryAfter is the Retry-After value in seconds sent with 429s (default 1).
	RetryAfter int
	// ErrorRate answers this fraction of requests (0..1) with 500.
	ErrorRate float64
	// DropNext closes the connection without answering the next N requests.
	DropNext int
	// MalformedNext answers the next N requests 200 with a body that is not JSON.
	MalformedNext int
}

// Reply is one scripted answer, served before any fault or route.
type Reply struct {
	Status int
	// Code and Message fill the error envelope for non-2xx statuses.
	Code, Message string
	// Envelope chooses the error shape for this reply.
	Envelope Envelope
	// Body, when set, is sent verbatim instead of an envelope.
	Body []byte
	// Header is added to the answer.
	Header http.Header
}

type faultState struct {
	Faults
	replies []Reply
}

// SetFaults replaces the injected faults.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.Faults = f
}

// ReplyNext queues scripted answers for the next API requests, in order.
func (e *Emulator) ReplyNext(replies ...Reply) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.replies = append(e.faults.replies, replies...)
}

// applyFaults serves a scripted reply or an injected fault and reports
// whether it answered the request.
func (e *Emulator) applyFaults(w http.ResponseWriter, _ *http.Request) bool {
	e.counters.apiRequests.Add(1)
	e.mu.Lock()
	f := &e.faults
	var (
		reply                            *Reply
		delay                            = f.Latency
		rateLimit, drop, malformed, fail bool
		retryAfter                       = f.RetryAfter
	)
	if f.LatencyMax > f.Latency {
		delay += time.Duration(rand.Int64N(int64(f.LatencyMax - f.Latency + 1))) //nolint:gosec // jitter, not security
	}
	switch {
	case len(f.replies) > 0:
		reply = &f.replies[0]
		f.replies = f.replies[1:]
	case f.DropNext > 0:
		f.DropNext--
		drop = true
	case f.RateLimitNext > 0:
		f.RateLimitNext--
		rateLimit = true
	case f.MalformedNext > 0:
		f.MalformedNext--
		malformed = true
	case f.ErrorRate > 0 && rand.Float64() < f.ErrorRate: //nolint:gosec // fault sampling, not security
		fail = true
	}
	e.mu.Unlock()

	if delay > 0 {
		time.Sleep(delay)
	}
	switch {
	case reply != nil:
		for k, vs := range reply.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		if reply.Body != nil || reply.Status < 300 {
			w.WriteHeader(reply.Status)
			_, _ = w.Write(reply.Body)
			return true
		}
		e.writeErrorAs(w, reply.Envelope, reply.Status, reply.Code, reply.Message)
	case drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case rateLimit:
		if retryAfter <= 0 {
			retryAfter = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.Header().Set("X-RateLimit-Limit", "60")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(e.now().Add(time.Duration(retryAfter)*time.Second).Unix(), 10))
		e.writeErrorAs(w, EnvelopeProblem, http.StatusTooManyRequests, "rate_limited", "Too many requests; retry after "+strconv.Itoa(retryAfter)+" s.")
	case malformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"success": true, "data": {"url": "https://`))
	case fail:
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Injected internal error.")
	default:
		return false
	}
	return true
}

// Counters are what the emulator has seen since it started.
type Counters struct {
	APIRequests, S3Requests int64
	// Connections counts accepted TCP connections on both sides.
	Connections int64
	// TLSHandshakes counts TLS handshakes (full or resumed) when TLS is on.
	TLSHandshakes int64
}

type counters struct {
	apiRequests, s3Requests, connections, tlsHandshakes atomic.Int64
}

func (c *counters) connState(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.connections.Add(1)
	}
}

// Counters returns a snapshot of the request and connection counters.
func (e *Emulator) Counters() Counters {
	return Counters{
		APIRequests:   e.counters.apiRequests.Load(),
		S3Requests:    e.counters.s3Requests.Load(),
		Connections:   e.counters.connections.Load(),
		TLSHandshakes: e.counters.tlsHandshakes.Load(),
	}
}
