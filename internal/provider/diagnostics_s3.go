// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// s3Diagnostic is apiDiagnostic for the S3 side: what the user sees when a
// call through the key pair fails, with a hint that follows the failure and
// the HTTP status, S3 code and request ID at the end. ok is false when err
// is not one of the S3 client's errors.
func (pd *providerData) s3Diagnostic(ctx context.Context, err error, op apiOp) (d diag.Diagnostic, ok bool) {
	var (
		se *hostups3.Error
		re *hostups3.RequestError
	)
	switch {
	case errors.As(err, &se):
		return pd.s3ErrorDiagnostic(se, op), true
	case errors.As(err, &re):
		return pd.s3RequestDiagnostic(ctx, re, op), true
	}
	return nil, false
}

// fixS3Endpoint ends every diagnostic that blames the S3 endpoint.
func (pd *providerData) fixS3Endpoint() string {
	s := fmt.Sprintf("Set s3_endpoint in the provider block (or the %s environment variable) to HostUp's S3 endpoint, %s, "+
		"or to the S3 endpoint a local emulator's banner prints.", EnvS3Endpoint, hostups3.DefaultEndpoint)
	if pd.s3EndpointIsDefault {
		s = "s3_endpoint is not set, so the provider uses HostUp's own, " + hostups3.DefaultEndpoint + ". " + s
	}
	return s
}

func (pd *providerData) s3ErrorDiagnostic(e *hostups3.Error, op apiOp) diag.Diagnostic {
	end := codeTrailer("S3 code", e.StatusCode, e.Code, e.RequestID, e.Attempts)
	said := sentence(e.Text())
	bucketError := func(summary, detail string) diag.Diagnostic {
		if op.bucketPath.Equal(path.Empty()) {
			return diag.NewErrorDiagnostic(summary, detail)
		}
		return diag.NewAttributeErrorDiagnostic(op.bucketPath, summary, detail)
	}
	switch {
	case !e.FromS3() && e.StatusCode >= 400 && e.StatusCode < 500:
		// Every S3 server answers with a request ID; HostUp's API set as the
		// S3 endpoint answers 401 with JSON.
		return diag.NewAttributeErrorDiagnostic(path.Root("s3_endpoint"), "Endpoint Is Not HostUp's S3 Side",
			fmt.Sprintf("The S3 endpoint %s answered the request to %s with HTTP %d and neither an S3 error code nor a request ID, "+
				"so it does not look like an S3 server: it may be HostUp's API, or another service. %s\n\n%s",
				pd.s3Endpoint, op.what, e.StatusCode, pd.fixS3Endpoint(), end))
	case hostups3.NotImplemented(e):
		return diag.NewErrorDiagnostic("S3 Operation Not Offered by the Server",
			fmt.Sprintf("The S3 server at %s does not offer what was needed to %s (%s): %s The block needs a server feature this "+
				"server lacks or has turned off; HostUp's own S3 side offers it.\n\n%s", pd.s3Endpoint, op.what, e.Operation, said, end))
	case e.Code == "InvalidAccessKeyId":
		return diag.NewAttributeErrorDiagnostic(path.Root("s3_access_key_id"), "HostUp S3 Key Pair Not Recognised",
			fmt.Sprintf("The S3 endpoint %s does not know the access key ID, so it refused to %s: %s The key pair may have been "+
				"deleted (for example by destroying its hostup_object_storage_key) or belong to another server. Set "+
				"s3_access_key_id and s3_secret_access_key (or %s and %s) to a current key pair of the account.\n\n%s",
				pd.s3Endpoint, op.what, said, EnvS3AccessKeyID, EnvS3SecretAccessKey, end))
	case e.Code == "SignatureDoesNotMatch":
		return diag.NewAttributeErrorDiagnostic(path.Root("s3_secret_access_key"), "HostUp S3 Signature Rejected",
			fmt.Sprintf("The S3 endpoint refused the signature of the request to %s: %s Check that s3_secret_access_key (or %s) "+
				"is the secret of the key pair named by s3_access_key_id. If it is, something between this machine and %s "+
				"(a proxy) changed the request after it was signed.\n\n%s", op.what, said, EnvS3SecretAccessKey, pd.s3Endpoint, end))
	case e.Code == "RequestTimeTooSkewed":
		return diag.NewErrorDiagnostic("Clock Too Far From HostUp's",
			fmt.Sprintf("The S3 endpoint refused the request to %s because this machine's clock differs from the server's by more "+
				"than 15 minutes: %s Correct the clock (for example with NTP), then retry.\n\n%s", op.what, said, end))
	case e.Code == "QuotaExceeded":
		return diag.NewErrorDiagnostic("HostUp Storage Quota Exceeded",
			fmt.Sprintf("The S3 endpoint refused to %s: %s Delete objects, or raise the account's quota in HostUp's control "+
				"panel, then apply again.\n\n%s", op.what, said, end))
	case e.StatusCode == http.StatusForbidden && (e.Code == "" || e.Code == "AccessDenied"):
		// A HEAD carries no error document: a deleted key pair and a bucket of
		// another account both answer a bare 403.
		return bucketError("HostUp S3 Access Denied",
			fmt.Sprintf("The S3 endpoint refused the key pair access, trying to %s: %s Check that the key pair in s3_access_key_id "+
				"(or %s) still exists (a deleted key pair is refused) and belongs to the account that owns bucket %q.\n\n%s",
				op.what, said, EnvS3AccessKeyID, op.bucket, end))
	case e.Code == "NoSuchBucket" || (e.StatusCode == http.StatusNotFound && op.bucket != "" && e.Code == ""):
		return bucketError("HostUp Bucket Not Found",
			fmt.Sprintf("Bucket %q does not exist at the S3 endpoint %s, trying to %s: %s Check the bucket name, and that "+
				"s3_endpoint points where the bucket is (a local emulator's buckets exist only at its own S3 endpoint).\n\n%s",
				op.bucket, pd.s3Endpoint, op.what, said, end))
	case e.Code == "InvalidBucketName":
		return bucketError("Invalid Bucket Name",
			fmt.Sprintf("The S3 endpoint refused the bucket name %q: %s Use 3-63 lowercase letters, digits and hyphens, starting "+
				"and ending with a letter or digit.\n\n%s", op.bucket, said, end))
	case e.Code == "XAmzContentSHA256Mismatch" || e.Code == "BadDigest":
		return diag.NewErrorDiagnostic("HostUp S3 Refused the Upload's Checksum",
			fmt.Sprintf("The S3 endpoint refused the request to %s because the body it received does not match the checksum sent "+
				"with it: %s Nothing was stored. Something between this machine and %s (a proxy) may change request bodies; "+
				"retry, and if it persists, give HostUp support the request ID below.\n\n%s", op.what, said, pd.s3Endpoint, end))
	case e.StatusCode >= 500 || e.Code == "SlowDown":
		return diag.NewErrorDiagnostic("HostUp S3 Error",
			fmt.Sprintf("HostUp's S3 side failed while trying to %s: %s This is a problem on the server's side; retry (max_retries "+
				"sets how often the provider does), and if it persists, give HostUp support the request ID below.\n\n%s", op.what, said, end))
	}
	return diag.NewErrorDiagnostic("HostUp S3 Rejected the Request",
		fmt.Sprintf("The S3 endpoint rejected the request to %s: %s Correct the arguments and retry.\n\n%s", op.what, said, end))
}

