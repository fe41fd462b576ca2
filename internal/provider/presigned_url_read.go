// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// validatePresignedURLConfig is the cross-attribute check of every
// presigned URL block. It refuses content_type on a download URL: S3 would
// not bind it, and a consumer would believe it does.
func validatePresignedURLConfig(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var m presignedURLModel
	diags := config.Get(ctx, &m)
	if diags.HasError() || m.ContentType.IsNull() || m.ContentType.IsUnknown() || m.Action.IsUnknown() {
		return diags
	}
	if m.Action.ValueString() == string(hostup.ActionDownload) {
		diags.AddAttributeError(path.Root("content_type"), "Content Type Only Applies to Uploads",
			`content_type is set, but action is "download": a download URL cannot bind a content type. `+
				`Remove content_type, or set action = "upload".`)
	}
	return diags
}

// readPresignedURL is the whole read of a presigned URL block, for the data
// source's Read and the ephemeral resource's Open: the arguments from config,
// one URL issued, and the block's value, or why there is none.
func readPresignedURL(ctx context.Context, pd *providerData, config tfsdk.Config) (*presignedURLModel, diag.Diagnostics) {
	var m presignedURLModel
	diags := config.Get(ctx, &m)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(issuePresignedURL(ctx, pd, &m)...)
	if diags.HasError() {
		return nil, diags
	}
	return &m, diags
}

// issuePresignedURL gets the URL m's arguments ask for and fills m's
// results, or says why it could not.
func issuePresignedURL(ctx context.Context, pd *providerData, m *presignedURLModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if pd == nil {
		diags.AddError("Unconfigured HostUp Provider",
			"The HostUp provider was not configured before use. Please report this issue to the provider developers.")
		return diags
	}
	ctx = pd.secrets.maskLogs(ctx)
	in := m.apiInput()
	out, err := pd.client.Presign(ctx, in)
	if err != nil {
		diags.Append(apiDiagnostic(ctx, err, in))
		return pd.secrets.maskDiagnostics(diags)
	}
	diags.Append(m.setResult(ctx, out)...)
	return pd.secrets.maskDiagnostics(diags)
}
