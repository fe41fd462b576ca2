// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// S3 failures each get a diagnostic that names what to fix, and end with the
// status, the S3 code and the request ID: a wrong secret, an unknown key
// pair, a missing bucket, the API's address given as s3_endpoint, a host
// that does not resolve, a certificate this machine does not trust (not
// retried), an operation the server does not implement, a server failing.
func TestObjectResource_s3Diagnostics(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	tlsE := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc(), TLS: true})
	notImplemented := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Request-Id", "tx-not-implemented")
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotImplemented)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message></Message><RequestId>tx-not-implemented</RequestId></Error>`)
	}))
	defer notImplemented.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Request-Id", "tx-internal")
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message></Message><RequestId>tx-internal</RequestId></Error>`)
	}))
	defer failing.Close()
	block := func(endpoint, access, secret string) string {
		return fmt.Sprintf(`
provider "hostup" {
  endpoint             = %q
  api_key              = %q
  s3_access_key_id     = %q
  s3_secret_access_key = %q
  s3_endpoint          = %q
  max_retries          = 1
}
`, e.APIURL(), emulator.DefaultAPIKey, access, secret, endpoint)
	}
	object := func(bucket string) string {
		return fmt.Sprintf("resource \"hostup_object\" \"test\" {\n  bucket  = %q\n  key     = \"a.txt\"\n  content = \"a\"\n}\n", bucket)
	}
	key, secret := emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey
	cases := []struct {
		name, config string
		want         string
	}{
		{"wrong secret", block(e.S3URL(), key, "not-the-secret") + object("deploy-artifacts"),
			`(?s)HostUp S3 Signature Rejected.*s3_secret_access_key.*S3 code: SignatureDoesNotMatch, Request ID: \S+`},
		{"unknown key pair", block(e.S3URL(), "HUDELETEDKEY", secret) + object("deploy-artifacts"),
			`(?s)HostUp S3 Key Pair Not Recognised.*deleted.*S3 code: InvalidAccessKeyId`},
		{"missing bucket", block(e.S3URL(), key, secret) + object("no-such-bucket"),
			`(?s)HostUp Bucket Not Found.*"no-such-bucket" does not exist at the S3.*endpoint.*S3 code: NoSuchBucket`},
		{"the API's address as s3_endpoint", block("http://"+hostOf(e.APIURL()), key, secret) + object("deploy-artifacts"),
			`(?s)Endpoint Is Not HostUp's S3 Side.*s3_endpoint.*https://s3.hostup.se`},
		{"a host that does not resolve", block("https://s3.does-not-exist.invalid", key, secret) + object("deploy-artifacts"),
			`(?s)HostUp S3 Endpoint Not Found.*does not resolve.*s3_endpoint`},
		{"an untrusted certificate", block(tlsE.S3URL(), key, secret) + object("deploy-artifacts"),
			`(?s)Untrusted Certificate at HostUp's S3 Endpoint.*SSL_CERT_FILE.*Not retried`},
		{"an operation the server does not offer", block(notImplemented.URL, key, secret) + object("deploy-artifacts"),
			`(?s)S3 Operation Not Offered by the Server.*does not implement.*S3 code: NotImplemented`},
		{"a failing server", block(failing.URL, key, secret) + object("deploy-artifacts"),
			`(?s)HostUp S3 Error.*server's side.*S3 code: InternalError, Request ID: tx-internal, attempts: 2`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitSteps(t, resource.TestStep{Config: tc.config, ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`))})
		})
	}
}

// hostOf is a URL's host:port.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u.Host
}

// A refresh after the key pair was deleted is a HEAD, which carries no error
// code: the diagnostic still points at the key pair.
func TestObjectResource_refreshWithADeletedKeyPair(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	object := "resource \"hostup_object\" \"test\" {\n  bucket  = \"deploy-artifacts\"\n  key     = \"a.txt\"\n  content = \"a\"\n}\n"
	deleted := fmt.Sprintf(`
provider "hostup" {
  endpoint             = %q
  api_key              = %q
  s3_access_key_id     = "HUDELETEDKEY"
  s3_secret_access_key = "whatever"
  s3_endpoint          = %q
}
`, e.APIURL(), emulator.DefaultAPIKey, e.S3URL())
	unitSteps(t,
		resource.TestStep{Config: keyPairAndAPIProviderBlock(e) + object},
		resource.TestStep{Config: deleted + object, ExpectError: regexp.MustCompile(strings.ReplaceAll(
			`(?s)HostUp S3 Access Denied.*read object deploy-artifacts/a.txt.*still exists \(a deleted key pair is refused\).*HTTP status: 403`, " ", `\s+`))},
		resource.TestStep{Config: keyPairAndAPIProviderBlock(e) + object},
	)
}
