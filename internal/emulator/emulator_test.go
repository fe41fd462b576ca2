// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

var start = emulatortest.Start

// presign asks the emulator's API for a URL, as the provider would.
func presign(t *testing.T, e *emulator.Emulator, bucket, key, action, contentType string) (int, map[string]any) {
	t.Helper()
	body := map[string]string{"key": key, "action": action}
	if contentType != "" {
		body["contentType"] = contentType
	}
	return apiCall(t, e, http.MethodPost, "/object-storage/buckets/"+url.PathEscape(bucket)+"/presign", body)
}

func presignURL(t *testing.T, e *emulator.Emulator, key, action, contentType string) string {
	t.Helper()
	status, out := presign(t, e, "media", key, action, contentType)
	if status != http.StatusOK {
		t.Fatalf("presign: HTTP %d: %v", status, out)
	}
	data, _ := out["data"].(map[string]any)
	u, _ := data["url"].(string)
	if u == "" {
		t.Fatalf("presign: no url in %v", out)
	}
	return u
}

func do(t *testing.T, method, rawURL, contentType string, body []byte) (int, string) {
	t.Helper()
	status, got, err := emulatortest.Do(method, rawURL, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, got
}

func TestRoundTripOddKeys(t *testing.T) {
	e := start(t, emulator.Options{})
	keys := []string{
		"plain.txt",
		"dir/sub dir/file with spaces.txt",
		"unicode/räksmörgås-日本語.bin",
		"a+b=c&d.txt",
		"100%/done?.txt",
		"hash#tag/#x",
		"tilde~and'quote\"(parens)",
		"trailing/slash/",
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			payload := []byte("payload for " + key)
			put := presignURL(t, e, key, "upload", "text/plain")
			if status, body := do(t, http.MethodPut, put, "text/plain", payload); status != http.StatusOK {
				t.Fatalf("PUT: HTTP %d: %s", status, body)
			}
			get := presignURL(t, e, key, "download", "")
			status, body := do(t, http.MethodGet, get, "", nil)
			if status != http.StatusOK || body != string(payload) {
				t.Fatalf("GET: HTTP %d: %q", status, body)
			}
		})
	}
}

func TestS3RejectsWhatItDidNotSign(t *testing.T) {
	e := start(t, emulator.Options{})
	put := presignURL(t, e, "obj.txt", "upload", "text/plain")
	if status, body := do(t, http.MethodPut, put, "text/plain", []byte("x")); status != http.StatusOK {
		t.Fatalf("PUT: HTTP %d: %s", status, body)
	}
	get := presignURL(t, e, "obj.txt", "download", "")

	cases := []struct {
		name, method, url, contentType string
		wantStatus                     int
		wantCode                       string
	}{
		{"other content type", http.MethodPut, put, "application/json", 403, "SignatureDoesNotMatch"},
		{"no content type", http.MethodPut, put, "", 403, "SignatureDoesNotMatch"},
		{"upload URL used to GET", http.MethodGet, put, "", 403, "SignatureDoesNotMatch"},
		{"download URL used to PUT", http.MethodPut, get, "", 403, "SignatureDoesNotMatch"},
		{"tampered signature", http.MethodGet, emulatortest.Tamper(get), "", 403, "SignatureDoesNotMatch"},
		{"other key", http.MethodGet, strings.Replace(get, "/obj.txt", "/obj.txu", 1), "", 403, "SignatureDoesNotMatch"},
		{"unsigned", http.MethodGet, e.S3URL() + "/media/obj.txt", "", 403, "AccessDenied"},
		{"missing object", http.MethodGet, presignURL(t, e, "nope.txt", "download", ""), "", 404, "NoSuchKey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, tc.method, tc.url, tc.contentType, []byte("y"))
			if status != tc.wantStatus || !strings.Contains(body, "<Code>"+tc.wantCode+"</Code>") {
				t.Fatalf("got HTTP %d %s, want %d %s", status, body, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestS3RefusesExpiredURL(t *testing.T) {
	var log emulatortest.Log
	e := start(t, emulator.Options{ExpiresIn: 5 * time.Second, RequestLog: &log})
	put := presignURL(t, e, "soon.txt", "upload", "")
	e.Advance(4 * time.Second)
	if status, body := do(t, http.MethodPut, put, "", []byte("x")); status != http.StatusOK {
		t.Fatalf("PUT inside the window: HTTP %d: %s", status, body)
	}
	e.Advance(time.Second)
	status, body := do(t, http.MethodPut, put, "", []byte("x"))
	if status != http.StatusForbidden || !strings.Contains(body, "<Code>AccessDenied</Code>") || !strings.Contains(log.String(), "AccessDenied: Request has expired") {
		t.Fatalf("PUT at expiry: HTTP %d: %s\nlog:\n%s", status, body, log.String())
	}
}

// With Dir set, objects live on disk and survive a restart of the emulator.
func TestObjectsInDirectory(t *testing.T) {
	dir := t.TempDir()
	e := start(t, emulator.Options{Dir: dir})
	put := presignURL(t, e, "kept/on disk.txt", "upload", "")
	if status, body := do(t, http.MethodPut, put, "", []byte("persisted")); status != http.StatusOK {
		t.Fatalf("PUT: HTTP %d: %s", status, body)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	again := start(t, emulator.Options{Dir: dir})
	get := presignURL(t, again, "kept/on disk.txt", "download", "")
	if status, body := do(t, http.MethodGet, get, "", nil); status != http.StatusOK || body != "persisted" {
		t.Fatalf("GET after restart: HTTP %d %q", status, body)
	}
}
