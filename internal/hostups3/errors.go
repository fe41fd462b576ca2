// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/hostup/terraform-provider-hostup/internal/transport"
)

// Error is an S3 answer that is an error: its HTTP status, the S3 code
// (NoSuchBucket, SignatureDoesNotMatch, ...), the message (Ceph RGW sends an
// empty one: Text fills in what the code means) and the request ID.
type Error struct {
	Operation  string
	StatusCode int
	// Code is S3's error code; empty for an answer with no error document
	// (any HEAD, or a server that is not S3).
	Code    string
	Message string
	// RequestID is the x-amz-request-id of the answer; empty when the
	// server sent none, which S3 servers always do.
	RequestID string
	Attempts  int
	Err       error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "S3 %s returned HTTP %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	b.WriteString(": ")
	b.WriteString(e.Text())
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request ID %s]", e.RequestID)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Text is the server's message, or, when it sent none (Ceph RGW never
// does), what the code means.
func (e *Error) Text() string {
	if m := strings.TrimSpace(e.Message); m != "" {
		return m
	}
	if m, ok := codeMeanings[e.Code]; ok {
		return m
	}
	if t := http.StatusText(e.StatusCode); t != "" {
		return t
	}
	return "no message"
}

// FromS3 reports whether the answer came from an S3 server: it carried an S3
// error code or an x-amz-request-id. A 401 or 404 without either comes from
// something else, such as HostUp's API set as the S3 endpoint.
func (e *Error) FromS3() bool { return e.Code != "" || e.RequestID != "" }

// codeMeanings says what S3's error codes mean, for servers that send the
// code alone.
var codeMeanings = map[string]string{
	"AccessDenied":                 "Access denied: the key pair has no access to this bucket or object",
	"AccountProblem":               "The account behind the key pair cannot be used",
	"BadDigest":                    "The body does not match the Content-MD5 sent with it",
	"BucketAlreadyExists":          "A bucket with this name already exists (names are shared by every account)",
	"BucketAlreadyOwnedByYou":      "The bucket already exists and belongs to this account",
	"BucketNotEmpty":               "The bucket is not empty",
	"EntityTooLarge":               "The object is larger than the server accepts",
	"EntityTooSmall":               "A part of a multipart upload is smaller than the server accepts",
	"InternalError":                "The server failed while handling the request",
	"InvalidAccessKeyId":           "The access key ID does not exist on this server (deleted, or from another server)",
	"InvalidArgument":              "The server refused an argument of the request",
	"InvalidBucketName":            "The bucket name is not valid on this server",
	"InvalidDigest":                "The Content-MD5 sent is not valid",
	"InvalidPart":                  "A part of the multipart upload could not be found",
	"InvalidRange":                 "The requested range cannot be satisfied",
	"InvalidRequest":               "The server refused the request as invalid",
	"MalformedXML":                 "The server could not read the XML sent",
	"MethodNotAllowed":             "The server does not allow this operation here",
	"MissingContentLength":         "The request has no Content-Length",
	"NoSuchBucket":                 "The bucket does not exist",
	"NoSuchKey":                    "The object does not exist",
	"NoSuchUpload":                 "The multipart upload does not exist (completed or aborted)",
	"NoSuchBucketPolicy":           "The bucket has no policy",
	"NoSuchCORSConfiguration":      "The bucket has no CORS configuration",
	"NoSuchLifecycleConfiguration": "The bucket has no lifecycle configuration",
	"NotImplemented":               "The server does not implement this operation",
	"PreconditionFailed":           "A condition of the request (If-Match, If-None-Match) does not hold",
	"QuotaExceeded":                "The account's storage quota is used up",
	"RequestTimeTooSkewed":         "The machine's clock differs too much from the server's: correct the clock",
	"RequestTimeout":               "The server gave up waiting for the request body",
	"ServiceUnavailable":           "The server is unavailable",
	"SignatureDoesNotMatch":        "The signature does not match: the secret access key does not belong to the access key ID, or something changed the request after it was signed",
	"SlowDown":                     "The server asks to slow down",
	"TooManyBuckets":               "The account has as many buckets as it may",
	"XAmzContentSHA256Mismatch":    "The body does not match the SHA-256 its request declared",
}

