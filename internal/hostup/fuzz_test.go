// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// FuzzDecodePresign feeds arbitrary answers to the response decoder and the
// presign checks. Whatever the body, the result is a usable URL or one of
// the client's typed errors; never a panic, never an empty value.
func FuzzDecodePresign(f *testing.F) {
	f.Add(200, []byte(`{"success":true,"timestamp":"2026-02-10T00:00:00.000Z","requestId":"r","data":{"url":"https://s3.hostup.se/b/k?X-Amz-Signature=1","expiresIn":900}}`))
	f.Add(200, []byte(`{"success":false}`))
	f.Add(401, []byte(`{"code":"UNAUTHORIZED","error":"Unauthorized","message":"bad key","requestId":"r"}`))
	f.Add(429, []byte(`{"type":"t","title":"Too Many Requests","status":429,"detail":"slow","code":"rate_limited","errors":[{"pointer":"/key","detail":"x"}]}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte("{\"data\":{\"url\":\"https://h/\xff\",\"expiresIn\":1}}"))
	now := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 100 + (status%500+500)%500
		var data presignData
		meta, err := decodeResponse(status, http.Header{}, body, &data, 1, time.Unix(0, 0))
		if err == nil {
			var p *PresignedURL
			p, err = presignedURLFrom(meta, data, http.MethodGet, func() time.Time { return now })
			if err == nil {
				u, perr := url.Parse(p.URL)
				if perr != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
					t.Fatalf("accepted an unusable URL %q", p.URL)
				}
				if p.ExpiresIn <= 0 || !p.ExpiresAt().After(p.IssuedAt) {
					t.Fatalf("accepted lifetime %d (issued %s, expires %s)", p.ExpiresIn, p.IssuedAt, p.ExpiresAt())
				}
				if status < 200 || status > 299 {
					t.Fatalf("accepted a URL from HTTP %d", status)
				}
				return
			}
		}
		var apiErr *APIError
		var respErr *ResponseError
		if !errors.As(err, &apiErr) && !errors.As(err, &respErr) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if err.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}
