// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/tls"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// S3 operations, as S3Operation names them (the S3 API's action names).
const (
	OpListBuckets             = "ListBuckets"
	OpCreateBucket            = "CreateBucket"
	OpDeleteBucket            = "DeleteBucket"
	OpHeadBucket              = "HeadBucket"
	OpListObjects             = "ListObjects"
	OpListObjectsV2           = "ListObjectsV2"
	OpListObjectVersions      = "ListObjectVersions"
	OpDeleteObjects           = "DeleteObjects"
	OpPostObject              = "PostObject"
	OpGetObject               = "GetObject"
	OpHeadObject              = "HeadObject"
	OpPutObject               = "PutObject"
	OpCopyObject              = "CopyObject"
	OpDeleteObject            = "DeleteObject"
	OpCreateMultipartUpload   = "CreateMultipartUpload"
	OpUploadPart              = "UploadPart"
	OpUploadPartCopy          = "UploadPartCopy"
	OpCompleteMultipartUpload = "CompleteMultipartUpload"
	OpAbortMultipartUpload    = "AbortMultipartUpload"
	OpListParts               = "ListParts"
	OpListMultipartUploads    = "ListMultipartUploads"
	OpGetObjectTagging        = "GetObjectTagging"
	OpPutObjectTagging        = "PutObjectTagging"
	OpDeleteObjectTagging     = "DeleteObjectTagging"
	// OpPreflight is a browser's CORS preflight (OPTIONS), which S3 names
	// no action.
	OpPreflight = "Preflight"
	OpUnknown   = "Unknown"
)

// bucketSubresources name bucket operations by their query parameter:
// ?cors on GET is GetBucketCors.
var bucketSubresources = map[string]string{
	"acl": "Acl", "cors": "Cors", "encryption": "Encryption", "lifecycle": "Lifecycle", "location": "Location",
	"policy": "Policy", "policyStatus": "PolicyStatus", "publicAccessBlock": "PublicAccessBlock",
	"tagging": "Tagging", "versioning": "Versioning", "website": "Website", "object-lock": "ObjectLockConfiguration",
}

// S3Operation classifies a path-style S3 request by method, path and query,
// with the S3 API's action names (OpPutObject, OpUploadPart...): what
// S3Faults.Operations and S3Requests use.
func S3Operation(r *http.Request) string {
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	copySource := r.Header.Get("X-Amz-Copy-Source") != ""
	switch {
	case r.Method == http.MethodOptions:
		return OpPreflight
	case bucket == "":
		if r.Method == http.MethodGet {
			return OpListBuckets
		}
	case key == "":
		for param, name := range bucketSubresources {
			if !has(param) {
				continue
			}
			switch r.Method {
			case http.MethodGet:
				if param == "location" {
					return "GetBucketLocation"
				}
				return "GetBucket" + name
			case http.MethodPut:
				return "PutBucket" + name
			case http.MethodDelete:
				return "DeleteBucket" + name
			}
		}
		switch r.Method {
		case http.MethodGet:
			switch {
			case has("versions"):
				return OpListObjectVersions
			case has("uploads"):
				return OpListMultipartUploads
			case q.Get("list-type") == "2":
				return OpListObjectsV2
			}
			return OpListObjects
		case http.MethodPut:
			return OpCreateBucket
		case http.MethodDelete:
			return OpDeleteBucket
		case http.MethodHead:
			return OpHeadBucket
		case http.MethodPost:
			if has("delete") {
				return OpDeleteObjects
			}
			return OpPostObject
		}
	case has("uploadId"):
		switch r.Method {
		case http.MethodGet:
			return OpListParts
		case http.MethodPut:
			if copySource {
				return OpUploadPartCopy
			}
			return OpUploadPart
		case http.MethodPost:
			return OpCompleteMultipartUpload
		case http.MethodDelete:
			return OpAbortMultipartUpload
		}
	case has("uploads"):
		if r.Method == http.MethodPost {
			return OpCreateMultipartUpload
		}
	case has("tagging"):
		switch r.Method {
		case http.MethodGet:
			return OpGetObjectTagging
		case http.MethodPut:
			return OpPutObjectTagging
		case http.MethodDelete:
			return OpDeleteObjectTagging
		}
	default:
		switch r.Method {
		case http.MethodGet:
			return OpGetObject
		case http.MethodHead:
			return OpHeadObject
		case http.MethodPut:
			if copySource {
				return OpCopyObject
			}
			return OpPutObject
		case http.MethodDelete:
			return OpDeleteObject
		}
	}
	return OpUnknown
}

