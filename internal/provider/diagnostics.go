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

// presignDiagnostic turns a client error into what the user sees: a Title
// Case summary, a detail that says what happened and what to do, and the
// HTTP status, API code and request ID at the end. Messages never include
// the API key or a presigned URL: the client's errors do not carry them.
func presignDiagnostic(ctx context.Context, err error, in hostup.PresignInput) diag.Diagnostic {
	var (
		apiErr  *hostup.APIError
		respErr *hostup.ResponseError
		reqErr  *hostup.RequestError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErrorDiagnostic(apiErr, in)
	case errors.As(err, &respErr):
		return diag.NewErrorDiagnostic("Unexpected Response from the HostUp API",
			fmt.Sprintf("The HostUp API answered the presign request for bucket %q, but the answer cannot be used: %s. "+
				"No URL was stored. Retry; if it persists, contact HostUp support with the request ID below.\n\n%s",
				in.Bucket, respErr.Reason, trailer(respErr.StatusCode, "", respErr.RequestID, respErr.Attempts)))
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
			fmt.Sprintf("The provider could not complete a request to the HostUp API at %s%s: %s. "+
				"Check the endpoint (the provider's endpoint argument or %s), your network and any proxy settings, then retry.",
				reqErr.Endpoint, tried, what, EnvEndpoint))
	}
	return diag.NewErrorDiagnostic("Unable to Create Presigned URL",
		"An unexpected error occurred while requesting a presigned URL: "+err.Error())
}

func apiErrorDiagnostic(e *hostup.APIError, in hostup.PresignInput) diag.Diagnostic {
	end := trailer(e.StatusCode, e.Code, e.RequestID, e.Attempts)
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		return diag.NewErrorDiagnostic("HostUp API Key Rejected",
			fmt.Sprintf("The HostUp API refused the API key: %s. Check that %s (or api_key in the provider block) "+
				"holds a current HostUp API key with access to object storage, and that the account is verified.\n\n%s",
				e.Text(), EnvAPIKey, end))
	case e.StatusCode == http.StatusNotFound:
		return diag.NewAttributeErrorDiagnostic(path.Root("bucket"), "HostUp Bucket Not Found",
			fmt.Sprintf("The bucket %q does not exist or belongs to another HostUp account (%s). "+
				"Check the bucket name, and that the API key belongs to the account that owns the bucket.\n\n%s",
				in.Bucket, e.Text(), end))
	case e.StatusCode == http.StatusTooManyRequests:
		wait := ""
		if e.RetryAfter != "" {
			wait = " The API asked to wait " + e.RetryAfter + " seconds."
		}
		return diag.NewErrorDiagnostic("HostUp API Rate Limit Exceeded",
			fmt.Sprintf("The HostUp API is rate limiting this API key: %s.%s Retry later, or run fewer "+
				"operations in parallel (terraform -parallelism).\n\n%s", e.Text(), wait, end))
	case e.StatusCode >= 500:
		return diag.NewErrorDiagnostic("HostUp API Error",
			fmt.Sprintf("The HostUp API failed while creating a presigned URL: %s. This is a problem on HostUp's side; "+
				"retry, and if it persists, give HostUp support the request ID below.\n\n%s", e.Text(), end))
	case e.StatusCode >= 400:
		return diag.NewErrorDiagnostic("HostUp API Rejected the Request",
			fmt.Sprintf("The HostUp API rejected the presign request for bucket %q: %s. Correct the arguments and retry.\n\n%s",
				in.Bucket, e.Text(), end))
	}
	return diag.NewErrorDiagnostic("Unexpected Response from the HostUp API",
		fmt.Sprintf("The HostUp API answered with an unexpected status: %s.\n\n%s", e.Text(), end))
}

// trailer is the last line of every API diagnostic; the values are those of
// the last attempt.
func trailer(status int, code, requestID string, attempts int) string {
	parts := []string{fmt.Sprintf("HTTP status: %d", status)}
	if code == "" {
		code = "(none)"
	}
	parts = append(parts, "API code: "+code)
	if requestID == "" {
		requestID = "(none)"
	}
	parts = append(parts, "Request ID: "+requestID)
	if attempts > 1 {
		parts = append(parts, fmt.Sprintf("attempts: %d", attempts))
	}
	return strings.Join(parts, ", ")
}
