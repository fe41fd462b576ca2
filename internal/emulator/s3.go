// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5" //nolint:gosec // S3's ETag is an MD5
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

const (
	amzDateFormat   = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// sign issues a presigned URL for the emulator's S3 side, as HostUp's API
// does: with the emulator's own key pair, at the emulator clock's time.
func (e *Emulator) sign(ctx context.Context, bucket, key, action, contentType string) (string, error) {
	p, err := e.signer.Presign(ctx, hostups3.PresignInput{
		Bucket: bucket, Key: key, Action: presignedurl.Action(action), ContentType: contentType,
		SignedAt: e.now(), Expires: e.expires(),
	})
	if err != nil {
		return "", err
	}
	return p.URL, nil
}

// s3Handler counts a request, injects the S3 faults set, and serves it
// as RGW would.
func (e *Emulator) s3Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := S3Operation(r)
		e.countS3(op)
		if e.injectS3Fault(w, r, op) {
			return
		}
		e.serveS3(w, r, op)
	})
}

// serveS3 accepts a request only when its signature verifies and its body
// matches its declared hash, then hands it to the object store.
func (e *Emulator) serveS3(w http.ResponseWriter, r *http.Request, op string) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	ew := &s3ErrorWriter{ResponseWriter: e.withCORS(w, r, bucket), r: r}
	defer ew.finish()
	if r.Method == http.MethodOptions {
		// A browser's preflight carries no signature.
		e.answerPreflight(ew, r, bucket)
		return
	}
	payload, refusal := e.verify(r)
	if refusal != nil && !r.URL.Query().Has("X-Amz-Signature") && e.anonymousRead(r, op, bucket, key) {
		// Public by the bucket's policy; RGW answers a missing key 403
		// all the same, as anonymous callers may not list.
		if obj, err := e.store.backend.HeadObject(bucket, key); err == nil && obj != nil {
			refusal, payload = nil, unsignedPayload
		}
	}
	if refusal != nil {
		// RGW answers a signed request whose signature does not verify
		// with no CORS headers, so a browser sees it as refused by CORS,
		// not as a 403 it can read; an anonymous refusal keeps them.
		signed := r.URL.Query().Has("X-Amz-Signature") || r.Header.Get("Authorization") != ""
		if cw, ok := ew.ResponseWriter.(*corsWriter); ok && signed {
			cw.set = nil
		}
		ew.refuse(refusal.status, refusal.code, refusal.reason)
		return
	}
	if refusal := checkPayload(r, payload, ew); refusal != nil {
		ew.refuse(refusal.status, refusal.code, refusal.reason)
		return
	}
	rewriteNullVersion(r)
	if r.Method == http.MethodPut || r.Method == http.MethodPost {
		hideHeaders(r.Header)
		if refusal := prepareTagging(r, op); refusal != nil {
			ew.refuse(refusal.status, refusal.code, refusal.reason)
			return
		}
	}
	if e.serveBucketConfig(ew, r, op, bucket) || e.serveObjectTagging(ew, r, op, bucket, key) {
		return
	}
	switch op {
	case OpCreateBucket:
		if e.bucketExists(bucket) {
			// RGW answers its owner's CreateBucket again 200, not 409.
			ew.WriteHeader(http.StatusOK)
			return
		}
	case OpCompleteMultipartUpload:
		// One completion at a time (gofakes3 completes one at a time
		// anyway), so the expected ETag is this completion's.
		e.completeMu.Lock()
		defer e.completeMu.Unlock()
		etag, refusal := readCompletion(r, ew)
		if refusal != nil {
			ew.refuse(refusal.status, refusal.code, refusal.reason)
			return
		}
		e.store.backend.expectMultipartETag(bucket, key, etag)
		defer e.store.backend.expectMultipartETag(bucket, key, "")
	case OpListMultipartUploads:
		// gofakes3 answers a bucket that never had a multipart upload 404
		// NoSuchUpload; RGW lists none.
		rec := httptest.NewRecorder()
		e.store.handler.ServeHTTP(rec, r)
		noneYet := rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), "NoSuchUpload") && e.bucketExists(bucket)
		if !noneYet {
			for k, v := range rec.Header() {
				ew.Header()[k] = v
			}
			ew.WriteHeader(rec.Code)
			_, _ = ew.Write(rec.Body.Bytes())
			return
		}
		ew.Header().Set("Content-Type", "application/xml")
		ew.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(ew, `%s<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>%s</Bucket>`+
			`<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`,
			xml.Header, bucket)
		return
	case OpGetObject, OpHeadObject:
		if e.answerNotModified(ew, r, bucket, key) {
			return
		}
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		ow := withResponseOverrides(ew, r.URL.Query())
		e.store.handler.ServeHTTP(ow, r)
		if !ow.wroteHeader { // a HEAD answered implicitly
			ow.WriteHeader(http.StatusOK)
		}
	} else {
		e.store.handler.ServeHTTP(ew, r)
		if ew.status == 0 { // answered implicitly: the headers must pass the writers
			ew.WriteHeader(http.StatusOK)
		}
	}
	switch {
	case op == OpCreateBucket && ew.status == http.StatusOK:
		e.bucketCreatedOverS3(bucket)
	case op == OpDeleteBucket && ew.status == http.StatusNoContent:
		e.bucketDeletedOverS3(bucket)
	}
}

