// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// The SigV4 canonical request is built here by hand, not with
// aws-sdk-go-v2's signer: the signer normalises what RGW checks verbatim
// (it strips a default port from Host), so it would accept requests RGW
// refuses.

// canonicalURI is the path a signature covers, as S3 and RGW compute it:
// the request path percent-decoded (Go's server has done that: r.URL.Path),
// then encoded again with S3's rules, '/' kept and no dot-segment removal.
// So "+" and "%2B" on the wire are the same path, and a client that signed
// a path encoded differently from S3's rules is refused.
func canonicalURI(decodedPath string) string {
	if decodedPath == "" {
		return "/"
	}
	return s3Escape(decodedPath, false)
}

// s3Escape percent-encodes s with S3's rules: A-Z a-z 0-9 - . _ ~ kept
// (and '/' unless encodeSlash), every other byte %XX in upper case.
func s3Escape(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery is the sorted, S3-encoded query string, without the
// signature itself.
func canonicalQuery(q url.Values) string {
	pairs := make([]string, 0, len(q))
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, s3Escape(k, true)+"="+s3Escape(v, true))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// parseSignedHeaders reads a SignedHeaders list: lower-case names separated
// by ';', host among them.
func parseSignedHeaders(list string) ([]string, error) {
	names := strings.Split(list, ";")
	hasHost := false
	for _, n := range names {
		if n == "" || n != strings.ToLower(n) {
			return nil, fmt.Errorf("signed headers %q are not lower-case names separated by ';'", list)
		}
		hasHost = hasHost || n == "host"
	}
	if !hasHost {
		return nil, fmt.Errorf("signed headers %q do not include host", list)
	}
	return names, nil
}

// canonicalHeaders lists the signed headers with their values as received
// (host as given, which is Host verbatim but for RGW's fallback), values
// trimmed and inner spaces collapsed, repeated headers joined with commas.
// Only the signed headers count: RGW, unlike AWS S3, lets a request carry
// x-amz-* headers its signature does not cover, and acts on them.
func canonicalHeaders(r *http.Request, host string, signed []string) (string, error) {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		switch name {
		case "host":
			values = []string{host}
		default:
			v, ok := r.Header[http.CanonicalHeaderKey(name)]
			if !ok && name == "content-length" && r.ContentLength >= 0 {
				v, ok = []string{strconv.FormatInt(r.ContentLength, 10)}, true
			}
			if !ok {
				return "", fmt.Errorf("signed header %q is missing from the request", name)
			}
			values = append([]string(nil), v...)
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String(), nil
}

// canonicalRequest is SigV4's canonical request for r, with host as the
// host header's value.
func canonicalRequest(r *http.Request, host string, q url.Values, signed []string, payloadHash string) (string, error) {
	headers, err := canonicalHeaders(r, host, signed)
	if err != nil {
		return "", err
	}
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL.Path),
		canonicalQuery(q),
		headers,
		strings.Join(signed, ";"),
		payloadHash,
	}, "\n"), nil
}

// signatureV4 signs a canonical request with a secret key, for the scope
// date/region/s3/aws4_request at amzDate.
func signatureV4(secret, date, region, amzDate, canonical string) string {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	key := mac([]byte("AWS4"+secret), date)
	key = mac(key, region)
	key = mac(key, "s3")
	key = mac(key, "aws4_request")
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + date + "/" + region + "/s3/aws4_request\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(mac(key, toSign))
}
