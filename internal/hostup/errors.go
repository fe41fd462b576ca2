// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// APIError is a non-2xx answer from the HostUp API. Both documented error
// shapes decode into it: the classic envelope (code, error, message) and the
// RFC 7807 problem document (type, title, detail, code, errors).
type APIError struct {
	StatusCode int
	// Code is the API's machine-readable code as sent (BAD_REQUEST,
	// unauthorized, ...); empty when the body carried none.
	Code string
	// Title is the short error name ("Bad Request"), from "error" or "title".
	Title string
	// Message is the human text, from "message" or "detail".
	Message string
	// RequestID identifies the request for HostUp support.
	RequestID string
	// Fields lists per-field problems from a problem document's "errors".
	Fields []FieldError
	// RetryAfter is the Retry-After header as sent, if any, and
	// RetryAfterWait the wait it asked for when it could be read (seconds or
	// an HTTP date), measured when the answer arrived.
	RetryAfter     string
	RetryAfterWait time.Duration
	// Documented is true when the body was one of HostUp's error documents.
	// A 404 or 403 without one comes from something that is not HostUp's
	// API, such as a wrong endpoint.
	Documented bool
	// Attempts is how many requests were made, retries included.
	Attempts int
}

// FieldError is one entry of a problem document's "errors" array.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
	Code    string `json:"code"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HostUp API returned HTTP %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if msg := e.Text(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request ID %s]", e.RequestID)
	}
	return b.String()
}

// Text is the best human-readable description the API gave: the message,
// then per-field details, falling back to the title and the status text.
func (e *APIError) Text() string {
	msg := e.Message
	for _, f := range e.Fields {
		part := f.Detail
		if f.Pointer != "" {
			part = f.Pointer + ": " + part
		}
		if part == "" {
			continue
		}
		if msg != "" {
			msg += "; "
		}
		msg += part
	}
	if msg == "" {
		msg = e.Title
	}
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return msg
}

// ResponseError is a response the client could not use: not JSON, too large,
// "success": false, or missing a field that must be present. It never quotes
// the body, which may hold a credential.
type ResponseError struct {
	StatusCode int
	RequestID  string
	Reason     string
	Attempts   int
}

func (e *ResponseError) Error() string {
	s := fmt.Sprintf("unusable response from the HostUp API (HTTP %d): %s", e.StatusCode, e.Reason)
	if e.RequestID != "" {
		s += fmt.Sprintf(" [request ID %s]", e.RequestID)
	}
	return s
}

// RequestError is a failure to reach the API or read its answer.
type RequestError struct {
	Endpoint string
	Err      error
	Attempts int
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("could not reach the HostUp API at %s: %v", e.Endpoint, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// RedirectError is a 3xx answer. The client never follows one: doing so
// would send the API key wherever the answer points.
type RedirectError struct {
	StatusCode int
	// Endpoint is the API base URL the request went to.
	Endpoint string
	// Target is the redirect's scheme and host only (its path and query may
	// carry anything); empty when the answer named no absolute location.
	Target   string
	Attempts int
}

func (e *RedirectError) Error() string {
	to := "no usable location"
	if e.Target != "" {
		to = e.Target
	}
	return fmt.Sprintf("the HostUp API at %s answered HTTP %d, a redirect to %s; redirects are never followed, so the API key is not sent elsewhere", e.Endpoint, e.StatusCode, to)
}

// errorBody is the union of both documented error shapes. Fields that differ
// in type between shapes ("status") are left out: the HTTP status is used.
type errorBody struct {
	Code      string       `json:"code"`
	Error     string       `json:"error"`
	Message   string       `json:"message"`
	Title     string       `json:"title"`
	Detail    string       `json:"detail"`
	RequestID string       `json:"requestId"`
	Errors    []FieldError `json:"errors"`
}

// decodeAPIError turns any non-2xx response into an *APIError, using whatever
// the body offers and the status alone when the body is not an error document.
func decodeAPIError(status int, header http.Header, raw []byte, now time.Time) *APIError {
	e := &APIError{StatusCode: status, RetryAfter: header.Get("Retry-After")}
	if d, ok := parseRetryAfter(e.RetryAfter, now); ok {
		e.RetryAfterWait = min(d, MaxRetryAfter)
	}
	var body errorBody
	if json.Unmarshal(raw, &body) != nil {
		// Not JSON (a proxy's HTML page, say): the status is all there is.
		return e
	}
	e.Documented = body.Code != "" || body.Error != "" || body.Message != "" || body.Title != "" || body.Detail != ""
	// Error texts end up in diagnostics; invalid UTF-8 would be mangled.
	e.Code = strings.ToValidUTF8(body.Code, "?")
	e.Title = strings.ToValidUTF8(firstNonEmpty(body.Title, body.Error), "?")
	e.Message = strings.ToValidUTF8(firstNonEmpty(body.Message, body.Detail), "?")
	e.RequestID = strings.ToValidUTF8(body.RequestID, "?")
	e.Fields = body.Errors
	return e
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// NotFound reports whether err is the API's documented 404: the bucket or
// key pair does not exist.
func NotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.Documented
}

// Conflict reports whether err is the API's 409: the name is taken.
func Conflict(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict
}

// Ambiguous reports whether a failed call may have been carried out anyway:
// the answer was lost or unusable, or the API failed while handling it.
func Ambiguous(err error) bool {
	var (
		respErr *ResponseError
		reqErr  *RequestError
		apiErr  *APIError
	)
	return errors.As(err, &respErr) || errors.As(err, &reqErr) || (errors.As(err, &apiErr) && apiErr.StatusCode >= 500)
}
