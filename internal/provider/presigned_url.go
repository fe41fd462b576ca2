// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// What the data source and the ephemeral resource hostup_presigned_url share,
// by noun: the descriptions and validators of every attribute, the model,
// the cross-attribute check, and the read that issues the URL. Each kind
// writes its own schema out from these, in its own file, because the
// framework's schema types differ per kind.

const (
	descBucket = "Name of the HostUp object-storage bucket: 3 to 63 characters of lowercase letters, digits and hyphens."
	descKey    = "Object key inside the bucket: 1 to 1024 bytes of UTF-8. Any characters are allowed, including " +
		"spaces, slashes, unicode, `+`, `%` and `?`; the URL carries it escaped. Avoid `.` and `..` path segments and `//`: " +
		"HTTP clients that normalise paths (browsers, curl) change them, and the signature no longer verifies."
	descAction      = "What the URL allows: `download` (an HTTP `GET` of the object) or `upload` (an HTTP `PUT` of the object)."
	descContentType = "Media type the upload URL binds, for example `application/gzip`. Only valid with " +
		"`action = \"upload\"`. When set, the uploader must send exactly this `Content-Type` header or storage refuses the upload."
	descURL = "The presigned URL, exactly as HostUp issued it or as the provider signed it with the key pair. It is a " +
		"bearer credential: anyone holding it can read (or write) the object until it expires, so it is marked sensitive."
	descExpiresIn = "How long the URL works after it is read, in seconds: 1 to 604800 (7 days). Without `rotation_period` it " +
		"is the URL's lifetime; with it, the least time the URL still has after any read. Setting it needs an S3 key pair " +
		"in the provider (`s3_access_key_id`, `s3_secret_access_key`): HostUp's API issues only 900-second URLs, which is " +
		"also the value when it is unset."
	descRotationPeriod = "Makes the URL stable: it is signed at the start of the current period (UTC, periods aligned to " +
		"the Unix epoch), so every plan and apply within one period reads the byte-identical URL, and a new URL appears " +
		"when the next period starts (`rotates_at`). A duration such as `\"24h\"` or `\"1h30m\"`, at least `\"1m\"`; " +
		"`rotation_period` plus `expires_in` must be at most 7 days, the SigV4 limit. Needs an S3 key pair in the provider."
	descRotatesAt = "With `rotation_period`, when the current period ends and the next read returns a new URL, as an RFC 3339 " +
		"timestamp; null without it."
	descExpiresAt = "When the URL stops working, as an RFC 3339 timestamp: its signing time plus its lifetime (with " +
		"`rotation_period`, `rotates_at` plus `expires_in`)."
	descHTTPMethod = "HTTP method the URL must be used with: `GET` for downloads, `PUT` for uploads."
	descRequestID  = "HostUp's ID for the API request that issued the URL; quote it to HostUp support. Null for a URL " +
		"the provider signed locally with the key pair, which makes no API request."
	descResponseContentDisposition = "`Content-Disposition` that storage answers the download with, signed into the URL " +
		"(`response-content-disposition`), for example `attachment; filename=\"report.pdf\"` so a browser saves the file " +
		"under that name. Downloads only; needs an S3 key pair in the provider."
	descResponseContentType = "`Content-Type` that storage answers the download with, signed into the URL " +
		"(`response-content-type`), whatever type the object was stored with. Downloads only; needs an S3 key pair in the provider."
	descResponseCacheControl = "`Cache-Control` that storage answers the download with, signed into the URL " +
		"(`response-cache-control`), for example `no-store`. Downloads only; needs an S3 key pair in the provider."
	descRequiredHeaders = "Headers the client must send with the request for the signature to verify, derived from " +
		"the URL's signed headers: `Content-Type` for an upload with `content_type`, otherwise empty. For example " +
		"`curl -X PUT -H \"Content-Type: ...\"`. The `Host` header is signed too, and every HTTP client sends it."
)

func actionValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf(string(presignedurl.Download), string(presignedurl.Upload))}
}

func contentTypeValidators() []validator.String {
	return []validator.String{mediaTypeValidator()}
}

const (
	// defaultExpiresIn is the lifetime of a URL without expires_in: the
	// API's, whichever way the URL is issued.
	defaultExpiresIn  = int64(hostup.DefaultExpiresIn / time.Second)
	minRotationPeriod = time.Minute
)

func expiresInValidators() []validator.Int64 {
	return []validator.Int64{int64validator.Between(1, presignedurl.MaxExpires)}
}

func rotationPeriodValidators() []validator.String {
	return []validator.String{rotationPeriodValidator()}
}

// headerValueValidators check a response override: a value an HTTP header
// can carry.
func headerValueValidators() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1), headerValueValidator()}
}

// presignedURLModel is the value of a hostup_presigned_url block, data source
// or ephemeral resource: read with Config.Get, written with State.Set (or
// Result.Set). A new attribute is a field here, a schema entry per block
// kind, and its description above.
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
		Bucket: m.Bucket.ValueString(), Key: m.Key.ValueString(), Action: presignedurl.Action(m.Action.ValueString()),
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
		Action:      presignedurl.Action(m.Action.ValueString()),
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
		case string(presignedurl.Download):
			if !m.ContentType.IsNull() {
				diags.AddAttributeError(path.Root("content_type"), "Content Type Only Applies to Uploads",
					`content_type is set, but action is "download": a download URL cannot bind a content type. `+
						`Remove content_type, or set action = "upload". To set the type a download is answered with, use response_content_type.`)
			}
		case string(presignedurl.Upload):
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
	if total := int64(period/time.Second) + expiresIn; total > presignedurl.MaxExpires {
		diags.AddAttributeError(path.Root("rotation_period"), "Rotation Period and Lifetime Exceed 7 Days",
			fmt.Sprintf("A URL with rotation_period %q and expires_in %d is signed for %d seconds (the period plus expires_in), "+
				"but a SigV4 URL lives at most %d seconds (7 days). Shorten rotation_period or expires_in so that together they are "+
				"at most 7 days, for example rotation_period = \"24h\" with expires_in = 86400.",
				m.RotationPeriod.ValueString(), expiresIn, total, presignedurl.MaxExpires))
	}
	return diags
}