func (pd *providerData) s3RequestDiagnostic(ctx context.Context, e *hostups3.RequestError, op apiOp) diag.Diagnostic {
	tried := ""
	if e.Attempts > 1 {
		tried = fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	var netErr net.Error
	switch {
	case e.CertificateProblem():
		return diag.NewAttributeErrorDiagnostic(path.Root("s3_endpoint"), "Untrusted Certificate at HostUp's S3 Endpoint",
			fmt.Sprintf("The S3 endpoint %s presented a TLS certificate this machine does not trust, so the provider could not %s: %s "+
				"For a server with a private certificate authority, set the SSL_CERT_FILE environment variable to a PEM file "+
				"holding that authority's certificate (or SSL_CERT_DIR to a directory of them) where Terraform runs. "+
				"Not retried: it fails the same way every time.", pd.s3Endpoint, op.what, sentence(e.Err.Error())))
	case e.UnresolvedHost():
		return diag.NewAttributeErrorDiagnostic(path.Root("s3_endpoint"), "HostUp S3 Endpoint Not Found",
			fmt.Sprintf("The host name of the S3 endpoint %s does not resolve, so the provider could not %s: %s %s",
				pd.s3Endpoint, op.what, sentence(e.Err.Error()), pd.fixS3Endpoint()))
	case ctx.Err() != nil:
		return diag.NewErrorDiagnostic("HostUp S3 Request Cancelled",
			fmt.Sprintf("The request to %s was cancelled or ran out of time%s: %s", op.what, tried, sentence(e.Err.Error())))
	case errors.As(e.Err, &netErr) && netErr.Timeout():
		return diag.NewErrorDiagnostic("HostUp S3 Endpoint Stalled",
			fmt.Sprintf("The S3 endpoint %s stopped answering while the provider tried to %s: nothing moved for the request timeout "+
				"(%s)%s. Check your network and the endpoint, or raise request_timeout (or %s), then retry.",
				pd.s3Endpoint, op.what, pd.requestTimeout, tried, EnvRequestTimeout))
	}
	return diag.NewErrorDiagnostic("Unable to Reach HostUp's S3 Endpoint",
		fmt.Sprintf("The provider could not complete a request to the S3 endpoint %s to %s%s: %s Check s3_endpoint (or %s), your "+
			"network and any proxy settings, then retry.", pd.s3Endpoint, op.what, tried, sentence(e.Err.Error()), EnvS3Endpoint))
}
