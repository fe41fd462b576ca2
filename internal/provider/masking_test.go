// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	maskKey = "hostup-live-9d8c7b6a"
	rawURL  = "https://s3.hostup.se/media/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDSECRET%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=T0KEN&X-Amz-SignedHeaders=host&X-Amz-Signature=5ee1c0ffee&x-id=GetObject"
)

// Every form a URL can take in text: raw, percent-encoded once (a URL inside
// a query string or a form), and twice.
func urlForms() map[string]string {
	once := url.QueryEscape(rawURL)
	return map[string]string{"raw": rawURL, "encoded": once, "double-encoded": url.QueryEscape(once)}
}

var urlSecrets = []string{"5ee1c0ffee", "AKIDSECRET", "T0KEN"}

func TestMaskTextHidesEveryForm(t *testing.T) {
	s := newSecrets(maskKey)
	for form, u := range urlForms() {
		got := s.maskText("issued " + u + " with key " + maskKey + ".")
		for _, secret := range append(urlSecrets, maskKey) {
			if strings.Contains(got, secret) {
				t.Errorf("%s: %q survives in %q", form, secret, got)
			}
		}
		// What is not secret stays readable.
		if !strings.Contains(got, "X-Amz-Expires") || !strings.Contains(got, "GetObject") {
			t.Errorf("%s: masked too much: %q", form, got)
		}
	}
}

func TestLogsMaskPercentEncodedURLs(t *testing.T) {
	var out bytes.Buffer
	ctx := newSecrets(maskKey).maskLogs(tflogtest.RootLogger(context.Background(), &out))
	for form, u := range urlForms() {
		tflog.Debug(ctx, form+" "+u, map[string]any{"where": u})
		tflog.SubsystemDebug(ctx, apiSubsystem, form+" "+u, map[string]any{"where": u})
	}
	logs := out.String()
	if strings.Count(logs, "encoded") < 4 {
		t.Fatalf("lines missing from the log:\n%s", logs)
	}
	for _, secret := range urlSecrets {
		if strings.Contains(logs, secret) {
			t.Errorf("%q survives in the log:\n%s", secret, logs)
		}
	}
}

// A diagnostic that quotes the API's text, which may echo the key, is
// masked, keeping its severity and attribute path.
func TestMaskDiagnostics(t *testing.T) {
	in := diag.Diagnostics{
		diag.NewErrorDiagnostic("HostUp API Key Rejected", "Invalid API key "+maskKey+"."),
		diag.NewAttributeWarningDiagnostic(path.Root("bucket"), "W", "see "+rawURL),
		diag.NewErrorDiagnostic("Untouched", "nothing secret"),
	}
	out := newSecrets(maskKey).maskDiagnostics(in)
	if len(out) != 3 {
		t.Fatalf("got %d diagnostics", len(out))
	}
	if d := out[0].Detail(); d != "Invalid API key ***." || out[0].Severity() != diag.SeverityError {
		t.Errorf("first: %q %v", d, out[0].Severity())
	}
	w, ok := out[1].(diag.DiagnosticWithPath)
	if !ok || !w.Path().Equal(path.Root("bucket")) || out[1].Severity() != diag.SeverityWarning {
		t.Errorf("second lost its path or severity: %#v", out[1])
	}
	for _, secret := range urlSecrets {
		if strings.Contains(out[1].Detail(), secret) {
			t.Errorf("%q survives in %q", secret, out[1].Detail())
		}
	}
	if !out[2].Equal(in[2]) {
		t.Errorf("an untouched diagnostic changed: %#v", out[2])
	}
}
