// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

var diagInput = presignOp(hostup.PresignInput{Bucket: "media", Key: "k", Action: presignedurl.Download})

// A wait given as an HTTP date reads as a duration, not "N seconds".
func TestRateLimitDiagnosticShowsWaitAsDuration(t *testing.T) {
	d := apiErrorDiagnostic(&hostup.APIError{
		StatusCode: 429, Documented: true, Message: "Slow down",
		RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", RetryAfterWait: 90 * time.Second,
	}, diagInput)
	if !strings.Contains(d.Detail(), "The API asked to wait 1m30s.") || strings.Contains(d.Detail(), "GMT") {
		t.Errorf("detail = %q", d.Detail())
	}
}

// The API's own full stop is never doubled.
func TestDiagnosticsNeverDoublePunctuation(t *testing.T) {
	for _, e := range []*hostup.APIError{
		{StatusCode: 401, Documented: true, Message: "Missing or invalid API key."},
		{StatusCode: 404, Documented: true, Message: "Bucket not found."},
		{StatusCode: 400, Documented: true, Message: "Key is too long."},
		{StatusCode: 500, Documented: true, Message: "Internal error!"},
		{StatusCode: 429, Documented: true, Message: "Slow down."},
	} {
		d := apiErrorDiagnostic(e, diagInput)
		for _, doubled := range []string{"..", ".).", "!."} {
			if strings.Contains(d.Detail(), doubled) {
				t.Errorf("%d: %q in %q", e.StatusCode, doubled, d.Detail())
			}
		}
	}
	for _, err := range []error{
		&hostup.ResponseError{StatusCode: 200, Reason: "it ends."},
		&hostup.RequestError{Endpoint: "https://x/api", Err: errDot{}},
	} {
		if d := apiDiagnostic(context.Background(), err, diagInput); strings.Contains(d.Detail(), "..") {
			t.Errorf("%T: %q", err, d.Detail())
		}
	}
}

type errDot struct{}

func (errDot) Error() string { return "connection refused." }

// A 403 or 404 without HostUp's error document names the endpoint, not the
// key or the bucket.
func TestUndocumentedClientErrorBlamesEndpoint(t *testing.T) {
	for _, status := range []int{401, 403, 404, 405} {
		d := apiErrorDiagnostic(&hostup.APIError{StatusCode: status}, diagInput)
		if d.Summary() != "Endpoint Is Not the HostUp API" || !strings.Contains(d.Detail(), "HOSTUP_ENDPOINT") ||
			!strings.Contains(d.Detail(), "https://cloud.hostup.se/api") {
			t.Errorf("%d: %s: %s", status, d.Summary(), d.Detail())
		}
	}
	if d := apiErrorDiagnostic(&hostup.APIError{StatusCode: 404, Documented: true, Code: "NOT_FOUND"}, diagInput); d.Summary() != "HostUp Bucket Not Found" {
		t.Errorf("a documented 404: %s", d.Summary())
	}
}

// A redirect names the status and the target's host, and how to fix it.
func TestRedirectDiagnostic(t *testing.T) {
	d := apiDiagnostic(context.Background(), &hostup.RedirectError{StatusCode: 301, Endpoint: "https://cloud.hostup.se/api", Target: "http://evil.example"}, diagInput)
	for _, want := range []string{"HTTP 301", "http://evil.example", "never follows", "HOSTUP_ENDPOINT"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("missing %q in %q", want, d.Detail())
		}
	}
}
