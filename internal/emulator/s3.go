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
		if code, msg := e.verifyPresigned(r); code != "" {
			status := http.StatusForbidden
			if code == "AuthorizationQueryParametersError" {
				status = http.StatusBadRequest
			}
			writeS3Error(w, status, code, msg, r.URL.Path)
			return
		}
		if r.Method == http.MethodGet {
			w = withResponseOverrides(w, r.URL.Query())
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
	path := r.URL.EscapedPath()
	if i := strings.IndexByte(r.RequestURI, '?'); i >= 0 {
		path = r.RequestURI[:i]
	} else if r.RequestURI != "" {
		path = r.RequestURI
	}
	u := &url.URL{Scheme: "http", Host: r.Host, Opaque: "//" + r.Host + path, RawQuery: unsigned.Encode()}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.URL = u
	req.Host = r.Host
	for _, h := range strings.Split(q.Get("X-Amz-SignedHeaders"), ";") {
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
			return "", fmt.Errorf("signed header %q is missing from the request", h)
		}
		req.Header[http.CanonicalHeaderKey(h)] = values
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

func withResponseOverrides(w http.ResponseWriter, q url.Values) http.ResponseWriter {
	set := http.Header{}
	for param, header := range responseOverrides {
		if v := q.Get(param); v != "" {
			set.Set(header, v)
		}
	}
	if len(set) == 0 {
		return w
	}
	return &overrideWriter{ResponseWriter: w, set: set}
}

func (o *overrideWriter) WriteHeader(status int) {
	if !o.wroteHeader {
		o.wroteHeader = true
		if status == http.StatusOK {
			for k, v := range o.set {
				o.Header()[k] = v
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
