// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package presignedurl reads S3 SigV4 presigned URLs (path style, as HostUp
// issues them) without verifying them: where they point, for which method,
// when they were signed, when they expire and which headers a client must
// send. It never modifies a URL.
package presignedurl

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Info is what a presigned URL says about itself.
type Info struct {
	// Endpoint is the scheme and host, for example https://s3.hostup.se.
	Endpoint string
	// Bucket is the first path segment; Key is the rest, decoded.
	Bucket, Key string
	// Method is the HTTP method implied by x-id (GetObject: GET, PutObject:
	// PUT, ...); empty when the URL carries no x-id.
	Method    string
	SignedAt  time.Time
	ExpiresIn int64
	// SignedHeaders lists the headers bound by the signature, lower case,
	// as in X-Amz-SignedHeaders.
	SignedHeaders []string
	// CredentialScope is date/region/service/aws4_request from
	// X-Amz-Credential, without the access key ID.
	CredentialScope string
	Region          string
	// ResponseOverrides are the response-* query parameters (such as
	// response-content-disposition) that S3 applies to a download's answer,
	// by parameter name; empty when there are none.
	ResponseOverrides map[string]string
}

// ExpiresAt is SignedAt plus ExpiresIn.
func (i *Info) ExpiresAt() time.Time {
	return i.SignedAt.Add(time.Duration(i.ExpiresIn) * time.Second)
}

// SecretPattern matches the credential parts of a SigV4 presigned URL
// (signature, access key credential, session token), in any case, in a raw
// URL (X-Amz-Signature=...), a percent-encoded one (X-Amz-Signature%3D...) or
// a doubly encoded one. The value runs to the next parameter, raw (&),
// encoded (%26) or doubly encoded (%2526). Group 1 is the parameter name and
// its "=", so "${1}***" masks the value and keeps the name.
var SecretPattern = regexp.MustCompile(`(?i)(x-amz-(?:signature|credential|security-token)(?:=|%3d|%253d))` +
	`(?:[^&%\s"'<>]|%(?:[013-9a-f][0-9a-f]|2[0-47-9a-f])|%25(?:[013-9a-f][0-9a-f]|2[0-57-9a-f]))*`)

// MaxExpires is SigV4's upper bound on X-Amz-Expires, in seconds (7 days).
const MaxExpires = 604800

var operationMethods = map[string]string{
	"GetObject":    http.MethodGet,
	"HeadObject":   http.MethodHead,
	"PutObject":    http.MethodPut,
	"UploadPart":   http.MethodPut,
	"DeleteObject": http.MethodDelete,
}

// Parse reads a presigned URL. Its errors never quote the URL, which is a
// credential.
func Parse(raw string) (*Info, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the value is not a valid URL")
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("the value is not an absolute http(s) URL")
	}
	q := u.Query()
	if q.Get("X-Amz-Signature") == "" {
		return nil, errors.New("the URL has no X-Amz-Signature: it is not a presigned URL")
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != "AWS4-HMAC-SHA256" {
		return nil, fmt.Errorf("X-Amz-Algorithm is %q, want AWS4-HMAC-SHA256", alg)
	}
	info := &Info{Endpoint: u.Scheme + "://" + u.Host}

	cred := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(cred) != 5 || cred[0] == "" || cred[4] != "aws4_request" {
		return nil, errors.New("X-Amz-Credential is not of the form KEY/DATE/REGION/SERVICE/aws4_request")
	}
	info.CredentialScope = strings.Join(cred[1:], "/")
	info.Region = cred[2]

	info.SignedAt, err = time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return nil, errors.New("X-Amz-Date is missing or not of the form YYYYMMDDTHHMMSSZ")
	}
	if cred[1] != info.SignedAt.Format("20060102") {
		return nil, errors.New("X-Amz-Date does not match the date in X-Amz-Credential")
	}
	info.ExpiresIn, err = strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	if err != nil || info.ExpiresIn <= 0 || info.ExpiresIn > MaxExpires {
		return nil, fmt.Errorf("X-Amz-Expires must be a whole number of seconds from 1 to %d", MaxExpires)
	}

	signed := q.Get("X-Amz-SignedHeaders")
	if signed == "" {
		return nil, errors.New("X-Amz-SignedHeaders is missing")
	}
	info.SignedHeaders = strings.Split(signed, ";")

	info.ResponseOverrides = map[string]string{}
	for k, v := range q {
		if strings.HasPrefix(k, "response-") && len(v) > 0 {
			info.ResponseOverrides[k] = v[0]
		}
	}
	if id := q.Get("x-id"); id != "" {
		info.Method = operationMethods[id]
	}

	// Path style: /bucket/key. EscapedPath keeps the key's own escaping
	// (an encoded slash stays part of the key until unescaped below).
	path := strings.TrimPrefix(u.EscapedPath(), "/")
	bucket, key, _ := strings.Cut(path, "/")
	if info.Bucket, err = url.PathUnescape(bucket); err != nil || info.Bucket == "" {
		return nil, errors.New("the URL path has no bucket")
	}
	if info.Key, err = url.PathUnescape(key); err != nil {
		return nil, errors.New("the URL path is not validly escaped")
	}
	return info, nil
}

// RequiredHeaders are the headers a client must send for the signature to
// verify, with the values the caller knows. host is set by every HTTP client
// and is left out; content-type takes contentType. Any other signed header
// whose value this URL does not reveal is returned in unknown.
func RequiredHeaders(info *Info, contentType string) (headers map[string]string, unknown []string) {
	headers = map[string]string{}
	for _, h := range info.SignedHeaders {
		switch h {
		case "host":
		case "content-type":
			if contentType != "" {
				headers["Content-Type"] = contentType
			} else {
				unknown = append(unknown, h)
			}
		default:
			unknown = append(unknown, h)
		}
	}
	sort.Strings(unknown)
	return headers, unknown
}
