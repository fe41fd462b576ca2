// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package s3conformance

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestBucketPolicy: a public-read policy for one prefix, stored and read
// back byte for byte, and enforced for anonymous GET and HEAD only; a Deny
// wins; an unknown key under the prefix stays 403 (anonymous callers may
// not list).
func TestBucketPolicy(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	ep := tgt.plain
	b := aws.String(bucket)
	_, err := ep.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchBucketPolicy" {
		t.Fatalf("GetBucketPolicy without one: %d %s (%v)", status, code, err)
	}
	policy := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"PublicRead\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": [\"s3:Get*\"], \"Resource\": \"arn:aws:s3:::" + bucket + "/public/*\"},\n" +
		"    {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": [\"arn:aws:s3:::" + bucket + "/public/secret*\"]}\n  ]\n}"
	for _, ep := range tgt.storeEndpoints() {
		for _, k := range []string{"public/a.txt", "public/secret.txt", "private/a.txt"} {
			if _, err := ep.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: bytes.NewReader([]byte(k))}); err != nil {
				t.Fatal(err)
			}
		}
		r := signedRequest(ctx, t, ep, http.MethodPut, "/"+bucket+"?policy", []byte(policy), nil)
		if r.status != http.StatusNoContent {
			t.Fatalf("PutBucketPolicy: %d %s, want 204", r.status, r.body)
		}
	}
	got, err := ep.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if err != nil || aws.ToString(got.Policy) != policy {
		t.Errorf("GetBucketPolicy: %q %v, want the document byte for byte", aws.ToString(got.Policy), err)
	}
	for _, c := range []struct {
		method, key string
		status      int
	}{
		{http.MethodGet, "public/a.txt", 200},
		{http.MethodHead, "public/a.txt", 200},
		{http.MethodGet, "public/secret.txt", 403},
		{http.MethodGet, "public/missing.txt", 403},
		{http.MethodGet, "private/a.txt", 403},
		{http.MethodPut, "public/new.txt", 403},
		{http.MethodDelete, "public/a.txt", 403},
	} {
		for _, ep := range tgt.endpoints() {
			r := anonymous(ctx, t, ep, c.method, "/"+bucket+"/"+c.key, nil)
			if r.status != c.status {
				t.Errorf("anonymous %s %s on %s: %d, want %d", c.method, c.key, ep.name, r.status, c.status)
			} else if c.status == 403 {
				wantError(t, "anonymous "+c.method+" "+c.key, r, 403, "AccessDenied")
			} else if c.method == http.MethodGet && string(r.body) != c.key {
				t.Errorf("anonymous GET %s: body %q", c.key, r.body)
			}
		}
	}
	if r := anonymous(ctx, t, ep, http.MethodGet, "/"+bucket, nil); r.status != 403 {
		t.Errorf("anonymous listing: %d, want 403", r.status)
	}
	// DeleteBucketPolicy answers 200 on RGW 16.2, again when there is none.
	for i := 0; i < 2; i++ {
		if r := signedRequest(ctx, t, ep, http.MethodDelete, "/"+bucket+"?policy", nil, nil); r.status != http.StatusOK {
			t.Errorf("DeleteBucketPolicy %d: %d, want 200", i+1, r.status)
		}
	}
	if r := anonymous(ctx, t, ep, http.MethodGet, "/"+bucket+"/public/a.txt", nil); r.status != 403 {
		t.Errorf("anonymous GET after DeleteBucketPolicy: %d", r.status)
	}
}

