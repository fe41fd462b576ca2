// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"math/rand/v2"
	"net/http"
	"strconv"
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
	// RateLimitRate answers this fraction of requests (0..1) 429 with
	// Retry-After.
	RateLimitRate float64
	// ErrorRate answers this fraction of requests (0..1) with ErrorStatus.
	ErrorRate float64
	// ErrorStatus is the status of ErrorRate answers (default 500).
	ErrorStatus int
	// DropRate closes this fraction of connections (0..1) without answering.
	DropRate float64
	// DropNext closes the connection without answering the next N requests.
	DropNext int
	// MalformedNext answers the next N requests 200 with a body that is not JSON.
	MalformedNext int
	// MaxConsecutive, when above 0, bounds how many times in a row the rate
	// faults (RateLimitRate, ErrorRate, DropRate) hit the same request (same
	// method, path and body): the next attempt passes. It models an API that
	// is flaky, not down, so a client with that many retries always succeeds.
	MaxConsecutive int
}

// DelayHeader carries the latency injected into an answer, in milliseconds.
const DelayHeader = "X-Emulator-Delay-Ms"

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
	streak  map[string]int // consecutive rate faults per request identity
}

// SetFaults replaces the injected faults.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.Faults = f
	e.faults.streak = nil
}

// ReplyNext queues scripted answers for the next API requests, in order.
func (e *Emulator) ReplyNext(replies ...Reply) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults.replies = append(e.faults.replies, replies...)
}

// applyFaults serves a scripted reply or an injected fault and reports
// whether it answered the request.
func (e *Emulator) applyFaults(w http.ResponseWriter, r *http.Request, body []byte) bool {
	e.counters.apiRequests.Add(1)
	e.mu.Lock()
	f := &e.faults
	var (
		reply                            *Reply
		delay                            = f.Latency
		rateLimit, drop, malformed, fail bool
		retryAfter                       = f.RetryAfter
		errStatus                        = f.ErrorStatus
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
	default:
		rateLimit, fail, drop = f.sampleRates(r.Method + " " + r.URL.EscapedPath() + " " + string(body))
	}
	e.mu.Unlock()

	if delay > 0 {
		// Says what was injected, so tests need not time the answer.
		w.Header().Set(DelayHeader, strconv.FormatInt(delay.Milliseconds(), 10))
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
		if errStatus == 0 {
			errStatus = http.StatusInternalServerError
		}
		e.writeError(w, errStatus, "INTERNAL_ERROR", "Injected "+http.StatusText(errStatus)+".")
	default:
		return false
	}
	return true
}

// sampleRates draws one of the rate faults for a request, honouring
// MaxConsecutive. The caller holds the emulator's lock.
func (f *faultState) sampleRates(identity string) (rateLimit, fail, drop bool) {
	if f.RateLimitRate == 0 && f.ErrorRate == 0 && f.DropRate == 0 {
		return false, false, false
	}
	if f.streak == nil {
		f.streak = map[string]int{}
	}
	if f.MaxConsecutive > 0 && f.streak[identity] >= f.MaxConsecutive {
		delete(f.streak, identity)
		return false, false, false
	}
	x := rand.Float64() //nolint:gosec // fault sampling, not security
	switch {
	case x < f.RateLimitRate:
		rateLimit = true
	case x < f.RateLimitRate+f.ErrorRate:
		fail = true
	case x < f.RateLimitRate+f.ErrorRate+f.DropRate:
		drop = true
	default:
		delete(f.streak, identity)
		return false, false, false
	}
	f.streak[identity]++
	return rateLimit, fail, drop
}
