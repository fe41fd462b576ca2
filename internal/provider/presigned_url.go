// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// presignedURLModel is the shape of hostup_presigned_url, shared by every
// kind of block that issues a presigned URL.
//
// It travels to and from Terraform as a types.Object (presignedURLFromConfig,
// object), not through the framework's struct tags: the framework's struct
// reflection compiles a regular expression per field on every call, which
// measured as about half of the provider's own time per read.
type presignedURLModel struct {
	Bucket      types.String
	Key         types.String
	Action      types.String
	ContentType types.String
	URL         types.String
	ExpiresIn   types.Int64
	ExpiresAt   timetypes.RFC3339
	HTTPMethod  types.String
	Headers     types.Map
	RequestID   types.String
}

// presignedURLAttrTypes is the object type of the block, built once from
// presignedURLAttrs.
var presignedURLAttrTypes = func() map[string]attr.Type {
	out := make(map[string]attr.Type, len(presignedURLAttrs))
	for _, a := range presignedURLAttrs {
		switch a.kind {
		case kindInt64:
			out[a.name] = types.Int64Type
		case kindRFC3339:
			out[a.name] = timetypes.RFC3339Type{}
		case kindStringMap:
			out[a.name] = types.MapType{ElemType: types.StringType}
		default:
			out[a.name] = types.StringType
		}
	}
	return out
}()

// presignedURLFromConfig reads the block's arguments.
func presignedURLFromConfig(ctx context.Context, config tfsdk.Config) (presignedURLModel, diag.Diagnostics) {
	var obj types.Object
	diags := config.Get(ctx, &obj)
	if diags.HasError() {
		return presignedURLModel{}, diags
	}
	a := obj.Attributes()
	str := func(name string) types.String {
		if v, ok := a[name].(types.String); ok {
			return v
		}
		return types.StringNull()
	}
	return presignedURLModel{Bucket: str("bucket"), Key: str("key"), Action: str("action"), ContentType: str("content_type")}, diags
}

// object is the block's full value, arguments and results.
func (m *presignedURLModel) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(presignedURLAttrTypes, map[string]attr.Value{
		"bucket":           m.Bucket,
		"key":              m.Key,
		"action":           m.Action,
		"content_type":     m.ContentType,
		"url":              m.URL,
		"expires_in":       m.ExpiresIn,
		"expires_at":       m.ExpiresAt,
		"http_method":      m.HTTPMethod,
		"required_headers": m.Headers,
		"request_id":       m.RequestID,
	})
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
	descExpiresIn       = "Lifetime of the URL in seconds, as reported by HostUp (currently 900)."
	descExpiresAt       = "When the URL stops working, as an RFC 3339 timestamp: the API response time plus `expires_in`."
	descHTTPMethod      = "HTTP method the URL must be used with: `GET` for downloads, `PUT` for uploads."
	descRequestID       = "HostUp's ID for the API request that issued the URL; quote it to HostUp support."
	descRequiredHeaders = "Headers the client must send with the request for the signature to verify, derived from " +
		"the URL's signed headers: `Content-Type` for an upload with `content_type`, otherwise empty. For example " +
		"`curl -X PUT -H \"Content-Type: ...\"`. The `Host` header is signed too, and every HTTP client sends it."
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
	return []validator.String{mediaTypeValidator()}
}

// validatePresignedURLConfig is the cross-attribute check of every
// presigned URL block. It refuses content_type on a download URL: S3 would
// not bind it, and a consumer would believe it does.
func validatePresignedURLConfig(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	m, diags := presignedURLFromConfig(ctx, config)
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

func (m *presignedURLModel) presignInput() hostup.PresignInput {
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
	m.Headers = h
	return diags
}

// providerDataFrom is the Configure step of every data source and ephemeral
// resource. It returns nil without error before the provider is configured
// (validation runs unconfigured).
func providerDataFrom(v any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return nil, diags
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", v))
	}
	return data, diags
}

// readPresignedURL is the whole read of a presigned URL block: arguments from
// config, one presign, and the block's value, or why there is none.
func readPresignedURL(ctx context.Context, data *providerData, config tfsdk.Config) (types.Object, diag.Diagnostics) {
	m, diags := presignedURLFromConfig(ctx, config)
	if diags.HasError() {
		return types.Object{}, diags
	}
	diags.Append(presign(ctx, data, &m)...)
	if diags.HasError() {
		return types.Object{}, diags
	}
	obj, d := m.object()
	diags.Append(d...)
	return obj, diags
}

// presign performs the one API call behind a presigned URL block and fills
// the model, or reports why it could not.
func presign(ctx context.Context, data *providerData, m *presignedURLModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if data == nil {
		diags.AddError("Unconfigured HostUp Provider",
			"The HostUp provider was not configured before use. Please report this issue to the provider developers.")
		return diags
	}
	ctx = data.secrets.maskLogs(ctx)
	in := m.presignInput()
	out, err := data.client.Presign(ctx, in)
	if err != nil {
		diags.Append(presignDiagnostic(ctx, err, in))
		return data.secrets.maskDiagnostics(diags)
	}
	diags.Append(m.setResult(ctx, out)...)
	return data.secrets.maskDiagnostics(diags)
}
