// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

func TestBucketsThroughTheAPI(t *testing.T) {
	e := start(t, emulator.Options{})
	status, out := apiCall(t, e, http.MethodPost, "/object-storage/buckets", map[string]string{"name": "new-one"})
	if status != 200 || str(out, "data", "bucket", "name") != "new-one" || dig(out, "data", "bucket", "numObjects") != float64(0) {
		t.Fatalf("create: %d %v", status, out)
	}
	if status, out := apiCall(t, e, http.MethodPost, "/object-storage/buckets", map[string]string{"name": "new-one"}); status != 409 {
		t.Fatalf("create twice: %d %v", status, out)
	}
	// HostUp's rule, and S3's about the ends, which Ceph RGW enforces.
	for _, bad := range []string{"Bad_Name", "-leading", "trailing-", "ab"} {
		if status, out := apiCall(t, e, http.MethodPost, "/object-storage/buckets", map[string]string{"name": bad}); status != 400 ||
			!strings.Contains(str(out, "message"), "Bucket name must be 3-63 characters") {
			t.Fatalf("bad name %q: %d %v", bad, status, out)
		}
	}
	// The S3 side sees the bucket, and its count comes from there.
	if err := e.PutObject("new-one", "x", []byte("abc")); err != nil {
		t.Fatal(err)
	}
	_, out = apiCall(t, e, http.MethodGet, "/object-storage/buckets/new-one", nil)
	if dig(out, "data", "bucket", "numObjects") != float64(1) || dig(out, "data", "bucket", "sizeBytes") != float64(3) || str(out, "data", "bucket", "owner") != emulator.Owner {
		t.Fatalf("get: %v", out)
	}
	if status, out := apiCall(t, e, http.MethodDelete, "/object-storage/buckets/new-one", nil); status != 200 || dig(out, "data", "deleted") != true {
		t.Fatalf("delete: %d %v", status, out)
	}
	if _, err := e.GetObject("new-one", "x"); err == nil {
		t.Fatal("the bucket's object survived its deletion")
	}
	if status, _ := apiCall(t, e, http.MethodDelete, "/object-storage/buckets/new-one", nil); status != 404 {
		t.Fatalf("delete again: %d", status)
	}
}

func TestUnverifiedAccountCannotCreateBuckets(t *testing.T) {
	e := start(t, emulator.Options{Unverified: true})
	status, out := apiCall(t, e, http.MethodPost, "/object-storage/buckets", map[string]string{"name": "new-one"})
	if status != 403 || !strings.Contains(str(out, "message"), "identity verification") {
		t.Fatalf("%d %v", status, out)
	}
}

// With a directory, key pairs and buckets made through the API survive a
// restart, and the pairs still sign.
func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := emulatortest.Start(t, emulator.Options{Dir: dir})
	_, out := apiCall(t, first, http.MethodPost, "/object-storage/keys", map[string]string{"label": "kept"})
	access, secret := str(out, "data", "key", "accessKey"), str(out, "data", "key", "secretKey")
	apiCall(t, first, http.MethodPost, "/object-storage/buckets", map[string]string{"name": "kept-bucket"})
	_, before := apiCall(t, first, http.MethodGet, "/object-storage/buckets/kept-bucket", nil)
	if err := first.PutObject("kept-bucket", "o", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := emulatortest.Start(t, emulator.Options{Dir: dir})
	_, after := apiCall(t, second, http.MethodGet, "/object-storage/buckets/kept-bucket", nil)
	if str(after, "data", "bucket", "created") == "" || str(after, "data", "bucket", "created") != str(before, "data", "bucket", "created") ||
		dig(after, "data", "bucket", "numObjects") != float64(1) {
		t.Fatalf("bucket after restart: %v (before %v)", after, before)
	}
	if _, out := apiCall(t, second, http.MethodGet, "/object-storage", nil); dig(out, "data", "keyCount") != float64(2) {
		t.Fatalf("keyCount after restart: %v", dig(out, "data", "keyCount"))
	}
	if err := signAndFetch(t, second, access, secret, "kept-bucket", "o"); err != "v" {
		t.Fatalf("the kept pair after restart: %s", err)
	}
}
