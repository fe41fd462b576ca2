// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"crypto/hmac"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/uuid"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

const (
	amzDateFormat   = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// signer is the SigV4 signer S3 uses: S3 paths are not escaped twice.
func newSigner() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
}

// sign issues a presigned URL for the emulator's S3 side, as HostUp's API
// does: with the emulator's own key pair, at the emulator clock's time.
func (e *Emulator) sign(ctx context.Context, bucket, key, action, contentType string) (string, error) {
	p, err := e.signer.Presign(ctx, hostups3.PresignInput{
		Bucket: bucket, Key: key, Action: hostups3.Action(action), ContentType: contentType,
		SignedAt: e.now(), Expires: e.expires(),
	})
	if err != nil {
		return "", err
	}
	return p.URL, nil
}

// s3Handler accepts a request only when its presigned signature verifies,
// then hands it to the object store.
func (e *Emulator) s3Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		verify := e.verifyPresigned
		if r.Header.Get("Authorization") != "" {
			verify = e.verifyHeaderSigned // an S3 client with a key pair
		}
		if code, msg := verify(r); code != "" {
			status := http.StatusForbidden
			if code == "AuthorizationQueryParametersError" {
				status = http.StatusBadRequest
			}
			writeS3Error(w, status, code, msg, r.URL.Path)
			return
		}
		// The object store keeps no Cache-Control: carry it as metadata.
		if v := r.Header.Get("Cache-Control"); v != "" && (r.Method == http.MethodPut || r.Method == http.MethodPost) {
			r.Header.Set(cacheControlMeta, v)
			r.Header.Del("Cache-Control")
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			ow := withResponseOverrides(w, r.URL.Query())
			e.store.handler.ServeHTTP(ow, r)
			if !ow.wroteHeader { // a HEAD answered implicitly
				ow.WriteHeader(http.StatusOK)
			}
			return
		}
		e.store.handler.ServeHTTP(w, r)
	})
}

// authQueryParams are added by the signer itself; everything else in the
// query (X-Amz-Expires, X-Amz-Content-Sha256, x-id) was part of what it signed.
var authQueryParams = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"}

// verifyPresigned recomputes the request's SigV4 presigned signature with
// aws-sdk-go-v2's signer and checks its time window against the emulator
// clock. It returns an S3 error code and message, or "" when the request is
// valid.
func (e *Emulator) verifyPresigned(r *http.Request) (code, message string) {
	q := r.URL.Query()
	if q.Get("X-Amz-Signature") == "" {
		return "AccessDenied", "Access Denied: only presigned requests are accepted."
	}
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"."
	}
	cred := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(cred) != 5 || cred[3] != "s3" || cred[4] != "aws4_request" {
		return "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter."
	}
	creds, ok := e.credentials(cred[0])
	if !ok {
		return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
	}
	signedAt, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil || cred[1] != signedAt.Format("20060102") {
		return "AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" and match the credential scope."
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires <= 0 || expires > presignedurl.MaxExpires {
		return "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds between 1 and 604800."
	}
	now := e.now()
	if now.Before(signedAt.Add(-15 * time.Minute)) {
		return "AccessDenied", "Request is not valid yet"
	}
	if !now.Before(signedAt.Add(time.Duration(expires) * time.Second)) {
		return "AccessDenied", "Request has expired"
	}

	want, err := e.expectedSignature(r, q, creds, cred[2], signedAt)
	if err != nil {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided: " + err.Error() + "."
	}
	if !hmac.Equal([]byte(want), []byte(q.Get("X-Amz-Signature"))) {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	}
	return "", ""
}

func (e *Emulator) expectedSignature(r *http.Request, q url.Values, creds aws.Credentials, region string, signedAt time.Time) (string, error) {
	unsigned := url.Values{}
	for k, v := range q {
		unsigned[k] = v
	}
	for _, k := range authQueryParams {
		unsigned.Del(k)
	}
	req, err := signedRequest(r, unsigned.Encode(), q.Get("X-Amz-SignedHeaders"))
	if err != nil {
		return "", err
	}
	payload := q.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = unsignedPayload
	}
	signed, _, err := newSigner().PresignHTTP(r.Context(), creds, req, payload, "s3", region, signedAt)
	if err != nil {
		return "", err
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", err
	}
	if got := su.Query().Get("X-Amz-SignedHeaders"); got != q.Get("X-Amz-SignedHeaders") {
		return "", fmt.Errorf("signed headers %q do not match the request", q.Get("X-Amz-SignedHeaders"))
	}
	return su.Query().Get("X-Amz-Signature"), nil
}

