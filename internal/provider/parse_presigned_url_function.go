// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

var _ function.Function = (*parsePresignedURLFunction)(nil)

// parsePresignedURLFunction is provider::hostup::parse_presigned_url: a pure
// reading of a SigV4 presigned URL, for preconditions and checks.
type parsePresignedURLFunction struct{}

// NewParsePresignedURLFunction is the parse_presigned_url constructor.
func NewParsePresignedURLFunction() function.Function {
	return &parsePresignedURLFunction{}
}

var parsedURLAttrTypes = map[string]attr.Type{
	"endpoint":           types.StringType,
	"bucket":             types.StringType,
	"key":                types.StringType,
	"http_method":        types.StringType,
	"signed_at":          types.StringType,
	"expires_in":         types.Int64Type,
	"expires_at":         types.StringType,
	"signed_headers":     types.ListType{ElemType: types.StringType},
	"credential_scope":   types.StringType,
	"region":             types.StringType,
	"response_overrides": types.MapType{ElemType: types.StringType},
}

func (f *parsePresignedURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_presigned_url"
}

func (f *parsePresignedURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Read what a presigned URL grants, and until when.",
		MarkdownDescription: "Parses an S3 SigV4 presigned URL (path style, as HostUp issues them) without contacting " +
			"anything, and returns an object with:\n\n" +
			"- `endpoint`: scheme and host, for example `https://s3.hostup.se`.\n" +
			"- `bucket` and `key`: the object, with the key decoded.\n" +
			"- `http_method`: `GET`, `PUT`, `HEAD` or `DELETE` from the URL's `x-id`, or null when it has none.\n" +
			"- `signed_at`, `expires_at`: RFC 3339 timestamps; `expires_in`: the lifetime in seconds.\n" +
			"- `signed_headers`: the headers the signature binds, lower case.\n" +
			"- `credential_scope` (`date/region/service/aws4_request`, without the access key) and `region`.\n" +
			"- `response_overrides`: the `response-*` query parameters a download URL carries (such as " +
			"`response-content-disposition`), by parameter name; empty when there are none.\n\n" +
			"It fails with a clear error for anything that is not a SigV4 presigned URL. Use it in preconditions, " +
			"for example to refuse a link that expires within five minutes. Requires Terraform 1.8+ or OpenTofu 1.7+.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "url",
				MarkdownDescription: "A presigned URL, for example `data.hostup_presigned_url.example.url`.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: parsedURLAttrTypes},
	}
}

func (f *parsePresignedURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var raw string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &raw))
	if resp.Error != nil {
		return
	}
	info, err := presignedurl.Parse(raw)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Invalid presigned URL: "+err.Error()+".")
		return
	}
	method := types.StringNull()
	if info.Method != "" {
		method = types.StringValue(info.Method)
	}
	headers, diags := types.ListValueFrom(ctx, types.StringType, info.SignedHeaders)
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	overrides, diags := types.MapValueFrom(ctx, types.StringType, info.ResponseOverrides)
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	result, diags := types.ObjectValue(parsedURLAttrTypes, map[string]attr.Value{
		"response_overrides": overrides,
		"endpoint":           types.StringValue(info.Endpoint),
		"bucket":             types.StringValue(info.Bucket),
		"key":                types.StringValue(info.Key),
		"http_method":        method,
		"signed_at":          types.StringValue(info.SignedAt.Format(time.RFC3339)),
		"expires_in":         types.Int64Value(info.ExpiresIn),
		"expires_at":         types.StringValue(info.ExpiresAt().Format(time.RFC3339)),
		"signed_headers":     headers,
		"credential_scope":   types.StringValue(info.CredentialScope),
		"region":             types.StringValue(info.Region),
	})
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, result)
}