// blockValue is where a block's value is written: a data source's
// tfsdk.State or an ephemeral resource's tfsdk.EphemeralResultData.
type blockValue interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// readPresignedURL is the whole read of a presigned URL block, for the data
// source's Read and the ephemeral resource's Open: the arguments from config,
// one URL issued, and the block's value written to result, or why there is
// none (and then result is left alone).
func readPresignedURL(ctx context.Context, pd *providerData, config tfsdk.Config, result blockValue) diag.Diagnostics {
	var m presignedURLModel
	diags := config.Get(ctx, &m)
	if diags.HasError() {
		return diags
	}
	diags.Append(m.checkArguments()...)
	if diags.HasError() {
		return diags
	}
	diags.Append(issuePresignedURL(ctx, pd, &m)...)
	if diags.HasError() {
		return diags
	}
	diags.Append(result.Set(ctx, &m)...)
	return diags
}

// issuePresignedURL gets the URL m's arguments ask for, signed locally with
// the key pair when the provider has one and from HostUp's API otherwise,
// and fills m's results, or says why it could not.
func issuePresignedURL(ctx context.Context, pd *providerData, m *presignedURLModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if pd == nil {
		diags.AddError(summaryUnconfigured, detailUnconfigured)
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
		diags.AddError(summaryMissingAPIKey, missingAPIKey("hostup_presigned_url",
			"Or set an S3 key pair (s3_access_key_id and s3_secret_access_key), with which the provider signs URLs itself."))
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

// presignedURLAttribute is one attribute of hostup_presigned_url, written once
// for both block kinds, whose schema packages have types of their own.
type presignedURLAttribute struct {
	description                             string
	required, optional, computed, sensitive bool
	// timestamp makes a string attribute an RFC 3339 timestamp; isInt64 and
	// isStringMap choose the other types.
	timestamp, isInt64, isStringMap bool
	stringValidators                []validator.String
	int64Validators                 []validator.Int64
}

// presignedURLAttributes is the schema of both kinds of hostup_presigned_url.
func presignedURLAttributes() map[string]presignedURLAttribute {
	return map[string]presignedURLAttribute{
		"bucket":                       {description: descBucket, required: true, stringValidators: bucketValidators()},
		"key":                          {description: descKey, required: true, stringValidators: keyValidators()},
		"action":                       {description: descAction, required: true, stringValidators: actionValidators()},
		"content_type":                 {description: descContentType, optional: true, stringValidators: contentTypeValidators()},
		"url":                          {description: descURL, computed: true, sensitive: true},
		"expires_in":                   {description: descExpiresIn, optional: true, computed: true, isInt64: true, int64Validators: expiresInValidators()},
		"rotation_period":              {description: descRotationPeriod, optional: true, stringValidators: rotationPeriodValidators()},
		"rotates_at":                   {description: descRotatesAt, computed: true, timestamp: true},
		"response_content_disposition": {description: descResponseContentDisposition, optional: true, stringValidators: headerValueValidators()},
		"response_content_type":        {description: descResponseContentType, optional: true, stringValidators: contentTypeValidators()},
		"response_cache_control":       {description: descResponseCacheControl, optional: true, stringValidators: headerValueValidators()},
		"expires_at":                   {description: descExpiresAt, computed: true, timestamp: true},
		"http_method":                  {description: descHTTPMethod, computed: true},
		"required_headers":             {description: descRequiredHeaders, computed: true, isStringMap: true},
		"request_id":                   {description: descRequestID, computed: true},
	}
}

// stringType is the custom type of a string attribute, if any.
func (a presignedURLAttribute) stringType() basetypes.StringTypable {
	if a.timestamp {
		return timetypes.RFC3339Type{}
	}
	return nil
}

// dataSourceAttributes are attrs as data source schema attributes.
func dataSourceAttributes(attrs map[string]presignedURLAttribute) map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(attrs))
	for name, a := range attrs {
		switch {
		case a.isInt64:
			out[name] = dsschema.Int64Attribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, Validators: a.int64Validators}
		case a.isStringMap:
			out[name] = dsschema.MapAttribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, ElementType: types.StringType}
		default:
			out[name] = dsschema.StringAttribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, Validators: a.stringValidators, CustomType: a.stringType()}
		}
	}
	return out
}

// ephemeralAttributes are attrs as ephemeral resource schema attributes.
func ephemeralAttributes(attrs map[string]presignedURLAttribute) map[string]ephschema.Attribute {
	out := make(map[string]ephschema.Attribute, len(attrs))
	for name, a := range attrs {
		switch {
		case a.isInt64:
			out[name] = ephschema.Int64Attribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, Validators: a.int64Validators}
		case a.isStringMap:
			out[name] = ephschema.MapAttribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, ElementType: types.StringType}
		default:
			out[name] = ephschema.StringAttribute{MarkdownDescription: a.description, Required: a.required, Optional: a.optional,
				Computed: a.computed, Sensitive: a.sensitive, Validators: a.stringValidators, CustomType: a.stringType()}
		}
	}
	return out
}
