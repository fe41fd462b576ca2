// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

// Hijack lets injected connection drops through; the line then shows 0.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("emulator: connection cannot be hijacked")
	}
	return hj.Hijack()
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// logRequests writes one line per request to Options.RequestLog: time, side,
// method, path and query with signatures masked, status and duration. It
// never writes headers, so the API key stays out.
func (e *Emulator) logRequests(side string, next http.Handler) http.Handler {
	if e.opts.RequestLog == nil {
		return next
	}
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		note := &requestNote{}
		r = r.WithContext(context.WithValue(r.Context(), requestNoteKey{}, note))
		next.ServeHTTP(rec, r)
		target := r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			target += "?" + presignedurl.SecretPattern.ReplaceAllString(r.URL.RawQuery, "${1}***")
		}
		mu.Lock()
		defer mu.Unlock()
		reason := note.get()
		if reason != "" {
			reason = " " + reason
		}
		_, _ = fmt.Fprintf(e.opts.RequestLog, "%s %s %s %s %d %s%s\n", e.now().UTC().Format(time.RFC3339), side, r.Method, target,
			rec.status, time.Since(start).Round(time.Millisecond), reason)
	})
}

// requestNote carries why a request was refused to its log line: S3 error
// documents say nothing (RGW's Message is empty), the log says why.
type requestNote struct {
	mu     sync.Mutex
	reason string
}

type requestNoteKey struct{}

func (n *requestNote) get() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.reason
}

// noteReason records an answer's error code and reason for the request
// log, when there is one.
func noteReason(r *http.Request, code, reason string) {
	n, ok := r.Context().Value(requestNoteKey{}).(*requestNote)
	if !ok {
		return
	}
	line := code
	if reason != "" && reason != code {
		line += ": " + reason
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reason = line
}
