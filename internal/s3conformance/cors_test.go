// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// corsRules are three rules whose order matters: the first whose origin
// matches is the one applied, so http://127.0.0.1:8080 (third rule) is
// caught by the second's "*", which allows GET only.
var corsRules = []types.CORSRule{
	{
		ID:             aws.String("app"),
		AllowedOrigins: []string{"https://*.example.com"},
		AllowedMethods: []string{"PUT", "GET"},
		AllowedHeaders: []string{"x-amz-*", "Content-Type"},
		ExposeHeaders:  []string{"x-amz-version-id", "ETag"},
		MaxAgeSeconds:  aws.Int32(3000),
	},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
	{AllowedOrigins: []string{"http://127.0.0.1:8080"}, AllowedMethods: []string{"PUT", "DELETE"}, AllowedHeaders: []string{"*"}},
}

// TestCORSConfiguration: Put, Get and DeleteBucketCors, and how RGW reads
// a configuration back: methods in the order GET, PUT, DELETE, HEAD,
// POST, origins and allowed headers sorted, exposed headers as sent.
func TestCORSConfiguration(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	c := tgt.plain.s3
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(bucket)})
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchCORSConfiguration" {
		t.Fatalf("GetBucketCors without one: %d %s (%v)", status, code, err)
	}
	if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(bucket)})
	if err != nil || len(out.CORSRules) != 3 {
		t.Fatalf("GetBucketCors: %+v %v", out, err)
	}
	r := out.CORSRules[0]
	if aws.ToString(r.ID) != "app" || !equal(r.AllowedMethods, []string{"GET", "PUT"}) || !equal(r.AllowedOrigins, []string{"https://*.example.com"}) ||
		!equal(r.AllowedHeaders, []string{"Content-Type", "x-amz-*"}) || !equal(r.ExposeHeaders, []string{"x-amz-version-id", "ETag"}) || aws.ToInt32(r.MaxAgeSeconds) != 3000 {
		t.Errorf("rule 1 read back as %+v", r)
	}
	if r := out.CORSRules[2]; !equal(r.AllowedMethods, []string{"PUT", "DELETE"}) || r.ID != nil || r.MaxAgeSeconds != nil {
		t.Errorf("rule 3 read back as %+v", r)
	}
	if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(bucket)})
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchCORSConfiguration" {
		t.Errorf("GetBucketCors after the delete: %d %s (%v)", status, code, err)
	}
}

// TestCORSConfigurationRefused: what RGW refuses, all MalformedXML (a
// rule without AllowedMethod it takes).
func TestCORSConfigurationRefused(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	for name, body := range map[string]string{
		"no rules":           `<CORSConfiguration></CORSConfiguration>`,
		"no origin":          `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
		"PATCH":              `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>`,
		"two wildcards":      `<CORSConfiguration><CORSRule><AllowedOrigin>https://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
		"not XML at its end": `<CORSConfiguration><CORSRule>`,
	} {
		r := signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?cors", []byte(body), nil)
		wantError(t, "PutBucketCors "+name, r, http.StatusBadRequest, "MalformedXML")
	}
}

// preflight is a browser's OPTIONS request.
func preflight(origin, method, headers string) http.Header {
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	if method != "" {
		h.Set("Access-Control-Request-Method", method)
	}
	if headers != "" {
		h.Set("Access-Control-Request-Headers", headers)
	}
	return h
}

// TestCORSPreflight: OPTIONS answered by the first rule whose origin
// matches, exactly as RGW answers it.
func TestCORSPreflight(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	ep := tgt.plain
	path := "/" + bucket + "/upload/file.bin"
	if r := anonymous(ctx, t, ep, http.MethodOptions, path, preflight("https://app.example.com", "PUT", "")); r.status != http.StatusForbidden {
		t.Errorf("preflight without a configuration: %d", r.status)
	} else {
		wantError(t, "preflight without a configuration", r, http.StatusForbidden, "AccessDenied")
	}
	if _, err := ep.s3.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}); err != nil {
		t.Fatal(err)
	}
	allowed := []struct {
		name, origin, method, headers string
		want                          map[string]string
	}{
		{"subdomain PUT with headers", "https://app.example.com", "PUT", "content-type, x-amz-date,X-Amz-Content-Sha256", map[string]string{
			"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "PUT",
			"Access-Control-Allow-Headers": "content-type,x-amz-date,X-Amz-Content-Sha256", "Access-Control-Expose-Headers": "x-amz-version-id,ETag",
			"Access-Control-Max-Age": "3000", "Vary": "Origin",
		}},
		{"any origin GET echoes the origin", "https://elsewhere.test", "GET", "", map[string]string{
			"Access-Control-Allow-Origin": "https://elsewhere.test", "Access-Control-Allow-Methods": "GET", "Vary": "Origin",
			"Access-Control-Allow-Headers": "", "Access-Control-Expose-Headers": "", "Access-Control-Max-Age": "",
		}},
		{"the apex is not below itself", "https://example.com", "GET", "", map[string]string{
			"Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "", "Access-Control-Max-Age": "",
		}},
	}
	for _, c := range allowed {
		r := anonymous(ctx, t, ep, http.MethodOptions, path, preflight(c.origin, c.method, c.headers))
		if r.status != http.StatusOK {
			t.Errorf("preflight %s: %d, want 200; body %s", c.name, r.status, r.body)
			continue
		}
		for k, v := range c.want {
			if got := r.header.Get(k); got != v {
				t.Errorf("preflight %s: %s %q, want %q", c.name, k, got, v)
			}
		}
	}
	refused := []struct {
		name, origin, method, headers string
		status                        int
		code                          string
	}{
		{"origin no rule names", "https://evil.test", "PUT", "", http.StatusForbidden, "AccessDenied"},
		{"method the rule lacks", "https://app.example.com", "DELETE", "", http.StatusForbidden, "AccessDenied"},
		{"header the rule lacks", "https://app.example.com", "PUT", "x-custom", http.StatusForbidden, "AccessDenied"},
		// The "*" rule comes first and allows GET only; the later rule
		// naming this origin is not looked at.
		{"a later rule is not consulted", "http://127.0.0.1:8080", "PUT", "", http.StatusForbidden, "AccessDenied"},
		{"no request method", "https://app.example.com", "", "", http.StatusBadRequest, "InvalidArgument"},
		{"no origin", "", "PUT", "", http.StatusBadRequest, "InvalidArgument"},
	}
	for _, c := range refused {
		r := anonymous(ctx, t, ep, http.MethodOptions, path, preflight(c.origin, c.method, c.headers))
		wantError(t, "preflight "+c.name, r, c.status, c.code)
		if v := r.header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("preflight %s: Access-Control-Allow-Origin %q on a refusal", c.name, v)
		}
	}
	r := anonymous(ctx, t, ep, http.MethodOptions, "/"+bucket, preflight("https://app.example.com", "GET", ""))
	if r.status != http.StatusOK || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("preflight of the bucket itself: %d %v", r.status, r.header)
	}
	wantError(t, "preflight of a missing bucket", anonymous(ctx, t, ep, http.MethodOptions, "/missing-"+bucket+"/k", preflight("https://a.test", "GET", "")), http.StatusNotFound, "NoSuchBucket")
}

