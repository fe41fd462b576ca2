// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"sync/atomic"
)

// s3Error is RGW's error document. Message is always empty, as every RGW
// error's is, so clients are tested against that; the reason goes to the
// request log.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource"`
	RequestID string   `xml:"RequestId"`
}

var requestIDs atomic.Uint64

// writeS3Error answers an S3 error as RGW does, and notes the reason for
// the request log.
func writeS3Error(w http.ResponseWriter, r *http.Request, status int, code, reason string) {
	noteReason(r, code, reason)
	h := w.Header()
	id := h.Get("X-Amz-Request-Id")
	if id == "" {
		id = fmt.Sprintf("tx%021x-default", requestIDs.Add(1))
		h.Set("X-Amz-Request-Id", id)
	}
	h.Del("Content-Length")
	h.Del(etagHeader)
	h.Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	b, _ := xml.Marshal(s3Error{Code: code, Resource: r.URL.Path, RequestID: id})
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}

// s3ErrorWriter passes successful answers through and holds back error
// answers (gofakes3's, with its messages) to answer them RGW's way in
// finish.
type s3ErrorWriter struct {
	http.ResponseWriter
	r        *http.Request
	status   int
	held     bool
	answered bool
	buf      bytes.Buffer
	payload  *payloadVerifier
}

func (w *s3ErrorWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if status >= 400 {
		w.held = true
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *s3ErrorWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.held {
		if w.buf.Len() < 64<<10 {
			w.buf.Write(b)
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// refuse answers an error now, unless an answer has begun.
func (w *s3ErrorWriter) refuse(status int, code, reason string) {
	if w.status != 0 {
		return
	}
	w.status, w.answered = status, true
	writeS3Error(w.ResponseWriter, w.r, status, code, reason)
}

func (w *s3ErrorWriter) mismatched() bool { return w.payload != nil && w.payload.mismatched.Load() }

// finish answers a held error: gofakes3's code (XAmzContentSHA256Mismatch
// when the body failed its hash, whatever gofakes3 made of the read
// error), an empty message.
func (w *s3ErrorWriter) finish() {
	if !w.held || w.answered {
		return
	}
	w.answered = true
	var doc struct{ Code, Message string }
	_ = xml.Unmarshal(w.buf.Bytes(), &doc)
	status, code, reason := w.status, doc.Code, doc.Message
	if w.mismatched() {
		status, code, reason = http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256"
	}
	if code == "" {
		code = codeForStatus(status)
	}
	writeS3Error(w.ResponseWriter, w.r, status, code, reason)
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusNotFound:
		return "NoSuchKey"
	case http.StatusForbidden:
		return "AccessDenied"
	case http.StatusConflict:
		return "Conflict"
	case http.StatusPreconditionFailed:
		return "PreconditionFailed"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusBadRequest:
		return "InvalidRequest"
	default:
		return "InternalError"
	}
}

const (
	streamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	emptySHA256            = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

var errPayloadMismatch = errors.New("emulator: the body does not match x-amz-content-sha256")

// checkPayload holds the body to its declared hash, as RGW Pacific does:
// UNSIGNED-PAYLOAD is not checked, signed aws-chunked bodies are decoded by
// gofakes3, and any other value is a SHA-256 the body must have. So the
// trailer variants new SDKs send on https (STREAMING-UNSIGNED-PAYLOAD-
// TRAILER) never match, which is Pacific's answer to them.
func checkPayload(r *http.Request, payload string, ew *s3ErrorWriter) *s3Refusal {
	switch payload {
	case "", unsignedPayload, streamingSignedPayload:
		return nil
	}
	if len(payload) != 64 || !isLowerHex(payload) {
		return &s3Refusal{http.StatusBadRequest, "XAmzContentSHA256Mismatch", fmt.Sprintf("x-amz-content-sha256 %q is not a SHA-256 (RGW 16.2 reads no aws-chunked trailers)", payload)}
	}
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		if payload != emptySHA256 {
			return &s3Refusal{http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the empty body does not match x-amz-content-sha256"}
		}
		return nil
	}
	v := &payloadVerifier{body: r.Body, want: payload, h: sha256.New(), left: r.ContentLength}
	r.Body = v
	ew.payload = v
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// payloadVerifier hashes a body as it streams. When the last byte arrives
// and the hash is wrong, it withholds that last read and fails instead:
// the store then never sees a complete body (io.ReadFull would otherwise
// drop an error that comes with the final bytes), so nothing is stored.
type payloadVerifier struct {
	body       io.ReadCloser
	want       string
	h          hash.Hash
	left       int64 // bytes still to come; negative when the length is unknown
	checked    bool
	err        error
	mismatched atomic.Bool
}

func (v *payloadVerifier) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.body.Read(p)
	v.h.Write(p[:n])
	if v.left > 0 {
		v.left -= int64(n)
	}
	if !v.checked && (v.left == 0 || errors.Is(err, io.EOF)) {
		v.checked = true
		if hex.EncodeToString(v.h.Sum(nil)) != v.want {
			v.mismatched.Store(true)
			v.err = errPayloadMismatch
			return 0, v.err
		}
	}
	return n, err
}

func (v *payloadVerifier) Close() error { return v.body.Close() }
