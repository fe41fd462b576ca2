// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// apiDiagnostic turns a client error into what the user sees: a Title
// Case summary, a detail that says what happened and what to do, and the
// HTTP status, API code and request ID at the end. The client's errors never
// carry the API key or a presigned URL; text the API sent may, so every
// diagnostic also passes through secrets.maskDiagnostics.
func apiDiagnostic(ctx context.Context, err error, op apiOp) diag.Diagnostic {
	var (
		apiErr      *hostup.APIError
		respErr     *hostup.ResponseError
		redirectErr *hostup.RedirectError
		reqErr      *hostup.RequestError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErrorDiagnostic(apiErr, op)
	case errors.As(err, &redirectErr):
		return diag.NewErrorDiagnostic("HostUp API Endpoint Redirects",
			fmt.Sprintf("The HostUp API endpoint %s answered with a redirect (HTTP %d) to %s. The provider never follows "+
				"redirects from the API, so the API key is not sent to another address. %s",
				redirectErr.Endpoint, redirectErr.StatusCode, orNone(redirectErr.Target, "no usable location"), fixEndpoint))
	case errors.As(err, &respErr):
		outcome := "Nothing was stored. Retry; if it persists, contact HostUp support with the request ID below."
		if op.creates {
			outcome = "HostUp may have carried it out anyway: check before retrying, and give HostUp support the request ID below if it persists."
		}
		return diag.NewErrorDiagnostic("Unexpected Response from the HostUp API",
			fmt.Sprintf("The HostUp API answered the request to %s, but the answer cannot be used: %s %s\n\n%s",
				op.what, sentence(respErr.Reason), outcome, trailer(respErr.StatusCode, "", respErr.RequestID, respErr.Attempts)))
	case errors.As(err, &reqErr):
		what := reqErr.Err.Error()
		if ctx.Err() != nil {
			what = "the operation was cancelled or timed out (" + what + ")"
		}
		tried := ""
		if reqErr.Attempts > 1 {
			tried = fmt.Sprintf(" after %d attempts", reqErr.Attempts)
		}
		return diag.NewErrorDiagnostic("Unable to Reach the HostUp API",
			fmt.Sprintf("The provider could not complete a request to the HostUp API at %s%s: %s "+
				"Check the endpoint (the provider's endpoint argument or %s), your network and any proxy settings, then retry.",
				reqErr.Endpoint, tried, sentence(what), EnvEndpoint))
	}
	return diag.NewErrorDiagnostic("Unexpected HostUp Client Error",
		"An unexpected error occurred while trying to "+op.what+": "+sentence(err.Error()))
}

// apiOp describes an API call for its diagnostics.
type apiOp struct {
	// what completes "the request to ...", for example `create bucket "media"`.
	what string
	// bucket, when the call names one, is what a 404 says does not exist;
	// bucketPath is the attribute that holds it.
	bucket     string
	bucketPath path.Path
	// creates is true for calls that make something, where HostUp answers
	// 403 for an account whose identity is not verified.
	creates bool
}

func presignOp(in hostup.PresignInput) apiOp {
	return apiOp{what: fmt.Sprintf("presign a URL in bucket %q", in.Bucket), bucket: in.Bucket, bucketPath: path.Root("bucket")}
}

// fixEndpoint ends every diagnostic that blames the endpoint.
var fixEndpoint = fmt.Sprintf("Set endpoint in the provider block (or the %s environment variable) to HostUp's API base URL, %s, "+
	"or to the API address of a local emulator, which ends in /api.", EnvEndpoint, hostup.DefaultEndpoint)

