// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// presignedURLModel is the value of a hostup_presigned_url block, data source
// or ephemeral resource: read with Config.Get, written with State.Set (or
// Result.Set). A new attribute is a field here, a schema entry per block
// kind, and its description in presigned_url_schema.go.
type presignedURLModel struct {
	Bucket                     types.String      `tfsdk:"bucket"`
	Key                        types.String      `tfsdk:"key"`
	Action                     types.String      `tfsdk:"action"`
	ContentType                types.String      `tfsdk:"content_type"`
	ExpiresIn                  types.Int64       `tfsdk:"expires_in"`
	RotationPeriod             types.String      `tfsdk:"rotation_period"`
	ResponseContentDisposition types.String      `tfsdk:"response_content_disposition"`
	ResponseContentType        types.String      `tfsdk:"response_content_type"`
	ResponseCacheControl       types.String      `tfsdk:"response_cache_control"`
	URL                        types.String      `tfsdk:"url"`
	ExpiresAt                  timetypes.RFC3339 `tfsdk:"expires_at"`
	RotatesAt                  timetypes.RFC3339 `tfsdk:"rotates_at"`
	HTTPMethod                 types.String      `tfsdk:"http_method"`
	RequiredHeaders            types.Map         `tfsdk:"required_headers"`
	RequestID                  types.String      `tfsdk:"request_id"`
}

// localOnlyArguments are the arguments only a locally signed URL can honour,
// by attribute name, when set.
func (m *presignedURLModel) localOnlyArguments() []string {
	var set []string
	for _, a := range []struct {
		name string
		v    attr.Value
	}{
		{"expires_in", m.ExpiresIn}, {"rotation_period", m.RotationPeriod},
		{"response_content_disposition", m.ResponseContentDisposition},
		{"response_content_type", m.ResponseContentType}, {"response_cache_control", m.ResponseCacheControl},
	} {
		if !a.v.IsNull() {
			set = append(set, a.name)
		}
	}
	return set
}

// expiresIn is the configured expires_in, or the default when it is unset.
func (m *presignedURLModel) expiresIn() int64 {
	if m.ExpiresIn.IsNull() {
		return defaultExpiresIn
	}
	return m.ExpiresIn.ValueInt64()
}

// signInput is the local signing m's arguments ask for, read at now: the
// signing time, lifetime and next rotation.
func (m *presignedURLModel) signInput(now time.Time) (in hostups3.PresignInput, rotatesAt time.Time) {
	in = hostups3.PresignInput{
		Bucket: m.Bucket.ValueString(), Key: m.Key.ValueString(), Action: hostups3.Action(m.Action.ValueString()),
		ContentType: m.ContentType.ValueString(),
		SignedAt:    now, Expires: time.Duration(m.expiresIn()) * time.Second,
		ResponseContentDisposition: m.ResponseContentDisposition.ValueString(),
		ResponseContentType:        m.ResponseContentType.ValueString(),
		ResponseCacheControl:       m.ResponseCacheControl.ValueString(),
	}
	if period, problem := parseRotationPeriod(m.RotationPeriod.ValueString()); !m.RotationPeriod.IsNull() && problem == "" {
		// Periods are aligned to the Unix epoch, so every reader agrees on
		// the current one whatever its time zone.
		secs := int64(period / time.Second)
		in.SignedAt = time.Unix(now.Unix()/secs*secs, 0).UTC()
		in.Expires += period
		rotatesAt = in.SignedAt.Add(period)
	}
	return in, rotatesAt
}

// issued is a URL and what is known about it, from the API or local signing.
type issued struct {
	url, method string
	expiresIn   int64
	expiresAt   time.Time
	rotatesAt   time.Time // zero without rotation
	requestID   string    // empty for a locally signed URL
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

// setResult fills m's results from p.
func (m *presignedURLModel) setResult(ctx context.Context, p issued) diag.Diagnostics {
	var diags diag.Diagnostics
	m.URL = types.StringValue(p.url)
	m.ExpiresIn = types.Int64Value(p.expiresIn)
	m.ExpiresAt = timetypes.NewRFC3339TimeValue(p.expiresAt.UTC())
	m.RotatesAt = timetypes.NewRFC3339Null()
	if !p.rotatesAt.IsZero() {
		m.RotatesAt = timetypes.NewRFC3339TimeValue(p.rotatesAt.UTC())
	}
	m.HTTPMethod = types.StringValue(p.method)
	m.RequestID = types.StringNull()
	if p.requestID != "" {
		m.RequestID = types.StringValue(p.requestID)
	}

	headers := map[string]string{}
	if info, err := presignedurl.Parse(p.url); err == nil {
		var unknown []string
		ct := m.ContentType.ValueString()
		headers, unknown = presignedurl.RequiredHeaders(info, ct)
		if ct != "" && !slices.Contains(info.SignedHeaders, "content-type") {
			diags.AddAttributeWarning(path.Root("content_type"), "Presigned URL Does Not Bind the Content Type",
				fmt.Sprintf("content_type is %q, but the URL HostUp issued does not sign the Content-Type header, so storage "+
					"will accept an upload with any content type or none. Do not rely on the URL to enforce it. "+
					"HostUp request ID: %s.", ct, orNone(p.requestID, "(none)")))
		}
		if len(unknown) > 0 {
			diags.AddWarning("Presigned URL Signs Headers of Unknown Value",
				fmt.Sprintf("The URL binds the headers %s, whose values the provider does not know, so they are missing "+
					"from required_headers. Uploads without them will be refused. HostUp request ID: %s.", strings.Join(unknown, ", "), orNone(p.requestID, "(none)")))
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
