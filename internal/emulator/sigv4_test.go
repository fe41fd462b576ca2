// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestCanonicalURI(t *testing.T) {
	for decoded, want := range map[string]string{
		"":                  "/",
		"/b/a b":            "/b/a%20b",
		"/b/a+b":            "/b/a%2Bb",
		"/b/a~b-c_d.e":      "/b/a~b-c_d.e",
		"/b/x/../y":         "/b/x/../y",
		"/b/räk":            "/b/r%C3%A4k",
		"/b/100%/done?.txt": "/b/100%25/done%3F.txt",
	} {
		if got := canonicalURI(decoded); got != want {
			t.Errorf("canonicalURI(%q) = %q, want %q", decoded, got, want)
		}
	}
}

// For what the SDK's signer does not normalise, the hand-built canonical
// request signs as the SDK does.
func TestSignatureAgreesWithTheSDK(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:9000/", strings.NewReader("x"))
	req.URL.Opaque = "//127.0.0.1:9000/media/a%20b%2Bc"
	req.URL.RawQuery = "partNumber=1&uploadId=a%2Fb&x-id=UploadPart"
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("X-Amz-Meta-Note", "  two   spaces ")
	req.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), creds, req, unsignedPayload, "s3", "eu-north-1", at); err != nil {
		t.Fatal(err)
	}
	m := authorizationPattern.FindStringSubmatch(req.Header.Get("Authorization"))
	if m == nil {
		t.Fatal(req.Header.Get("Authorization"))
	}
	// What the server sees: the decoded path, Host as sent.
	received := req.Clone(context.Background())
	received.URL = &url.URL{Path: "/media/a b+c", RawQuery: req.URL.RawQuery}
	received.Host = "127.0.0.1:9000"
	signed, err := parseSignedHeaders(m[2])
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(received.URL.RawQuery)
	canonical, err := canonicalRequest(received, received.Host, q, signed, unsignedPayload)
	if err != nil {
		t.Fatal(err)
	}
	if got := signatureV4("secret", "20250304", "eu-north-1", at.Format(amzDateFormat), canonical); got != m[3] {
		t.Fatalf("signature %s, the SDK's %s; canonical request:\n%s", got, m[3], canonical)
	}
}

// A Host with an explicit default port is signed with that port: a client
// that signed host:80 verifies, one that signed host does not.
func TestCanonicalHostIsVerbatim(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/b/k", nil)
	r.Host = "127.0.0.1:80"
	canonical, err := canonicalRequest(r, r.Host, url.Values{}, []string{"host"}, unsignedPayload)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(canonical, "\nhost:127.0.0.1:80\n") {
		t.Fatalf("canonical request:\n%s", canonical)
	}
}

// Only the signed headers are in the canonical request: an x-amz-* header
// outside SignedHeaders changes nothing, as on RGW.
func TestCanonicalHeadersAreTheSignedOnes(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPut, "http://h/b/k", nil)
	r.Header.Set("X-Amz-Date", "20250304T050607Z")
	signed := []string{"host", "x-amz-date"}
	before, err := canonicalHeaders(r, r.Host, signed)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Amz-Copy-Source", "/b/other")
	after, err := canonicalHeaders(r, r.Host, signed)
	if err != nil {
		t.Fatal(err)
	}
	if before != after || before != "host:h\nx-amz-date:20250304T050607Z\n" {
		t.Fatalf("canonical headers %q, then %q", before, after)
	}
}
