// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// presignedURLModel is the shape of hostup_presigned_url, shared by every
// kind of block that issues a presigned URL.
type presignedURLModel struct {
	Bucket      types.String      `tfsdk:"bucket"`
	Key         types.String      `tfsdk:"key"`
	Action      types.String      `tfsdk:"action"`
	ContentType types.String      `tfsdk:"content_type"`
	URL         types.String      `tfsdk:"url"`
	ExpiresIn   types.Int64       `tfsdk:"expires_in"`
	ExpiresAt   timetypes.RFC3339 `tfsdk:"expires_at"`
	HTTPMethod  types.String      `tfsdk:"http_method"`
	RequestID   types.String      `tfsdk:"request_id"`
}

// bucketNamePattern is HostUp's bucket rule; its length bound (3-63) is a
// separate validator so each failure names its own fix.
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9-]+$`)

const (
	maxKeyBytes = 1024

	descBucket = "Name of the HostUp object-storage bucket: 3 to 63 characters of lowercase letters, digits and hyphens."
	descKey    = "Object key inside the bucket: 1 to 1024 bytes of UTF-8. Any characters are allowed, including " +
		"spaces, slashes, unicode, `+`, `%` and `?`; the key is sent in the request body, never in a URL path."
	descAction      = "What the URL allows: `download` (an HTTP `GET` of the object) or `upload` (an HTTP `PUT` of the object)."
	descContentType = "Media type the upload URL binds, for example `application/gzip`. Only valid with " +
		"`action = \"upload\"`. When set, the uploader must send exactly this `Content-Type` header or storage refuses the upload."
	descURL = "The presigned URL, exactly as HostUp issued it. It is a bearer credential: anyone holding it can " +
		"read (or write) the object until it expires, so it is marked sensitive."
	descExpiresIn  = "Lifetime of the URL in seconds, as reported by HostUp (currently 900)."
	descExpiresAt  = "When the URL stops working, as an RFC 3339 timestamp: the API response time plus `expires_in`."
	descHTTPMethod = "HTTP method the URL must be used with: `GET` for downloads, `PUT` for uploads."
	descRequestID  = "HostUp's ID for the API request that issued the URL; quote it to HostUp support."
)

func bucketValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(3, 63),
		stringvalidator.RegexMatches(bucketNamePattern, "must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)"),
	}
}

func keyValidators() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, maxKeyBytes)}
}

func actionValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf(string(hostup.ActionDownload), string(hostup.ActionUpload))}
}

func contentTypeValidators() []validator.String {
	return []validator.String{mediaTypeValidator{}}
}

// validateContentTypeAction refuses content_type on a download URL: S3 would
// not bind it, and a consumer would believe it does.
func (m *presignedURLModel) validateContentTypeAction() diag.Diagnostics {
	var diags diag.Diagnostics
	if m.ContentType.IsNull() || m.ContentType.IsUnknown() || m.Action.IsUnknown() {
		return diags
	}
	if m.Action.ValueString() == string(hostup.ActionDownload) {
		diags.AddAttributeError(path.Root("content_type"), "Content Type Only Applies to Uploads",
			`content_type is set, but action is "download": a download URL cannot bind a content type. `+
				`Remove content_type, or set action = "upload".`)
	}
	return diags
}

func (m *presignedURLModel) presignInput() hostup.PresignInput {
	return hostup.PresignInput{
		Bucket:      m.Bucket.ValueString(),
		Key:         m.Key.ValueString(),
		Action:      hostup.Action(m.Action.ValueString()),
		ContentType: m.ContentType.ValueString(),
	}
}

func (m *presignedURLModel) setResult(p *hostup.PresignedURL) {
	m.URL = types.StringValue(p.URL)
	m.ExpiresIn = types.Int64Value(p.ExpiresIn)
	m.ExpiresAt = timetypes.NewRFC3339TimeValue(p.ExpiresAt())
	m.HTTPMethod = types.StringValue(p.Method)
	m.RequestID = types.StringValue(p.RequestID)
}

// presign performs the one API call behind a presigned URL block and fills
// the model, or reports why it could not.
func presign(ctx context.Context, data *providerData, m *presignedURLModel) diag.Diagnostics {
	var diags diag.Diagnostics
	ctx = maskSecrets(ctx, data.apiKey)
	in := m.presignInput()
	out, err := data.client.Presign(ctx, in)
	if err != nil {
		diags.Append(presignDiagnostic(ctx, err, in))
		return diags
	}
	m.setResult(out)
	return diags
}