// readCompletion reads a CompleteMultipartUpload body (small: at most
// 10,000 parts) and returns the ETag S3 gives the object,
// hex(MD5(MD5(part 1) || MD5(part 2) || ...))-N; gofakes3 then reads the
// same body again.
func readCompletion(r *http.Request, ew *s3ErrorWriter) (string, *s3Refusal) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		if ew.mismatched() {
			return "", &s3Refusal{http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256"}
		}
		return "", &s3Refusal{http.StatusBadRequest, "IncompleteBody", "reading the request body: " + err.Error()}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var in gofakes3.CompleteMultipartUploadRequest
	if xml.Unmarshal(body, &in) != nil || len(in.Parts) == 0 {
		return "", nil // gofakes3 answers it
	}
	sums := md5.New()
	for _, p := range in.Parts {
		b, err := hex.DecodeString(strings.Trim(p.ETag, `"`))
		if err != nil {
			return "", nil // not a part gofakes3 issued: it refuses the completion
		}
		sums.Write(b)
	}
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(sums.Sum(nil)), len(in.Parts)), nil
}

// answerNotModified answers 304 a conditional GET or HEAD of a multipart
// object whose ETag matches If-None-Match; gofakes3 would compare it with
// the body's MD5 instead.
func (e *Emulator) answerNotModified(w http.ResponseWriter, r *http.Request, bucket, key string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" || key == "" {
		return false
	}
	obj, err := e.store.backend.HeadObject(bucket, key)
	if err != nil || obj == nil {
		return false
	}
	if obj.Contents != nil {
		_ = obj.Contents.Close()
	}
	etag := obj.Metadata[etagHeader]
	if etag == "" {
		return false
	}
	if inm == etag || inm == "*" {
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	r.Header.Del("If-None-Match") // it does not match: gofakes3 must not compare it
	return false
}

// s3Refusal is an S3 error answer: status, code and the reason, which goes
// to the request log only (RGW's error documents have an empty Message).
type s3Refusal struct {
	status       int
	code, reason string
}

func refuse(code, reason string) *s3Refusal {
	status := http.StatusForbidden
	switch code {
	case "AuthorizationQueryParametersError", "AuthorizationHeaderMalformed", "InvalidRequest", "XAmzContentSHA256Mismatch":
		status = http.StatusBadRequest
	}
	return &s3Refusal{status: status, code: code, reason: reason}
}

// verify checks a request's signature, presigned (query) or header-signed
// (Authorization), and returns the payload hash it declares.
func (e *Emulator) verify(r *http.Request) (payload string, refusal *s3Refusal) {
	if r.Header.Get("Authorization") != "" {
		return e.verifyHeaderSigned(r) // an S3 client with a key pair
	}
	return e.verifyPresigned(r)
}