// TestCORSActualRequests: requests with an Origin get the rule's headers
// when it allows their method (on errors too), none otherwise; a browser
// uploading through a presigned URL sees them on its PUT.
func TestCORSActualRequests(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	for _, ep := range tgt.storeEndpoints() {
		if _, err := ep.s3.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, ep := range tgt.endpoints() {
		k := "cors/" + ep.name + ".txt"
		origin := http.Header{"Origin": {"https://app.example.com"}}
		up := presign(ctx, t, ep, hostups3.PresignInput{Bucket: bucket, Key: k, Action: presignedurl.Upload, ContentType: "text/plain"})
		r := send(ctx, t, ep, up, []byte("from a browser"), origin)
		wantOK(t, "presigned PUT", r)
		wantCORS := func(what string, r *response, method string) {
			t.Helper()
			for h, v := range map[string]string{
				"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": method,
				"Access-Control-Expose-Headers": "x-amz-version-id,ETag", "Access-Control-Max-Age": "3000", "Vary": "Origin",
				"Access-Control-Allow-Headers": "",
			} {
				if got := r.header.Get(h); got != v {
					t.Errorf("%s on %s: %s %q, want %q", what, ep.name, h, got, v)
				}
			}
		}
		wantCORS("presigned PUT", r, "PUT")
		down := presign(ctx, t, ep, hostups3.PresignInput{Bucket: bucket, Key: k, Action: presignedurl.Download})
		r = send(ctx, t, ep, down, nil, origin)
		if wantOK(t, "presigned GET", r); string(r.body) != "from a browser" {
			t.Errorf("presigned GET body %q", r.body)
		}
		wantCORS("presigned GET", r, "GET")
		wantCORS("GET of a missing key", signedRequest(ctx, t, ep, http.MethodGet, "/"+bucket+"/cors/missing", nil, origin), "GET")
		wantCORS("anonymous GET (refused)", anonymous(ctx, t, ep, http.MethodGet, "/"+bucket+"/"+k, origin), "GET")
		// A presigned PUT whose signature does not verify (another
		// Content-Type than the signed one) gets no CORS headers: a browser
		// reports it as a CORS failure, not as a 403 it could read.
		wrongType := http.Header{"Origin": {"https://app.example.com"}, "Content-Type": {"application/json"}}
		if r := send(ctx, t, ep, up, []byte("x"), wrongType); r.status != http.StatusForbidden || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("presigned PUT with another Content-Type on %s: %d, Access-Control-Allow-Origin %q", ep.name, r.status, r.header.Get("Access-Control-Allow-Origin"))
		}
		// The "*" rule allows GET from anywhere but not PUT.
		other := http.Header{"Origin": {"https://other.test"}}
		if r := signedRequest(ctx, t, ep, http.MethodGet, "/"+bucket+"/"+k, nil, other); r.header.Get("Access-Control-Allow-Origin") != "https://other.test" || r.header.Get("Access-Control-Expose-Headers") != "" {
			t.Errorf("GET from another origin on %s: %v", ep.name, r.header)
		}
		if r := signedRequest(ctx, t, ep, http.MethodPut, "/"+bucket+"/"+k, []byte("x"), other); r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("PUT from an origin whose rule lacks PUT on %s: Access-Control-Allow-Origin %q", ep.name, r.header.Get("Access-Control-Allow-Origin"))
		}
		// Without an Origin, nothing.
		if r := signedRequest(ctx, t, ep, http.MethodGet, "/"+bucket+"/"+k, nil, nil); r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET without Origin on %s: Access-Control-Allow-Origin %q", ep.name, r.header.Get("Access-Control-Allow-Origin"))
		}
	}
	// The shared bucket has no CORS: an Origin gets no CORS headers.
	k := key(t, "plain.txt")
	putSDK(ctx, t, tgt.plain, k, []byte("x"), nil)
	if r := signedRequest(ctx, t, tgt.plain, http.MethodGet, "/"+tgt.bucket+"/"+k, nil, http.Header{"Origin": {"https://app.example.com"}}); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a bucket without CORS answered Access-Control-Allow-Origin %q", r.header.Get("Access-Control-Allow-Origin"))
	}
}