// signedRequest rebuilds what the client signed: r's method, its path as
// sent, the given query and the signed headers only.
func signedRequest(r *http.Request, rawQuery, signedHeaders string) (*http.Request, error) {
	path := r.URL.EscapedPath()
	if i := strings.IndexByte(r.RequestURI, '?'); i >= 0 {
		path = r.RequestURI[:i]
	} else if r.RequestURI != "" {
		path = r.RequestURI
	}
	u := &url.URL{Scheme: "http", Host: r.Host, Opaque: "//" + r.Host + path, RawQuery: rawQuery}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.URL = u
	req.Host = r.Host
	for _, h := range strings.Split(signedHeaders, ";") {
		h = strings.TrimSpace(h)
		switch h {
		case "", "host":
			continue
		case "content-length":
			req.ContentLength = r.ContentLength
			continue
		}
		values, ok := r.Header[http.CanonicalHeaderKey(h)]
		if !ok {
			return nil, fmt.Errorf("signed header %q is missing from the request", h)
		}
		req.Header[http.CanonicalHeaderKey(h)] = values
	}
	return req, nil
}

// authorizationPattern reads a SigV4 Authorization header.
var authorizationPattern = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$`)

// verifyHeaderSigned checks a request signed in its Authorization header,
// as S3 clients sign with a key pair: the key pair, the date within 15
// minutes of the emulator clock, and the signature recomputed with
// aws-sdk-go-v2's signer. The payload hash is taken as the client declared
// it (x-amz-content-sha256); the body is not hashed.
func (e *Emulator) verifyHeaderSigned(r *http.Request) (code, message string) {
	m := authorizationPattern.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "AuthorizationHeaderMalformed", "The authorization header is malformed; only AWS4-HMAC-SHA256 is accepted."
	}
	cred := strings.Split(m[1], "/")
	if len(cred) != 5 || cred[3] != "s3" || cred[4] != "aws4_request" {
		return "AuthorizationHeaderMalformed", "The authorization header's credential scope is malformed."
	}
	creds, ok := e.credentials(cred[0])
	if !ok {
		return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
	}
	signedAt, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil || cred[1] != signedAt.Format("20060102") {
		return "AccessDenied", "X-Amz-Date is missing or does not match the credential scope."
	}
	if d := e.now().Sub(signedAt); d > 15*time.Minute || d < -15*time.Minute {
		return "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return "InvalidRequest", "Missing required header for this request: x-amz-content-sha256."
	}
	req, err := signedRequest(r, r.URL.RawQuery, m[2])
	if err != nil {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided: " + err.Error() + "."
	}
	if err := newSigner().SignHTTP(r.Context(), creds, req, payload, "s3", cred[2], signedAt); err != nil {
		return "SignatureDoesNotMatch", err.Error()
	}
	want := authorizationPattern.FindStringSubmatch(req.Header.Get("Authorization"))
	if want == nil || want[2] != m[2] || !hmac.Equal([]byte(want[3]), []byte(m[3])) {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	}
	return "", ""
}

type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource"`
	RequestID string   `xml:"RequestId"`
}

func writeS3Error(w http.ResponseWriter, status int, code, message, resource string) {
	b, _ := xml.Marshal(s3Error{Code: code, Message: message, Resource: resource, RequestID: uuid.NewString()})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
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

// cacheControlMeta is where the emulator keeps an object's Cache-Control.
const cacheControlMeta = "X-Amz-Meta-Emulator-Cache-Control"

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
		if v := h.Get(cacheControlMeta); v != "" {
			h.Set("Cache-Control", v)
			h.Del(cacheControlMeta)
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