func apiErrorDiagnostic(e *hostup.APIError, op apiOp) diag.Diagnostic {
	end := trailer(e.StatusCode, e.Code, e.RequestID, e.Attempts)
	said := sentence(e.Text())
	switch {
	case !e.Documented && e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests:
		// HostUp answers every client error with one of its error documents;
		// a bare 403 or 404 comes from a server that is not HostUp's API.
		return diag.NewErrorDiagnostic("Endpoint Is Not the HostUp API",
			fmt.Sprintf("The endpoint answered HTTP %d without HostUp's error document, so it is not HostUp's API: it may be "+
				"missing the /api path, or be another service such as the S3 endpoint. %s\n\n%s", e.StatusCode, fixEndpoint, end))
	case e.StatusCode == http.StatusForbidden && op.creates && strings.Contains(strings.ToLower(e.Text()), "verif"):
		return diag.NewErrorDiagnostic("HostUp Account Not Verified",
			fmt.Sprintf("HostUp refused to %s because the account's identity is not verified: %s Verify the account in "+
				"HostUp's control panel, then apply again.\n\n%s", op.what, said, end))
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		return diag.NewErrorDiagnostic("HostUp API Key Rejected",
			fmt.Sprintf("The HostUp API refused the API key: %s Check that %s (or api_key in the provider block) "+
				"holds a current HostUp API key with access to object storage, and that the account is verified.\n\n%s",
				said, EnvAPIKey, end))
	case e.StatusCode == http.StatusNotFound && op.bucket != "":
		detail := fmt.Sprintf("The bucket %q does not exist or belongs to another HostUp account. The API said: %s "+
			"Check the bucket name, and that the API key belongs to the account that owns the bucket.\n\n%s",
			op.bucket, said, end)
		if op.bucketPath.Equal(path.Empty()) {
			return diag.NewErrorDiagnostic("HostUp Bucket Not Found", detail)
		}
		return diag.NewAttributeErrorDiagnostic(op.bucketPath, "HostUp Bucket Not Found", detail)
	case e.StatusCode == http.StatusTooManyRequests:
		wait := ""
		if e.RetryAfterWait > 0 {
			wait = fmt.Sprintf(" The API asked to wait %s.", e.RetryAfterWait)
		}
		return diag.NewErrorDiagnostic("HostUp API Rate Limit Exceeded",
			fmt.Sprintf("The HostUp API is rate limiting this API key: %s%s Retry later, or run fewer "+
				"operations in parallel (terraform -parallelism).\n\n%s", said, wait, end))
	case e.StatusCode >= 500:
		return diag.NewErrorDiagnostic("HostUp API Error",
			fmt.Sprintf("The HostUp API failed while trying to %s: %s This is a problem on HostUp's side; "+
				"retry, and if it persists, give HostUp support the request ID below.\n\n%s", op.what, said, end))
	case e.StatusCode >= 400:
		return diag.NewErrorDiagnostic("HostUp API Rejected the Request",
			fmt.Sprintf("The HostUp API rejected the request to %s: %s Correct the arguments and retry.\n\n%s",
				op.what, said, end))
	}
	return diag.NewErrorDiagnostic("Unexpected Response from the HostUp API",
		fmt.Sprintf("The HostUp API answered with an unexpected status: %s\n\n%s", said, end))
}

// sentence ends text with exactly one full stop, unless it already ends a
// sentence, so the API's own punctuation is never doubled.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return text
	}
	return text + "."
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// trailer is the last line of every API diagnostic; the values are those of
// the last attempt.
func trailer(status int, code, requestID string, attempts int) string {
	return codeTrailer("API code", status, code, requestID, attempts)
}

// codeTrailer is the last line of every diagnostic of either client, the
// server's code named as that client's server names it.
func codeTrailer(codeName string, status int, code, requestID string, attempts int) string {
	parts := []string{fmt.Sprintf("HTTP status: %d", status)}
	if code == "" {
		code = "(none)"
	}
	parts = append(parts, codeName+": "+code)
	if requestID == "" {
		requestID = "(none)"
	}
	parts = append(parts, "Request ID: "+requestID)
	if attempts > 1 {
		parts = append(parts, fmt.Sprintf("attempts: %d", attempts))
	}
	return strings.Join(parts, ", ")
}