// S3Faults are failures the S3 side injects, all off by default. Rates are
// fractions of requests (0..1), drawn in the order the fields come; Next
// counters fail the next N requests (of Operations, when set), before any
// rate.
type S3Faults struct {
	// Operations limits the faults to these operations (S3Operation's
	// names, such as OpCompleteMultipartUpload); empty means all.
	Operations []string
	// DropRate and DropNext close the connection before the request is
	// read or processed.
	DropRate float64
	DropNext int
	// ResetRate and ResetNext read part of the request body (ResetAfter
	// bytes; 0 means half its declared length, at least 1 byte), then reset
	// the connection (TCP RST): nothing is stored.
	ResetRate  float64
	ResetNext  int
	ResetAfter int64
	// SlowDownRate and SlowDownNext answer 503 SlowDown.
	SlowDownRate float64
	SlowDownNext int
	// InternalErrorRate and InternalErrorNext answer 500 InternalError.
	InternalErrorRate float64
	InternalErrorNext int
	// RetryAfter, above 0, is sent as Retry-After (seconds) with SlowDown
	// and InternalError answers.
	RetryAfter int
	// LostAnswerRate and LostAnswerNext process the request (an upload is
	// stored, a multipart upload completed), then close the connection
	// without answering.
	LostAnswerRate float64
	LostAnswerNext int
	// MaxConsecutive, above 0, bounds how many times in a row the rate
	// faults hit the same request (method, path and query without the
	// signature): the next attempt passes, so a client with that many
	// retries always succeeds.
	MaxConsecutive int
}

type s3FaultKind int

const (
	s3NoFault s3FaultKind = iota
	s3Drop
	s3Reset
	s3SlowDown
	s3InternalError
	s3LostAnswer
)

type s3FaultState struct {
	S3Faults
	streak map[string]int
}

// SetS3Faults replaces the S3 side's injected faults.
func (e *Emulator) SetS3Faults(f S3Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.s3faults = s3FaultState{S3Faults: f}
}

// S3Requests counts the S3 requests received so far by operation
// (S3Operation's names), refused and faulted ones included.
func (e *Emulator) S3Requests() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.s3Counts))
	for k, v := range e.s3Counts {
		out[k] = v
	}
	return out
}

func (e *Emulator) countS3(op string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.s3Counts == nil {
		e.s3Counts = map[string]int{}
	}
	e.s3Counts[op]++
}

// s3Identity is what makes retries of one request the same request: a
// retry is signed again, so the signature is left out.
func s3Identity(r *http.Request) string {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	for _, k := range authQueryParams {
		q.Del(k)
	}
	return r.Method + " " + r.URL.EscapedPath() + "?" + q.Encode()
}

// authQueryParams are a presigned URL's signature parameters.
var authQueryParams = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"}

func (e *Emulator) drawS3Fault(r *http.Request, op string) (kind s3FaultKind, f S3Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := &e.s3faults
	if len(s.Operations) > 0 && !slices.Contains(s.Operations, op) {
		return s3NoFault, s.S3Faults
	}
	for _, next := range []struct {
		n    *int
		kind s3FaultKind
	}{{&s.DropNext, s3Drop}, {&s.ResetNext, s3Reset}, {&s.SlowDownNext, s3SlowDown}, {&s.InternalErrorNext, s3InternalError}, {&s.LostAnswerNext, s3LostAnswer}} {
		if *next.n > 0 {
			*next.n--
			return next.kind, s.S3Faults
		}
	}
	rates := []float64{s.DropRate, s.ResetRate, s.SlowDownRate, s.InternalErrorRate, s.LostAnswerRate}
	if slices.Max(rates) == 0 {
		return s3NoFault, s.S3Faults
	}
	id := s3Identity(r)
	if s.streak == nil {
		s.streak = map[string]int{}
	}
	if s.MaxConsecutive > 0 && s.streak[id] >= s.MaxConsecutive {
		delete(s.streak, id)
		return s3NoFault, s.S3Faults
	}
	x, sum := rand.Float64(), 0.0 //nolint:gosec // fault sampling, not security
	for i, rate := range rates {
		sum += rate
		if x < sum {
			s.streak[id]++
			return s3FaultKind(i + 1), s.S3Faults
		}
	}
	delete(s.streak, id)
	return s3NoFault, s.S3Faults
}

// injectS3Fault applies a drawn fault and reports whether it took the
// request over.
func (e *Emulator) injectS3Fault(w http.ResponseWriter, r *http.Request, op string) bool {
	kind, f := e.drawS3Fault(r, op)
	switch kind {
	case s3NoFault:
		return false
	case s3Drop:
		noteReason(r, "injected fault", "connection dropped before the request was processed")
		closeConnection(w, false)
	case s3Reset:
		n := f.ResetAfter
		if n <= 0 {
			n = max(r.ContentLength/2, 1)
		}
		_, _ = io.CopyN(io.Discard, r.Body, n)
		noteReason(r, "injected fault", "connection reset after "+strconv.FormatInt(n, 10)+" bytes of the body")
		closeConnection(w, true)
	case s3SlowDown, s3InternalError:
		status, code := http.StatusServiceUnavailable, "SlowDown"
		if kind == s3InternalError {
			status, code = http.StatusInternalServerError, "InternalError"
		}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		writeS3Error(w, r, status, code, "injected fault")
	case s3LostAnswer:
		e.serveS3(&discardWriter{header: http.Header{}}, r, op)
		noteReason(r, "injected fault", "request processed, answer lost")
		closeConnection(w, false)
	}
	return true
}

// closeConnection closes the client's connection without an answer; with
// reset, as a TCP RST (no linger), the way a crashed peer or a middlebox
// ends it.
func closeConnection(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if reset {
		raw := conn
		if tc, ok := raw.(*tls.Conn); ok {
			raw = tc.NetConn()
		}
		if tcp, ok := raw.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
	}
	_ = conn.SetDeadline(time.Now())
	_ = conn.Close()
}

// discardWriter takes an answer nobody will receive.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