// RequestError is a failure to reach the S3 endpoint or read its answer.
type RequestError struct {
	Operation string
	// Endpoint is the S3 endpoint, without anything that may hold a secret.
	Endpoint string
	Err      error
	Attempts int
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("could not reach HostUp's S3 endpoint at %s (%s): %v", e.Endpoint, e.Operation, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// CertificateProblem reports whether the endpoint's TLS certificate is not
// trusted by this machine.
func (e *RequestError) CertificateProblem() bool { return transport.CertificateProblem(e.Err) }

// UnresolvedHost reports whether the endpoint's host name does not resolve.
func (e *RequestError) UnresolvedHost() bool { return transport.UnresolvedHost(e.Err) }

// typedError turns an SDK error into *Error or *RequestError; the error of
// a call whose context ended stays what it is.
func typedError(ctx context.Context, op, endpoint string, err error, attempts int) error {
	if err == nil {
		return nil
	}
	var (
		se     *Error
		re     *RequestError
		resp   *awshttp.ResponseError
		apiErr smithy.APIError
	)
	if errors.As(err, &se) || errors.As(err, &re) {
		return err // already typed, by an inner call
	}
	if errors.As(err, &resp) && resp.HTTPStatusCode() != 0 {
		out := &Error{Operation: op, StatusCode: resp.HTTPStatusCode(), RequestID: resp.ServiceRequestID(), Attempts: attempts, Err: err}
		if errors.As(err, &apiErr) {
			out.Code, out.Message = apiErr.ErrorCode(), apiErr.ErrorMessage()
			// A HEAD answer has no body, nor has an error that is not S3's an
			// S3 error document: the SDK then names the status ("NotFound",
			// "Forbidden"), a code no server sent.
			synthesized := strings.ReplaceAll(http.StatusText(out.StatusCode), " ", "") == out.Code
			if synthesized && (strings.HasPrefix(op, "Head") || out.RequestID == "") {
				out.Code = ""
			}
			// "UnknownError" is the SDK's stand-in for an empty message.
			if out.Message == http.StatusText(out.StatusCode) || out.Message == "UnknownError" {
				out.Message = ""
			}
		}
		return out
	}
	if ctx.Err() != nil {
		return err
	}
	shown := endpoint
	if u, perr := url.Parse(endpoint); perr == nil {
		shown = transport.RedactURL(u)
	}
	return &RequestError{Operation: op, Endpoint: shown, Err: innermost(err), Attempts: attempts}
}

// innermost drops the SDK's wrapping ("operation error S3: PutObject,
// exceeded maximum number of attempts, 3, https response error ..."), which
// repeats what RequestError says.
func innermost(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// NotFound reports whether err says the object or bucket does not exist.
func NotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound && (e.Code == "" || e.Code == "NoSuchKey" || e.Code == "NoSuchBucket") && e.FromS3()
}

// NoSuchBucket reports whether err says the bucket does not exist.
func NoSuchBucket(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "NoSuchBucket"
}

// NotImplemented reports whether the server does not offer the operation:
// 501 NotImplemented or 405 MethodNotAllowed.
func NotImplemented(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.StatusCode == http.StatusNotImplemented || e.Code == "NotImplemented" ||
		e.StatusCode == http.StatusMethodNotAllowed || e.Code == "MethodNotAllowed")
}

// NoSuchCORSConfiguration reports whether err says the bucket has no CORS
// configuration.
func NoSuchCORSConfiguration(err error) bool { return hasCode(err, "NoSuchCORSConfiguration") }

// NoSuchLifecycleConfiguration reports whether err says the bucket has no
// lifecycle configuration.
func NoSuchLifecycleConfiguration(err error) bool {
	return hasCode(err, "NoSuchLifecycleConfiguration")
}

// NoSuchBucketPolicy reports whether err says the bucket has no policy.
func NoSuchBucketPolicy(err error) bool { return hasCode(err, "NoSuchBucketPolicy") }

// NoSuchConfiguration reports whether err says the bucket has no
// configuration of the kind asked for: no CORS rules, lifecycle rules or
// policy. It is false for a bucket that does not exist.
func NoSuchConfiguration(err error) bool {
	return NoSuchCORSConfiguration(err) || NoSuchLifecycleConfiguration(err) || NoSuchBucketPolicy(err)
}

func hasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
