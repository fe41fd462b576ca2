// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

func signer(t *testing.T) *hostups3.Signer {
	t.Helper()
	s, err := hostups3.NewSigner(hostups3.Config{Endpoint: "https://s3.hostup.se", Region: "eu-north-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var at = time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)

// HostUp's shape: path-style, x-id, UNSIGNED-PAYLOAD, the lifetime asked for,
// the signing time asked for, and the content type signed on an upload.
func TestPresignShape(t *testing.T) {
	s := signer(t)
	p, err := s.Presign(context.Background(), hostups3.PresignInput{Bucket: "media", Key: "dir/a b+c.txt", Action: presignedurl.Upload,
		ContentType: "application/gzip", SignedAt: at.Add(1500 * time.Millisecond), Expires: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "s3.hostup.se" || u.EscapedPath() != "/media/dir/a%20b%2Bc.txt" {
		t.Errorf("not path-style: %s", u.Redacted())
	}
	for k, want := range map[string]string{
		"x-id": "PutObject", "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD", "X-Amz-Expires": "604800",
		"X-Amz-Date": "20260210T000001Z", "X-Amz-SignedHeaders": "content-type;host",
		"X-Amz-Credential": "AKIDEXAMPLE/20260210/eu-north-1/s3/aws4_request",
	} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if p.Method != "PUT" || !p.ExpiresAt.Equal(at.Add(time.Second+7*24*time.Hour)) || p.SignedHeaders.Get("Content-Type") != "application/gzip" {
		t.Errorf("got %+v", p)
	}
}

// The same input signs the byte-identical URL; another signing time does not.
func TestPresignIsDeterministic(t *testing.T) {
	s := signer(t)
	in := hostups3.PresignInput{Bucket: "media", Key: "k", Action: presignedurl.Download, SignedAt: at, Expires: time.Hour,
		ResponseContentDisposition: `attachment; filename="a.txt"`}
	a, err := s.Presign(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Presign(context.Background(), in)
	in.SignedAt = at.Add(time.Second)
	c, _ := s.Presign(context.Background(), in)
	if a.URL != b.URL || a.URL == c.URL {
		t.Fatalf("same input: %v; other time differs: %v", a.URL == b.URL, a.URL != c.URL)
	}
	if !strings.Contains(a.URL, "response-content-disposition=attachment") {
		t.Errorf("override not in the URL: %s", a.URL)
	}
}

func TestPresignRefusesBadInput(t *testing.T) {
	s := signer(t)
	for name, in := range map[string]hostups3.PresignInput{
		"zero lifetime":         {Bucket: "b", Key: "k", Action: presignedurl.Download, SignedAt: at},
		"over 7 days":           {Bucket: "b", Key: "k", Action: presignedurl.Download, SignedAt: at, Expires: 7*24*time.Hour + time.Second},
		"fractional":            {Bucket: "b", Key: "k", Action: presignedurl.Download, SignedAt: at, Expires: 1500 * time.Millisecond},
		"dot bucket":            {Bucket: "..", Key: "k", Action: presignedurl.Download, SignedAt: at, Expires: time.Hour},
		"override on upload":    {Bucket: "b", Key: "k", Action: presignedurl.Upload, SignedAt: at, Expires: time.Hour, ResponseCacheControl: "no-cache"},
		"content type download": {Bucket: "b", Key: "k", Action: presignedurl.Download, SignedAt: at, Expires: time.Hour, ContentType: "text/plain"},
		"no signing time":       {Bucket: "b", Key: "k", Action: presignedurl.Download, Expires: time.Hour},
	} {
		if _, err := s.Presign(context.Background(), in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := hostups3.NewSigner(hostups3.Config{Endpoint: "https://s3.hostup.se", Region: "eu-north-1", AccessKeyID: "A"}); err == nil {
		t.Error("half a key pair accepted")
	}
}
