// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var (
	_ resource.ResourceWithConfigure   = (*bucketCORSResource)(nil)
	_ resource.ResourceWithImportState = (*bucketCORSResource)(nil)
)

// bucketCORSResource manages a bucket's whole CORS configuration.
type bucketCORSResource struct {
	s3Config[[]hostups3.CORSRule, bucketCORSResourceModel]
}

// NewBucketCORSResource is the hostup_bucket_cors resource constructor.
func NewBucketCORSResource() resource.Resource {
	return &bucketCORSResource{corsConfig}
}

// bucketCORSResourceModel is the value of a hostup_bucket_cors resource.
type bucketCORSResourceModel struct {
	Bucket types.String          `tfsdk:"bucket"`
	Rules  []bucketCORSRuleModel `tfsdk:"rule"`
}

// corsConfig is the CORS configuration's way between S3 and the model, of
// which every hostup_bucket_cors has a copy.
// It is only a template: its providerData stays nil, and only the
// resource's copy, given its own by Configure, makes calls.
var corsConfig = s3Config[[]hostups3.CORSRule, bucketCORSResourceModel]{
	block: "hostup_bucket_cors", kind: kindCORS,
	get: (*hostups3.ObjectClient).BucketCORS, put: (*hostups3.ObjectClient).PutBucketCORS, remove: (*hostups3.ObjectClient).DeleteBucketCORS,
	bucket:    func(m *bucketCORSResourceModel) types.String { return m.Bucket },
	config:    (*bucketCORSResourceModel).rules,
	setConfig: (*bucketCORSResourceModel).setRules,
}

// bucketCORSRuleModel is one rule block.
type bucketCORSRuleModel struct {
	ID             types.String `tfsdk:"id"`
	AllowedMethods types.Set    `tfsdk:"allowed_methods"`
	AllowedOrigins types.Set    `tfsdk:"allowed_origins"`
	AllowedHeaders types.Set    `tfsdk:"allowed_headers"`
	ExposeHeaders  types.Set    `tfsdk:"expose_headers"`
	MaxAgeSeconds  types.Int64  `tfsdk:"max_age_seconds"`
}

// corsMethods are the methods a CORS rule may allow.
var corsMethods = []string{"GET", "PUT", "POST", "DELETE", "HEAD"}

// rules are the model's rules as the S3 client takes them.
func (m *bucketCORSResourceModel) rules() []hostups3.CORSRule {
	out := make([]hostups3.CORSRule, 0, len(m.Rules))
	for _, r := range m.Rules {
		rule := hostups3.CORSRule{
			ID:             r.ID.ValueString(),
			AllowedMethods: setStrings(r.AllowedMethods),
			AllowedOrigins: setStrings(r.AllowedOrigins),
			AllowedHeaders: setStrings(r.AllowedHeaders),
			ExposeHeaders:  setStrings(r.ExposeHeaders),
		}
		if !r.MaxAgeSeconds.IsNull() && !r.MaxAgeSeconds.IsUnknown() {
			rule.MaxAgeSeconds = aws.Int32(int32(r.MaxAgeSeconds.ValueInt64())) //nolint:gosec // bounded by the validator
		}
		out = append(out, rule)
	}
	return out
}

// setRules records the rules S3 holds, in its order. No list of a rule is
// empty (the schema refuses []), so one S3 leaves out reads back as unset.
func (m *bucketCORSResourceModel) setRules(rules []hostups3.CORSRule) {
	m.Rules = make([]bucketCORSRuleModel, 0, len(rules))
	for _, r := range rules {
		rule := bucketCORSRuleModel{
			ID:             types.StringNull(),
			AllowedMethods: stringsOrNull(r.AllowedMethods),
			AllowedOrigins: stringsOrNull(r.AllowedOrigins),
			AllowedHeaders: stringsOrNull(r.AllowedHeaders),
			ExposeHeaders:  stringsOrNull(r.ExposeHeaders),
			MaxAgeSeconds:  types.Int64Null(),
		}
		if r.ID != "" {
			rule.ID = types.StringValue(r.ID)
		}
		if r.MaxAgeSeconds != nil {
			rule.MaxAgeSeconds = types.Int64Value(int64(*r.MaxAgeSeconds))
		}
		m.Rules = append(m.Rules, rule)
	}
}

func (r *bucketCORSResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_cors"
}

func (r *bucketCORSResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket's whole CORS configuration: which web origins may call the bucket from a browser, with " +
			"which methods and headers (a page that uploads through a presigned URL needs one). It is set through HostUp's S3 " +
			"API and needs an S3 key pair in the provider. The resource owns every rule of the bucket: rules added outside " +
			"Terraform show as changes, and destroying it removes the bucket's CORS configuration." + configImportNote,
		Attributes: map[string]schema.Attribute{
			"bucket": configBucketAttribute(kindCORS),
		},
		Blocks: map[string]schema.Block{
			"rule": schema.ListNestedBlock{
				MarkdownDescription: "A CORS rule; at least one. A browser's request is allowed when a rule matches its origin, " +
					"method and headers.",
				Validators: []validator.List{
					listvalidator.IsRequired(),
					listvalidator.SizeAtLeast(1),
				},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "A name for the rule, up to 255 characters. Optional.",
							Optional:            true,
							Validators: []validator.String{
								stringvalidator.LengthBetween(1, 255),
							},
						},
						"allowed_methods": schema.SetAttribute{
							MarkdownDescription: "The HTTP methods the rule allows: any of `GET`, `PUT`, `POST`, `DELETE` and `HEAD`.",
							ElementType:         types.StringType,
							Required:            true,
							Validators: []validator.Set{
								setvalidator.SizeAtLeast(1),
								setvalidator.ValueStringsAre(stringvalidator.OneOf(corsMethods...)),
							},
						},
						"allowed_origins": schema.SetAttribute{
							MarkdownDescription: "The origins the rule allows, such as `https://app.example.com`; at least one. " +
								"An origin may hold one `*` wildcard, and `*` alone allows every origin.",
							ElementType: types.StringType,
							Required:    true,
							Validators: []validator.Set{
								setvalidator.SizeAtLeast(1),
								setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
							},
						},
						"allowed_headers": schema.SetAttribute{
							MarkdownDescription: "The request headers a preflight request may name in " +
								"`Access-Control-Request-Headers`, such as `content-type`; `*` allows any. Unset allows none.",
							ElementType: types.StringType,
							Optional:    true,
							Validators: []validator.Set{
								setvalidator.SizeAtLeast(1),
							},
						},
						"expose_headers": schema.SetAttribute{
							MarkdownDescription: "The response headers a browser lets the page read, such as `ETag`. Unset exposes " +
								"only the headers browsers always expose.",
							ElementType: types.StringType,
							Optional:    true,
							Validators: []validator.Set{
								setvalidator.SizeAtLeast(1),
							},
						},
						"max_age_seconds": schema.Int64Attribute{
							MarkdownDescription: "How long, in seconds, a browser may cache the answer to a preflight request. " +
								"Unset leaves it to the browser.",
							Optional: true,
							Validators: []validator.Int64{
								int64validator.Between(0, 2147483647),
							},
						},
					},
				},
			},
		},
	}
}
