// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// presignedURLModel is the value of a hostup_presigned_url block, data source
// or ephemeral resource: read with Config.Get, written with State.Set (or
// Result.Set). A new attribute is a field here, a schema entry per block
// kind, and its description in presigned_url_schema.go.
type presignedURLModel struct {
	Bucket          types.String      `tfsdk:"bucket"`
	Key             types.String      `tfsdk:"key"`
	Action          types.String      `tfsdk:"action"`
	ContentType     types.String      `tfsdk:"content_type"`
	URL             types.String      `tfsdk:"url"`
	ExpiresIn       types.Int64       `tfsdk:"expires_in"`
	ExpiresAt       timetypes.RFC3339 `tfsdk:"expires_at"`
	HTTPMethod      types.String      `tfsdk:"http_method"`
	RequiredHeaders types.Map         `tfsdk:"required_headers"`
	RequestID       types.String      `tfsdk:"request_id"`
}

// apiInput is the API request the block's arguments ask for.
func (m *presignedURLModel) apiInput() hostup.PresignInput {
	return hostup.PresignInput{
		Bucket:      m.Bucket.ValueString(),
		Key:         m.Key.ValueString(),
		Action:      hostup.Action(m.Action.ValueString()),
		ContentType: m.ContentType.ValueString(),
	}
}

func (m *presignedURLModel) setResult(ctx context.Context, p *hostup.PresignedURL) diag.Diagnostics {
	var diags diag.Diagnostics
	m.URL = types.StringValue(p.URL)
	m.ExpiresIn = types.Int64Value(p.ExpiresIn)
	m.ExpiresAt = timetypes.NewRFC3339TimeValue(p.ExpiresAt())
	m.HTTPMethod = types.StringValue(p.Method)
	m.RequestID = types.StringValue(p.RequestID)

	headers := map[string]string{}
	if info, err := presignedurl.Parse(p.URL); err == nil {
		var unknown []string
		ct := m.ContentType.ValueString()
		headers, unknown = presignedurl.RequiredHeaders(info, ct)
		if ct != "" && !slices.Contains(info.SignedHeaders, "content-type") {
			diags.AddAttributeWarning(path.Root("content_type"), "Presigned URL Does Not Bind the Content Type",
				fmt.Sprintf("content_type is %q, but the URL HostUp issued does not sign the Content-Type header, so storage "+
					"will accept an upload with any content type or none. Do not rely on the URL to enforce it. "+
					"HostUp request ID: %s.", ct, p.RequestID))
		}
		if len(unknown) > 0 {
			diags.AddWarning("Presigned URL Signs Headers of Unknown Value",
				fmt.Sprintf("The URL binds the headers %s, whose values the provider does not know, so they are missing "+
					"from required_headers. Uploads without them will be refused. HostUp request ID: %s.", strings.Join(unknown, ", "), p.RequestID))
		}
	} else if ct := m.ContentType.ValueString(); ct != "" {
		// Not a SigV4 URL we can read; the content type is still bound.
		headers["Content-Type"] = ct
	}
	h, d := types.MapValueFrom(ctx, types.StringType, headers)
	diags.Append(d...)
	m.RequiredHeaders = h
	return diags
}
