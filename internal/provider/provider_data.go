// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// providerData is what Configure hands to every data source, resource and
// ephemeral resource: one client, and the secrets each request masks in its
// logs and diagnostics.
type providerData struct {
	// client calls HostUp's API; nil when no API key is configured.
	client *hostup.Client
	// signer signs URLs locally, and objects reads and writes objects; both
	// nil without an S3 key pair.
	signer  *hostups3.Signer
	objects *hostups3.ObjectClient
	// s3Endpoint is where objects goes, for diagnostics;
	// s3EndpointIsDefault is true when no setting chose it.
	s3Endpoint          string
	s3EndpointIsDefault bool
	requestTimeout      time.Duration
	// now is the clock for signing times and rotation periods.
	now     func() time.Time
	secrets secrets
}

// configure is the Configure step of every block (data source, resource,
// ephemeral resource, list resource): it keeps the provider's data in *dst.
// Before the provider is configured (validation runs unconfigured) there is
// none, and *dst stays as it is.
func configure(dst **providerData, v any) diag.Diagnostics {
	var diags diag.Diagnostics
	if v == nil {
		return diags
	}
	pd, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", v))
		return diags
	}
	if pd != nil {
		*dst = pd
	}
	return diags
}

// apiCall is the start of every API-backed operation of block: the client
// and ctx with the secrets masked in its logs, or the diagnostic that says
// why there is no client.
func (pd *providerData) apiCall(ctx context.Context, block string) (context.Context, *hostup.Client, diag.Diagnostics) {
	client, diags := pd.apiClient(block)
	if diags.HasError() {
		return ctx, nil, diags
	}
	return pd.secrets.maskLogs(ctx), client, diags
}

// apiError is the masked diagnostic for a failed call of either client.
func (pd *providerData) apiError(ctx context.Context, err error, op apiOp) diag.Diagnostics {
	d, ok := pd.s3Diagnostic(ctx, err, op)
	if !ok {
		d = apiDiagnostic(ctx, err, op)
	}
	return pd.secrets.maskDiagnostics(diag.Diagnostics{d})
}

// s3Call is the start of every S3-backed operation of block: the object
// client and ctx with the secrets masked in its logs, or the diagnostic that
// says why there is no client.
func (pd *providerData) s3Call(ctx context.Context, block string) (context.Context, *hostups3.ObjectClient, diag.Diagnostics) {
	client, diags := pd.objectClient(block)
	if diags.HasError() {
		return ctx, nil, diags
	}
	return pd.secrets.maskLogs(ctx), client, diags
}

// modelSource is where an operation reads its block's model: the plan,
// state or configuration of the request.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// modelAndClient is the start of an operation of block: its model, read
// from src into an M, and the client that call (apiCall or s3Call) gives
// for block. It adds what goes wrong to diags, and ok is false when diags
// then holds an error.
func modelAndClient[M, C any](ctx context.Context, src modelSource, call func(context.Context, string) (context.Context, C, diag.Diagnostics),
	block string, diags *diag.Diagnostics) (_ context.Context, client C, m M, ok bool) {
	diags.Append(src.Get(ctx, &m)...)
	ctx, client, more := call(ctx, block)
	diags.Append(more...)
	return ctx, client, m, !diags.HasError()
}

// The diagnostics any block may need, each written once.
const (
	summaryUnconfigured  = "Unconfigured HostUp Provider"
	detailUnconfigured   = "The HostUp provider was not configured before use. Please report this issue to the provider developers."
	summaryMissingAPIKey = "Missing HostUp API Key"
)

// missingAPIKey is the detail of summaryMissingAPIKey: who needs the API,
// how to set the key, and hint, what else applies.
func missingAPIKey(who, hint string) string {
	return strings.TrimSpace(who + " needs HostUp's API, and the provider has no API key: api_key is missing. Set the " +
		EnvAPIKey + " environment variable or api_key in the provider block (API keys are made in HostUp's control panel). " + hint)
}

// apiClient is the API client for a block that needs HostUp's API, or the
// diagnostic that says api_key is missing.
func (pd *providerData) apiClient(block string) (*hostup.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case pd == nil:
		diags.AddError(summaryUnconfigured, detailUnconfigured)
	case pd.client == nil:
		diags.AddError(summaryMissingAPIKey, missingAPIKey(block, "An S3 key pair signs URLs and reaches objects, but it cannot manage buckets or key pairs."))
	}
	if diags.HasError() {
		return nil, diags
	}
	return pd.client, diags
}

// objectClient is the S3 client for a block that reads or writes objects,
// or the diagnostic that names the settings to add.
func (pd *providerData) objectClient(block string) (*hostups3.ObjectClient, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case pd == nil:
		diags.AddError(summaryUnconfigured, detailUnconfigured)
	case pd.objects == nil:
		diags.AddError("S3 Key Pair Required",
			fmt.Sprintf("%s works through HostUp's S3 API, which needs one of the account's S3 key pairs: "+
				"set s3_access_key_id and s3_secret_access_key in the provider block (or the %s and %s environment variables). "+
				"A hostup_object_storage_key resource in another configuration can make one.", block, EnvS3AccessKeyID, EnvS3SecretAccessKey))
	}
	if diags.HasError() {
		return nil, diags
	}
	return pd.objects, diags
}
