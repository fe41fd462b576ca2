// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// validatePresignedURLConfig is the cross-attribute check of every
// presigned URL block, at plan time:
//   - content_type on a download, or a response override on an upload: the
//     URL would not bind it, and a consumer would believe it does;
//   - rotation_period plus expires_in above SigV4's 7 days.
func validatePresignedURLConfig(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var m presignedURLModel
	diags := config.Get(ctx, &m)
	if diags.HasError() {
		return diags
	}
	diags.Append(m.checkArguments()...)
	return diags
}

// checkArguments is the cross-attribute check, on whatever is known. Reads
// run it again, when values unknown at plan time are known.
func (m *presignedURLModel) checkArguments() diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.Action.IsUnknown() {
		switch m.Action.ValueString() {
		case string(hostup.ActionDownload):
			if !m.ContentType.IsNull() {
				diags.AddAttributeError(path.Root("content_type"), "Content Type Only Applies to Uploads",
					`content_type is set, but action is "download": a download URL cannot bind a content type. `+
						`Remove content_type, or set action = "upload". To set the type a download is answered with, use response_content_type.`)
			}
		case string(hostup.ActionUpload):
			for _, o := range []struct {
				name string
				v    attr.Value
			}{
				{"response_content_disposition", m.ResponseContentDisposition},
				{"response_content_type", m.ResponseContentType},
				{"response_cache_control", m.ResponseCacheControl},
			} {
				if name := o.name; !o.v.IsNull() {
					diags.AddAttributeError(path.Root(name), "Response Overrides Only Apply to Downloads",
						name+` is set, but action is "upload": storage applies response overrides to downloads only. `+
							`Remove `+name+`, or set action = "download".`)
				}
			}
		}
	}
	if m.RotationPeriod.IsNull() || m.RotationPeriod.IsUnknown() || m.ExpiresIn.IsUnknown() {
		return diags
	}
	period, problem := parseRotationPeriod(m.RotationPeriod.ValueString())
	if problem != "" {
		return diags // the attribute's own validator reports it
	}
	expiresIn := m.expiresIn()
	if total := int64(period/time.Second) + expiresIn; total > maxExpiresIn {
		diags.AddAttributeError(path.Root("rotation_period"), "Rotation Period and Lifetime Exceed 7 Days",
			fmt.Sprintf("A URL with rotation_period %q and expires_in %d is signed for %d seconds (the period plus expires_in), "+
				"but a SigV4 URL lives at most %d seconds (7 days). Shorten rotation_period or expires_in so that together they are "+
				"at most 7 days, for example rotation_period = \"24h\" with expires_in = 86400.",
				m.RotationPeriod.ValueString(), expiresIn, total, maxExpiresIn))
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
	diags.Append(m.checkArguments()...)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(issuePresignedURL(ctx, pd, &m)...)
	if diags.HasError() {
		return nil, diags
	}
	return &m, diags
}

// issuePresignedURL gets the URL m's arguments ask for, signed locally with
// the key pair when the provider has one and from HostUp's API otherwise,
// and fills m's results, or says why it could not.
func issuePresignedURL(ctx context.Context, pd *providerData, m *presignedURLModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if pd == nil {
		diags.AddError("Unconfigured HostUp Provider",
			"The HostUp provider was not configured before use. Please report this issue to the provider developers.")
		return diags
	}
	ctx = pd.secrets.maskLogs(ctx)
	if pd.signer != nil {
		in, rotatesAt := m.signInput(pd.now())
		p, err := pd.signer.Presign(ctx, in)
		if err != nil {
			diags.AddError("Unable to Sign Presigned URL", "The provider could not sign the URL with the S3 key pair: "+sentence(err.Error()))
			return pd.secrets.maskDiagnostics(diags)
		}
		tflog.Debug(ctx, "Signed a presigned URL locally", map[string]any{"bucket": in.Bucket, "action": string(in.Action),
			"signed_at": p.SignedAt.Format(time.RFC3339), "expires_at": p.ExpiresAt.Format(time.RFC3339)})
		diags.Append(m.setResult(ctx, issued{url: p.URL, method: p.Method, expiresIn: m.expiresIn(), expiresAt: p.ExpiresAt, rotatesAt: rotatesAt})...)
		return pd.secrets.maskDiagnostics(diags)
	}

	if set := m.localOnlyArguments(); len(set) > 0 {
		for _, name := range set {
			diags.AddAttributeError(path.Root(name), "S3 Key Pair Required",
				fmt.Sprintf("%s needs a URL the provider signs itself, with one of the account's S3 key pairs: HostUp's API "+
					"issues only 900-second URLs, signed when they are requested, with no response overrides. Set s3_access_key_id "+
					"and s3_secret_access_key in the provider block (or the %s and %s environment variables), or remove %s.",
					name, EnvS3AccessKeyID, EnvS3SecretAccessKey, name))
		}
		return diags
	}
	if pd.client == nil {
		diags.AddError("Missing HostUp API Key", "This block needs HostUp's API, and the provider has no API key: api_key is missing. "+
			"Set the "+EnvAPIKey+" environment variable or api_key in the provider block.")
		return diags
	}
	in := m.apiInput()
	out, err := pd.client.Presign(ctx, in)
	if err != nil {
		diags.Append(apiDiagnostic(ctx, err, presignOp(in)))
		return pd.secrets.maskDiagnostics(diags)
	}
	diags.Append(m.setResult(ctx, issued{url: out.URL, method: out.Method, expiresIn: out.ExpiresIn, expiresAt: out.ExpiresAt(), requestID: out.RequestID})...)
	return pd.secrets.maskDiagnostics(diags)
}