// verifyPresigned recomputes the request's SigV4 presigned signature and
// checks its expiry against the emulator clock. As on RGW (and unlike AWS
// S3), x-amz-* headers the URL does not sign are not refused: the store
// acts on them, so an upload URL's holder can add metadata, a canned ACL or
// a copy source (and copy any object the key pair can read).
func (e *Emulator) verifyPresigned(r *http.Request) (string, *s3Refusal) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", refuse("AuthorizationQueryParametersError", "the query string does not parse: "+err.Error())
	}
	if q.Get("X-Amz-Signature") == "" {
		return "", refuse("AccessDenied", "anonymous request: only signed requests are accepted")
	}
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return "", refuse("AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
	}
	cred := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(cred) != 5 || cred[3] != "s3" || cred[4] != "aws4_request" {
		return "", refuse("AuthorizationQueryParametersError", "error parsing the X-Amz-Credential parameter")
	}
	creds, ok := e.credentials(cred[0])
	if !ok {
		return "", refuse("InvalidAccessKeyId", "the access key id does not exist")
	}
	signedAt, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil || cred[1] != signedAt.Format("20060102") {
		return "", refuse("AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" and match the credential scope")
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires <= 0 || expires > presignedurl.MaxExpires {
		return "", refuse("AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds between 1 and 604800")
	}
	// Only the end of the window is checked: RGW sets no lower bound on
	// X-Amz-Date, so a URL signed in the future (a client clock running
	// ahead) works from now until its signing time plus its lifetime.
	if !e.now().Before(signedAt.Add(time.Duration(expires) * time.Second)) {
		return "", refuse("AccessDenied", "Request has expired")
	}
	signed, err := parseSignedHeaders(q.Get("X-Amz-SignedHeaders"))
	if err != nil {
		return "", refuse("AuthorizationQueryParametersError", err.Error())
	}
	// As RGW: the payload hash is the header's, signed or not; a presigned
	// request otherwise covers no payload.
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = unsignedPayload
	}
	if refusal := copyWithHashedBody(r, payload); refusal != nil {
		return "", refusal
	}
	matches := func(host string) (string, bool, error) {
		canonical, err := canonicalRequest(r, host, q, signed, payload)
		if err != nil {
			return "", false, err
		}
		want := signatureV4(creds.SecretAccessKey, cred[1], cred[2], q.Get("X-Amz-Date"), canonical)
		return canonical, hmac.Equal([]byte(want), []byte(q.Get("X-Amz-Signature"))), nil
	}
	canonical, ok, err := matches(r.Host)
	if err != nil {
		return "", refuse("SignatureDoesNotMatch", err.Error())
	}
	if !ok {
		// RGW tries a failed presigned signature once more with its
		// listener's port appended to Host (a compatibility fallback for
		// boto2, which signed host:port while sending Host without it).
		// It appends whatever Host holds, so a Host that has a port never
		// verifies this way; the error is the first attempt's.
		if port := listenerPort(r); port != "" {
			_, ok, _ = matches(r.Host + ":" + port)
		}
	}
	if !ok {
		return "", refuse("SignatureDoesNotMatch", "the signature does not match the canonical request "+strconv.Quote(redactCanonical(canonical)))
	}
	return payload, nil
}

// listenerPort is the port r arrived on, or "" when it is its scheme's
// default (RGW's fallback adds no :80 or :443) or unknown.
func listenerPort(r *http.Request) string {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return ""
	}
	_, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return ""
	}
	if (r.TLS == nil && port == "80") || (r.TLS != nil && port == "443") {
		return ""
	}
	return port
}

// copyWithHashedBody refuses a CopyObject that comes with a body and a
// payload hash other than UNSIGNED-PAYLOAD, as RGW Pacific does, before the
// signature is checked: it verifies a hashed body only for the operations
// that read one, and answers the others 501 NotImplemented, whether the
// hash is right or wrong. Without a body, or with UNSIGNED-PAYLOAD, the
// copy is made.
func copyWithHashedBody(r *http.Request, payload string) *s3Refusal {
	if r.ContentLength == 0 || payload == unsignedPayload || strings.HasPrefix(payload, "STREAMING-") || S3Operation(r) != OpCopyObject {
		return nil
	}
	return &s3Refusal{http.StatusNotImplemented, "NotImplemented", "a copy with a body declared by x-amz-content-sha256 (RGW verifies such bodies only for operations that read them)"}
}

// redactCanonical is a canonical request fit for the request log: the
// credential (an access key id) is masked.
func redactCanonical(c string) string {
	return credentialPattern.ReplaceAllString(c, "${1}***")
}

var credentialPattern = regexp.MustCompile(`(X-Amz-Credential=)[^&\n]*`)

