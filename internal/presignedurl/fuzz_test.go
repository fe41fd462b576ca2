// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package presignedurl

import (
	"strings"
	"testing"
)

// FuzzParse: any string either parses into a consistent Info or fails with
// an error that does not quote the signature.
func FuzzParse(f *testing.F) {
	f.Add("https://s3.hostup.se/media/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=00ff&x-id=GetObject")
	f.Add("http://127.0.0.1:9000/b/%F0%9F%98%80?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=K%2F20260101%2Fr%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=ab")
	f.Add("not a url")
	f.Add("https://h/?X-Amz-Signature=1&X-Amz-Expires=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		info, err := Parse(raw)
		if err != nil {
			if sig := signatureOf(raw); len(sig) >= 8 && strings.Contains(err.Error(), sig) {
				t.Fatalf("error quotes the signature: %v", err)
			}
			return
		}
		if info.Bucket == "" || info.ExpiresIn < 1 || info.ExpiresIn > MaxExpires || len(info.SignedHeaders) == 0 {
			t.Fatalf("inconsistent result %+v", info)
		}
		if !info.ExpiresAt().After(info.SignedAt) {
			t.Fatalf("expires %s not after signed %s", info.ExpiresAt(), info.SignedAt)
		}
	})
}

func signatureOf(raw string) string {
	_, after, ok := strings.Cut(raw, "X-Amz-Signature=")
	if !ok {
		return ""
	}
	sig, _, _ := strings.Cut(after, "&")
	return sig
}
