// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	epschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The data source and the ephemeral resource hostup_presigned_url share one
// attribute list; the framework's schema packages differ per block kind, so
// each kind's schema is built from this list.

type attrKind int

const (
	kindString attrKind = iota
	kindInt64
	kindRFC3339
	kindStringMap
)

type attrSpec struct {
	name       string
	kind       attrKind
	desc       string
	required   bool
	optional   bool
	sensitive  bool
	validators []validator.String
}

func (a attrSpec) computed() bool { return !a.required && !a.optional }

var presignedURLAttrs = []attrSpec{
	{name: "bucket", desc: descBucket, required: true, validators: bucketValidators()},
	{name: "key", desc: descKey, required: true, validators: keyValidators()},
	{name: "action", desc: descAction, required: true, validators: actionValidators()},
	{name: "content_type", desc: descContentType, optional: true, validators: contentTypeValidators()},
	{name: "url", desc: descURL, sensitive: true},
	{name: "expires_in", kind: kindInt64, desc: descExpiresIn},
	{name: "expires_at", kind: kindRFC3339, desc: descExpiresAt},
	{name: "http_method", desc: descHTTPMethod},
	{name: "required_headers", kind: kindStringMap, desc: descRequiredHeaders},
	{name: "request_id", desc: descRequestID},
}

func dataSourceAttributes() map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(presignedURLAttrs))
	for _, a := range presignedURLAttrs {
		switch a.kind {
		case kindInt64:
			out[a.name] = dsschema.Int64Attribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive}
		case kindRFC3339:
			out[a.name] = dsschema.StringAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, CustomType: timetypes.RFC3339Type{}}
		case kindStringMap:
			out[a.name] = dsschema.MapAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, ElementType: types.StringType}
		default:
			out[a.name] = dsschema.StringAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, Validators: a.validators}
		}
	}
	return out
}

func ephemeralAttributes() map[string]epschema.Attribute {
	out := make(map[string]epschema.Attribute, len(presignedURLAttrs))
	for _, a := range presignedURLAttrs {
		switch a.kind {
		case kindInt64:
			out[a.name] = epschema.Int64Attribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive}
		case kindRFC3339:
			out[a.name] = epschema.StringAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, CustomType: timetypes.RFC3339Type{}}
		case kindStringMap:
			out[a.name] = epschema.MapAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, ElementType: types.StringType}
		default:
			out[a.name] = epschema.StringAttribute{MarkdownDescription: a.desc, Required: a.required, Optional: a.optional, Computed: a.computed(), Sensitive: a.sensitive, Validators: a.validators}
		}
	}
	return out
}