// authorizationPattern reads a SigV4 Authorization header.
var authorizationPattern = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$`)

// verifyHeaderSigned checks a request signed in its Authorization header,
// as S3 clients sign with a key pair: the key pair, the date within 15
// minutes of the emulator clock either way, and the signature over the
// request as received, Host verbatim (RGW's port fallback is for presigned
// requests only). As on RGW, x-amz-* headers outside SignedHeaders are not
// refused: they are acted on.
func (e *Emulator) verifyHeaderSigned(r *http.Request) (string, *s3Refusal) {
	m := authorizationPattern.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "", refuse("AuthorizationHeaderMalformed", "the authorization header is malformed; only AWS4-HMAC-SHA256 is accepted")
	}
	cred := strings.Split(m[1], "/")
	if len(cred) != 5 || cred[3] != "s3" || cred[4] != "aws4_request" {
		return "", refuse("AuthorizationHeaderMalformed", "the authorization header's credential scope is malformed")
	}
	creds, ok := e.credentials(cred[0])
	if !ok {
		return "", refuse("InvalidAccessKeyId", "the access key id does not exist")
	}
	signedAt, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil || cred[1] != signedAt.Format("20060102") {
		return "", refuse("AccessDenied", "X-Amz-Date is missing or does not match the credential scope")
	}
	if d := e.now().Sub(signedAt); d > 15*time.Minute || d < -15*time.Minute {
		return "", refuse("RequestTimeTooSkewed", "the difference between the request time and the current time is too large")
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return "", refuse("InvalidRequest", "missing required header for this request: x-amz-content-sha256")
	}
	signed, err := parseSignedHeaders(m[2])
	if err != nil {
		return "", refuse("AuthorizationHeaderMalformed", err.Error())
	}
	if refusal := copyWithHashedBody(r, payload); refusal != nil {
		return "", refusal
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", refuse("SignatureDoesNotMatch", "the query string does not parse: "+err.Error())
	}
	canonical, err := canonicalRequest(r, r.Host, q, signed, payload)
	if err != nil {
		return "", refuse("SignatureDoesNotMatch", err.Error())
	}
	if want := signatureV4(creds.SecretAccessKey, cred[1], cred[2], r.Header.Get("X-Amz-Date"), canonical); !hmac.Equal([]byte(want), []byte(m[3])) {
		return "", refuse("SignatureDoesNotMatch", "the signature does not match the canonical request "+strconv.Quote(redactCanonical(canonical)))
	}
	return payload, nil
}

// responseOverrides are the query parameters S3 answers a GET with as
// headers, as signed into a download URL.
var responseOverrides = map[string]string{
	"response-content-disposition": "Content-Disposition",
	"response-content-type":        "Content-Type",
	"response-cache-control":       "Cache-Control",
	"response-content-language":    "Content-Language",
	"response-content-encoding":    "Content-Encoding",
	"response-expires":             "Expires",
}

// overrideWriter sets the overridden headers just before the answer goes out,
// after the object store set its own.
type overrideWriter struct {
	http.ResponseWriter
	set         http.Header
	wroteHeader bool
}

// hiddenHeaders are the object headers the object store does not keep,
// and the metadata keys the emulator keeps them under.
var hiddenHeaders = map[string]string{
	"Cache-Control":    "X-Amz-Meta-Emulator-Cache-Control",
	"Content-Language": "X-Amz-Meta-Emulator-Content-Language",
}

// hideHeaders moves a write's hidden headers to their metadata keys, which
// only the emulator may set.
func hideHeaders(h http.Header) {
	for header, meta := range hiddenHeaders {
		h.Del(meta)
		if v := h.Get(header); v != "" {
			h.Set(meta, v)
			h.Del(header)
		}
	}
}

func withResponseOverrides(w http.ResponseWriter, q url.Values) *overrideWriter {
	set := http.Header{}
	for param, header := range responseOverrides {
		if v := q.Get(param); v != "" {
			set.Set(header, v)
		}
	}
	return &overrideWriter{ResponseWriter: w, set: set}
}

func (o *overrideWriter) WriteHeader(status int) {
	if !o.wroteHeader {
		o.wroteHeader = true
		h := o.Header()
		if v := h.Get(etagHeader); v != "" {
			h.Set("ETag", v)
			h.Del(etagHeader)
		}
		// RGW sends metadata and the tag count in lower case.
		for k, v := range h {
			if strings.HasPrefix(k, "X-Amz-Meta-") || k == tagCountHeader {
				delete(h, k)
				h[strings.ToLower(k)] = v
			}
		}
		if status == http.StatusOK {
			for k, v := range o.set {
				h[k] = v
			}
		}
	}
	o.ResponseWriter.WriteHeader(status)
}

func (o *overrideWriter) Write(b []byte) (int, error) {
	if !o.wroteHeader {
		o.WriteHeader(http.StatusOK)
	}
	return o.ResponseWriter.Write(b)
}
