// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

const bucketBody = `{"success":true,"requestId":"r-1","data":{"bucket":{"name":"logs","created":"2026-02-10T12:00:00Z","sizeBytes":42,"numObjects":3,"owner":"client_204$main"}}}`

func TestBuckets(t *testing.T) {
	srv, reqs := server(t, 200, bucketBody, nil)
	c := newClient(t, srv.URL+"/api")
	b, err := c.GetBucket(context.Background(), "logs")
	if err != nil {
		t.Fatal(err)
	}
	want := hostup.Bucket{Name: "logs", Created: time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC), SizeBytes: 42, NumObjects: 3, Owner: "client_204$main", CountsKnown: true}
	if *b != want {
		t.Errorf("got %+v", *b)
	}
	if _, err := c.CreateBucket(context.Background(), "logs"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteBucket(context.Background(), "logs"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range *reqs {
		got = append(got, r.method+" "+r.rawPath)
	}
	wantReqs := []string{"GET /api/object-storage/buckets/logs", "POST /api/object-storage/buckets", "DELETE /api/object-storage/buckets/logs"}
	if len(got) != 3 || got[0] != wantReqs[0] || got[1] != wantReqs[1] || got[2] != wantReqs[2] {
		t.Errorf("requests %q, want %q", got, wantReqs)
	}
	var body map[string]string
	if err := json.Unmarshal((*reqs)[1].body, &body); err != nil || body["name"] != "logs" || len(body) != 1 {
		t.Errorf("create body %s", (*reqs)[1].body)
	}
}

func TestListBucketsAndAccount(t *testing.T) {
	srv, _ := server(t, 200, `{"success":true,"data":{"buckets":[{"name":"a","sizeBytes":1,"numObjects":1,"created":"2026-01-01T00:00:00Z"},{"name":"b"}],
"provisioned":true,"endpoint":"https://s3.hostup.se","awsRegion":"eu-north-1","region":"Sweden","bucketCount":2,"keyCount":1,
"tenant":{"quotaMaxSizeGB":250},"usage":{"numObjects":1,"sizeBytes":1}}}`, nil)
	c := newClient(t, srv.URL)
	list, err := c.ListBuckets(context.Background())
	if err != nil || len(list) != 2 || list[0].Name != "a" || !list[0].CountsKnown || list[1].Name != "b" || !list[1].Created.IsZero() || list[1].CountsKnown {
		t.Fatalf("%+v %v", list, err)
	}
	a, err := c.GetAccount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (hostup.Account{Provisioned: true, Endpoint: "https://s3.hostup.se", AWSRegion: "eu-north-1", Region: "Sweden",
		BucketCount: 2, KeyCount: 1, QuotaMaxSizeGB: 250, UsageObjects: 1, UsageBytes: 1}); *a != want {
		t.Errorf("got %+v", *a)
	}
}

// Creating is retried only when the API certainly did not act: a 429 or a
// connection that never opened; never after a 5xx or a dropped answer,
// which could leave a second key pair nobody holds the secret of.
func TestCreationsRetryOnlyWhatDidNotReachTheAPI(t *testing.T) {
	keyBody := `{"success":true,"data":{"key":{"accessKey":"AK","secretKey":"SK","label":"l"}}}`
	for name, tc := range map[string]struct {
		first    answer
		requests int32
		ok       bool
	}{
		"503":             {answer{status: 503, body: classic("INTERNAL_ERROR")}, 1, false},
		"500":             {answer{status: 500, body: classic("INTERNAL_ERROR")}, 1, false},
		"429 is retried":  {answer{status: 429, header: http.Header{"Retry-After": {"0"}}, body: classic("RATE_LIMITED")}, 2, true},
		"success at once": {answer{status: 200, body: keyBody}, 1, true},
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := scripted(t, tc.first, answer{status: 200, body: keyBody})
			c := retryingClient(t, srv.URL, nil)
			k, err := c.CreateKeyPair(context.Background(), "l")
			if (err == nil) != tc.ok || n.Load() != tc.requests {
				t.Fatalf("%d requests, err %v", n.Load(), err)
			}
			if tc.ok && (k.AccessKeyID != "AK" || k.SecretAccessKey != "SK") {
				t.Fatalf("got %+v", k)
			}
		})
	}
	t.Run("connection refused is retried", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := retryingClient(t, url, nil).CreateBucket(context.Background(), "b")
		var reqErr *hostup.RequestError
		if !errors.As(err, &reqErr) || reqErr.Attempts != 4 {
			t.Fatalf("err = %v", err)
		}
	})
}

// A key pair answer without its secret is refused, never quoted.
func TestCreateKeyPairRefusesHalfAnswer(t *testing.T) {
	srv, _ := server(t, 200, `{"success":true,"data":{"key":{"accessKey":"AKONLY","label":"l"}}}`, nil)
	_, err := newClient(t, srv.URL).CreateKeyPair(context.Background(), "l")
	var respErr *hostup.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteKeyPairEncodesTheAccessKey(t *testing.T) {
	srv, reqs := server(t, 200, `{"success":true,"data":{"deleted":true}}`, nil)
	if err := newClient(t, srv.URL).DeleteKeyPair(context.Background(), "AK/+="); err != nil {
		t.Fatal(err)
	}
	if got := (*reqs)[0].rawPath; got != "/object-storage/keys/QUsvKz0=" && got != "/object-storage/keys/QUsvKz0%3D" {
		t.Errorf("path %q", got)
	}
}

// A delete answered without "data" succeeded: nothing is read from it.
func TestDeletesNeedNoData(t *testing.T) {
	srv, _ := server(t, 200, `{"success":true}`, nil)
	c := newClient(t, srv.URL)
	if err := c.DeleteBucket(context.Background(), "b"); err != nil {
		t.Errorf("bucket: %v", err)
	}
	if err := c.DeleteKeyPair(context.Background(), "AK"); err != nil {
		t.Errorf("key pair: %v", err)
	}
	failed, _ := server(t, 200, `{"success":false}`, nil)
	if err := newClient(t, failed.URL).DeleteBucket(context.Background(), "b"); err == nil {
		t.Error(`"success": false accepted`)
	}
}

// SetBucketVersioning against the emulator: the status answered is the one
// S3 then reports, and a missing bucket is a 404 APIError.
func TestSetBucketVersioning(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{APIKeys: []string{testKey}})
	c := newClient(t, e.APIURL())
	for _, enabled := range []bool{true, false, true} {
		status, err := c.SetBucketVersioning(context.Background(), "media", enabled)
		want := map[bool]string{true: "Enabled", false: "Suspended"}[enabled]
		if err != nil || status != want {
			t.Fatalf("enabled %v: %q %v, want %q", enabled, status, err, want)
		}
		if got := e.BucketVersioning("media"); got != want {
			t.Errorf("S3 reports %q, want %q", got, want)
		}
	}
	_, err := c.SetBucketVersioning(context.Background(), "missing", true)
	var ae *hostup.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("missing bucket: %v, want a 404 APIError", err)
	}
	var body map[string]any
	reqs := e.Requests()
	if last := reqs[len(reqs)-1]; last.Method != http.MethodPut || last.Path != "/api/object-storage/buckets/missing/versioning" ||
		json.Unmarshal(last.Body, &body) != nil || body["enabled"] != true || len(body) != 1 {
		t.Errorf("request %s %s %s", last.Method, last.Path, last.Body)
	}
}
