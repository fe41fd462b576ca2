// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

func apiCall(t *testing.T, e *emulator.Emulator, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.APIURL()+path, r)
	req.Header.Set("X-API-Key", emulator.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func localSigner(t *testing.T, e *emulator.Emulator, access, secret string) *hostups3.Signer {
	t.Helper()
	s, err := hostups3.NewSigner(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region, AccessKeyID: access, SecretAccessKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A key pair made through the API signs URLs the S3 side accepts, for as
// long as the pair exists; the last pair cannot be deleted.
func TestKeyPairsFromTheAPIWorkOnS3(t *testing.T) {
	e := start(t, emulator.Options{Buckets: []string{"media"}})
	if err := e.PutObject("media", "a.txt", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	status, out := apiCall(t, e, http.MethodPost, "/object-storage/keys", map[string]string{"label": "ci"})
	access, secret := str(out, "data", "key", "accessKey"), str(out, "data", "key", "secretKey")
	if status != 200 || access == "" || secret == "" || str(out, "data", "key", "label") != "ci" {
		t.Fatalf("create: %d %v", status, out)
	}
	p, err := localSigner(t, e, access, secret).Presign(context.Background(), hostups3.PresignInput{
		Bucket: "media", Key: "a.txt", Action: presignedurl.Download, SignedAt: time.Now(), Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if status, body := do(t, http.MethodGet, p.URL, "", nil); status != 200 || body != "hello" {
		t.Fatalf("GET with the new pair: %d %s", status, body)
	}
	if status, _ := apiCall(t, e, http.MethodGet, "/object-storage", nil); status != 200 {
		t.Fatal(status)
	}
	if _, out := apiCall(t, e, http.MethodGet, "/object-storage", nil); dig(out, "data", "keyCount") != float64(2) {
		t.Errorf("keyCount = %v", dig(out, "data", "keyCount"))
	}

	enc := base64.StdEncoding.EncodeToString([]byte(access))
	if status, out := apiCall(t, e, http.MethodDelete, "/object-storage/keys/"+enc, nil); status != 200 || dig(out, "data", "deleted") != true {
		t.Fatalf("delete: %d %v", status, out)
	}
	if status, body := do(t, http.MethodGet, p.URL, "", nil); status != 403 || !strings.Contains(body, "InvalidAccessKeyId") {
		t.Fatalf("GET after the pair was deleted: %d %s", status, body)
	}
	last := base64.StdEncoding.EncodeToString([]byte(emulator.DefaultAccessKeyID))
	if status, out := apiCall(t, e, http.MethodDelete, "/object-storage/keys/"+last, nil); status != 400 || !strings.Contains(str(out, "message"), "Cannot delete the last access key") {
		t.Fatalf("deleting the last key: %d %v", status, out)
	}
	if status, _ := apiCall(t, e, http.MethodPost, "/object-storage/keys", map[string]string{}); status != 400 {
		t.Fatalf("no label: %d", status)
	}
}

// A download URL's response overrides become the answer's headers, and a
// URL valid for days works across an Advance of days, until it expires.
func TestResponseOverridesAndLongLifetimes(t *testing.T) {
	e := start(t, emulator.Options{Buckets: []string{"media"}})
	if err := e.PutObject("media", "report.bin", []byte("data")); err != nil {
		t.Fatal(err)
	}
	p, err := localSigner(t, e, emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey).Presign(context.Background(), hostups3.PresignInput{
		Bucket: "media", Key: "report.bin", Action: presignedurl.Download, SignedAt: e.Now(), Expires: 7 * 24 * time.Hour,
		ResponseContentDisposition: `attachment; filename="report.pdf"`, ResponseContentType: "application/pdf", ResponseCacheControl: "no-store",
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Advance(6 * 24 * time.Hour)
	resp, err := http.Get(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="report.pdf"` ||
		resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("after 6 days: %d %v", resp.StatusCode, resp.Header)
	}
	e.Advance(24 * time.Hour)
	if status, body := do(t, http.MethodGet, p.URL, "", nil); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Fatalf("after 7 days: %d %s", status, body)
	}
}

// signAndFetch downloads bucket/key with a URL signed by the given pair and
// returns the body, or the error text.
func signAndFetch(t *testing.T, e *emulator.Emulator, access, secret, bucket, key string) string {
	t.Helper()
	p, err := localSigner(t, e, access, secret).Presign(context.Background(), hostups3.PresignInput{
		Bucket: bucket, Key: key, Action: presignedurl.Download, SignedAt: e.Now(), Expires: time.Hour})
	if err != nil {
		return err.Error()
	}
	_, body := do(t, http.MethodGet, p.URL, "", nil)
	return body
}
