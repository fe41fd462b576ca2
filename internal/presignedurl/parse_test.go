// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package presignedurl_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

const base = "https://s3.hostup.se/media/dir/a%20b%2Bc.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=0123abcd&x-id=PutObject"

func TestParse(t *testing.T) {
	info, err := presignedurl.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	if info.Endpoint != "https://s3.hostup.se" || info.Bucket != "media" || info.Key != "dir/a b+c.txt" || info.Method != "PUT" ||
		info.ExpiresIn != 900 || info.CredentialScope != "20260210/eu-north-1/s3/aws4_request" || info.Region != "eu-north-1" ||
		strings.Join(info.SignedHeaders, ",") != "content-type,host" {
		t.Fatalf("%+v", info)
	}
	if want := time.Date(2026, 2, 10, 12, 15, 0, 0, time.UTC); !info.ExpiresAt().Equal(want) {
		t.Fatalf("ExpiresAt %s", info.ExpiresAt())
	}
	headers, unknown := presignedurl.RequiredHeaders(info, "text/plain")
	if len(headers) != 1 || headers["Content-Type"] != "text/plain" || len(unknown) != 0 {
		t.Fatalf("headers %v unknown %v", headers, unknown)
	}
	if _, unknown := presignedurl.RequiredHeaders(info, ""); len(unknown) != 1 || unknown[0] != "content-type" {
		t.Fatalf("unknown %v", unknown)
	}
}

func TestParseWithoutXID(t *testing.T) {
	info, err := presignedurl.Parse(strings.Replace(base, "&x-id=PutObject", "", 1))
	if err != nil || info.Method != "" {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestParseRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"empty":             "",
		"not a URL":         "::not a url",
		"relative":          "/media/a.txt?X-Amz-Signature=1",
		"no signature":      strings.Replace(base, "&X-Amz-Signature=0123abcd", "", 1),
		"other algorithm":   strings.Replace(base, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1),
		"bad date":          strings.Replace(base, "20260210T120000Z", "2026-02-10", 1),
		"date off scope":    strings.Replace(base, "20260210T120000Z", "20260211T120000Z", 1),
		"negative expiry":   strings.Replace(base, "X-Amz-Expires=900", "X-Amz-Expires=-5", 1),
		"zero expiry":       strings.Replace(base, "X-Amz-Expires=900", "X-Amz-Expires=0", 1),
		"expiry too long":   strings.Replace(base, "X-Amz-Expires=900", "X-Amz-Expires=604801", 1),
		"no signed headers": strings.Replace(base, "&X-Amz-SignedHeaders=content-type%3Bhost", "", 1),
		"bad credential":    strings.Replace(base, "AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request", "AKID", 1),
		"no bucket":         strings.Replace(base, "/media/dir/a%20b%2Bc.txt", "/", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := presignedurl.Parse(raw); err == nil {
				t.Fatal("accepted")
			} else if strings.Contains(err.Error(), "0123abcd") {
				t.Fatalf("error quotes the signature: %v", err)
			}
		})
	}
}