// TestBucketPolicyRefused: documents RGW refuses (400 InvalidArgument,
// not MalformedPolicy) and ones it takes.
func TestBucketPolicyRefused(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	res := `"Resource":"arn:aws:s3:::` + bucket + `/*"`
	for name, doc := range map[string]string{
		"not JSON":          `{"Version":`,
		"empty":             ``,
		"a list":            `[]`,
		"unknown key":       `{"Version":"2012-10-17","Foo":1,"Statement":[]}`,
		"unknown version":   `{"Version":"2099-01-01","Statement":[]}`,
		"effect Maybe":      stmt(`{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject",` + res + `}`),
		"action s3:Bogus":   stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:Bogus",` + res + `}`),
		"principal someone": stmt(`{"Effect":"Allow","Principal":"someone","Action":"s3:GetObject",` + res + `}`),
		"resource not ARN":  stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"bucket/*"}`),
	} {
		wantError(t, "PutBucketPolicy "+name, signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?policy", []byte(doc), nil), http.StatusBadRequest, "InvalidArgument")
	}
	for name, doc := range map[string]string{
		"no statement":   `{"Version":"2012-10-17"}`,
		"no version":     `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}]}`,
		"one statement":  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}}`,
		"another bucket": stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::another/*"}`),
	} {
		if r := signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?policy", []byte(doc), nil); r.status != http.StatusNoContent {
			t.Errorf("PutBucketPolicy %s: %d %s, want 204", name, r.status, r.body)
		}
	}
	// A condition (a source network the caller is not in) grants nothing.
	conditional := stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`)
	if r := signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?policy", []byte(conditional), nil); r.status != http.StatusNoContent {
		t.Errorf("PutBucketPolicy with a condition: %d %s, want 204", r.status, r.body)
	}
	if _, err := tgt.plain.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.txt"), Body: bytes.NewReader([]byte("a"))}); err != nil {
		t.Fatal(err)
	}
	if r := anonymous(ctx, t, tgt.plain, http.MethodGet, "/"+bucket+"/a.txt", nil); r.status != 403 {
		t.Errorf("anonymous GET under a conditional Allow: %d, want 403", r.status)
	}
}

// TestLifecycle: the round trip, in the forms RGW reads rules back.
func TestLifecycle(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	c := tgt.plain.s3
	b := aws.String(bucket)
	_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchLifecycleConfiguration" {
		t.Fatalf("GetBucketLifecycleConfiguration without one: %d %s (%v)", status, code, err)
	}
	date := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	rules := []types.LifecycleRule{
		{ID: aws.String("logs"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("logs/")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(7)}},
		{ID: aws.String("all"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(30)}},
		{ID: aws.String("empty-filter"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{},
			NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(10)}},
		{ID: aws.String("and"), Status: types.ExpirationStatusDisabled, Expiration: &types.LifecycleExpiration{Date: &date},
			Filter: &types.LifecycleRuleFilter{And: &types.LifecycleRuleAndOperator{Prefix: aws.String("tmp/"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}},
		{ID: aws.String("mpu"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("up/")},
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(2)}},
		{Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{And: &types.LifecycleRuleAndOperator{Prefix: aws.String("x/")}}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(4)}},
	}
	if _, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b, LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if err != nil || len(out.Rules) != 6 {
		t.Fatalf("GetBucketLifecycleConfiguration: %+v %v", out, err)
	}
	// Sorted by ID; the rule sent without one has 48 characters of [a-z0-9].
	var ids []string
	byID := map[string]types.LifecycleRule{}
	for _, r := range out.Rules {
		ids = append(ids, aws.ToString(r.ID))
		byID[aws.ToString(r.ID)] = r
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Errorf("rules not sorted by ID: %q", ids)
		}
	}
	var generated types.LifecycleRule
	for _, id := range ids {
		if len(id) == 48 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") == "" {
			generated = byID[id]
		}
	}
	// Filter{Prefix: ""} and Filter{} read back as the legacy Prefix "".
	for _, id := range []string{"all", "empty-filter"} {
		if r := byID[id]; r.Filter != nil || r.Prefix == nil || *r.Prefix != "" { //nolint:staticcheck // the legacy field is what RGW answers
			t.Errorf("rule %s: Filter %+v Prefix %v, want no Filter and Prefix \"\"", id, r.Filter, r.Prefix) //nolint:staticcheck // as above
		}
	}
	if r := byID["logs"]; r.Filter == nil || aws.ToString(r.Filter.Prefix) != "logs/" || aws.ToInt32(r.Expiration.Days) != 7 {
		t.Errorf("rule logs: %+v", r)
	}
	// And{Prefix, Tag} reads back without And.
	if r := byID["and"]; r.Filter == nil || r.Filter.And != nil || aws.ToString(r.Filter.Prefix) != "tmp/" || r.Filter.Tag == nil ||
		aws.ToString(r.Filter.Tag.Key) != "k" || r.Status != types.ExpirationStatusDisabled || !aws.ToTime(r.Expiration.Date).Equal(date) {
		t.Errorf("rule and: filter %+v, %+v", r.Filter, r)
	}
	if r := byID["mpu"]; r.AbortIncompleteMultipartUpload == nil || aws.ToInt32(r.AbortIncompleteMultipartUpload.DaysAfterInitiation) != 2 {
		t.Errorf("rule mpu: %+v", r)
	}
	if r := byID["empty-filter"]; r.NoncurrentVersionExpiration == nil || aws.ToInt32(r.NoncurrentVersionExpiration.NoncurrentDays) != 10 {
		t.Errorf("rule empty-filter: %+v", r)
	}
	if generated.Filter == nil || generated.Filter.And != nil || aws.ToString(generated.Filter.Prefix) != "x/" {
		t.Errorf("the rule sent without an ID (And{Prefix} only): %+v among %q", generated, ids)
	}
	if _, err := c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusNotFound || code != "NoSuchLifecycleConfiguration" {
		t.Errorf("after DeleteBucketLifecycle: %d %s (%v)", status, code, err)
	}
}

// TestLifecycleRefused: what RGW refuses, and with which code.
func TestLifecycleRefused(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	doc := func(rules string) []byte {
		return []byte(`<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + rules + `</LifecycleConfiguration>`)
	}
	rule := func(id, filter, status, actions string) string {
		return `<Rule><ID>` + id + `</ID>` + filter + `<Status>` + status + `</Status>` + actions + `</Rule>`
	}
	f, days := `<Filter><Prefix>a/</Prefix></Filter>`, `<Expiration><Days>1</Days></Expiration>`
	for _, c := range []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"no rules", doc(``), 400, "MalformedXML"},
		{"no action", doc(rule("a", f, "Enabled", ``)), 400, "MalformedXML"},
		{"status On", doc(rule("a", f, "On", days)), 400, "MalformedXML"},
		{"neither filter nor prefix", doc(rule("a", ``, "Enabled", days)), 400, "MalformedXML"},
		{"days and date", doc(rule("a", f, "Enabled", `<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>`)), 400, "MalformedXML"},
		{"date not midnight", doc(rule("a", f, "Enabled", `<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>`)), 400, "MalformedXML"},
		{"not XML", []byte(`<LifecycleConfiguration><Rule>`), 400, "MalformedXML"},
		{"duplicate IDs", doc(rule("a", f, "Enabled", days) + rule("a", `<Filter><Prefix>b/</Prefix></Filter>`, "Enabled", days)), 400, "InvalidArgument"},
		{"ID of 256 characters", doc(rule(strings.Repeat("i", 256), f, "Enabled", days)), 400, "InvalidArgument"},
		{"days 0", doc(rule("a", f, "Enabled", `<Expiration><Days>0</Days></Expiration>`)), 400, "InvalidArgument"},
		{"noncurrent days 0", doc(rule("a", f, "Enabled", `<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>`)), 400, "InvalidArgument"},
		{"abort days 0", doc(rule("a", f, "Enabled", `<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)), 400, "InvalidArgument"},
		{"abort with tags", doc(rule("a", `<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></And></Filter>`, "Enabled",
			`<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)), 400, "InvalidRequest"},
	} {
		wantError(t, "PutBucketLifecycle "+c.name, signedRequest(ctx, t, tgt.plain, http.MethodPut, "/"+bucket+"?lifecycle", c.body, nil), c.status, c.code)
	}
	_, err := tgt.plain.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(bucket)})
	if status, _ := apiError(err); status != http.StatusNotFound {
		t.Errorf("a refused configuration was stored: %v", err)
	}
}

// TestRefusedBucketFeatures: what Pacific, as HostUp runs it, does not
// offer: server-side encryption (400 InvalidArgument) and static websites
// (405 MethodNotAllowed).
func TestRefusedBucketFeatures(t *testing.T) {
	ctx := testContext(t)
	bucket := newBucket(t)
	c := tgt.plain.s3
	b := aws.String(bucket)
	_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}}},
	}})
	if status, code := apiError(err); status != http.StatusBadRequest || code != "InvalidArgument" {
		t.Errorf("PutBucketEncryption: %d %s (%v), want 400 InvalidArgument", status, code, err)
	}
	// RGW answers PutBucketWebsite before it reads the request's body and
	// closes the connection: when the body is still being written (a loaded
	// machine), the connection is reset and the error document with it, so
	// an answer whose document was lost is asked again.
	for range 3 {
		_, err = c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: b, WebsiteConfiguration: &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}})
		if status, code := apiError(err); status == 0 || code != "" {
			break
		}
	}
	if status, code := apiError(err); status != http.StatusMethodNotAllowed || code != "MethodNotAllowed" {
		t.Errorf("PutBucketWebsite: %d %s (%v), want 405 MethodNotAllowed", status, code, err)
	}
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusMethodNotAllowed || code != "MethodNotAllowed" {
		t.Errorf("GetBucketWebsite: %d %s (%v), want 405 MethodNotAllowed", status, code, err)
	}
	_, err = c.DeleteBucketWebsite(ctx, &s3.DeleteBucketWebsiteInput{Bucket: b})
	if status, code := apiError(err); status != http.StatusMethodNotAllowed || code != "MethodNotAllowed" {
		t.Errorf("DeleteBucketWebsite: %d %s (%v), want 405 MethodNotAllowed", status, code, err)
	}
}
