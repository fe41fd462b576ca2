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

// One line per request on either side, with its status, and no secret.
func TestRequestLogMasksSecrets(t *testing.T) {
	var log emulatortest.Log
	e := start(t, emulator.Options{Buckets: []string{"media"}, RequestLog: &log})
	if err := e.PutObject("media", "a.txt", []byte("hi")); err != nil {
		t.Fatal(err)
	}
	u := presignURL(t, e, "a.txt", "download", "")
	if status, _ := do(t, http.MethodGet, u, "", nil); status != http.StatusOK {
		t.Fatalf("GET: %d", status)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got:\n%s", log.String())
	}
	if !strings.Contains(lines[0], " API POST /api/object-storage/buckets/media/presign 200 ") {
		t.Errorf("API line: %q", lines[0])
	}
	if !strings.Contains(lines[1], " S3  GET /media/a.txt?") || !strings.Contains(lines[1], " 200 ") || !strings.Contains(lines[1], "X-Amz-Signature=***") {
		t.Errorf("S3 line: %q", lines[1])
	}
	sig, _, _ := strings.Cut(u[strings.Index(u, "X-Amz-Signature=")+len("X-Amz-Signature="):], "&")
	if len(sig) < 64 {
		t.Fatalf("signature %q", sig)
	}
	for _, secret := range []string{emulator.DefaultAPIKey, sig, emulator.DefaultAccessKeyID} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, log.String())
		}
	}
}
