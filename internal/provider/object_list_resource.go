// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var _ list.ListResourceWithConfigure = (*objectListResource)(nil)

// objectListResource lists the objects under a prefix for `terraform
// query` (Terraform 1.14+), so an existing bucket's objects can be brought
// under management in one step.
type objectListResource struct {
	providerData *providerData
}

// NewObjectListResource is the hostup_object list resource constructor.
func NewObjectListResource() list.ListResource {
	return &objectListResource{}
}

type objectListModel struct {
	Bucket types.String `tfsdk:"bucket"`
	Prefix types.String `tfsdk:"prefix"`
}

func (l *objectListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_object"
}

func (l *objectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a bucket's objects under a prefix, as `hostup_object` resources, for `terraform query` " +
			"(Terraform 1.14+; OpenTofu has no list resources yet), through HostUp's S3 API with the provider's key pair. " +
			"With `-generate-config-out`, it writes an `import` block and a resource for each; the generated resources set no " +
			"content, so applying them leaves every object's bytes as they are.",
		Attributes: map[string]schema.Attribute{
			"bucket": schema.StringAttribute{
				MarkdownDescription: descBucketName,
				Required:            true,
				Validators:          bucketValidators(),
			},
			"prefix": schema.StringAttribute{
				MarkdownDescription: "Only keys that start with this, for example `site/`.",
				Optional:            true,
			},
		},
	}
}

func (l *objectListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&l.providerData, req.ProviderData)...)
}

func (l *objectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	ctx, client, m, ok := modelAndClient[objectListModel](ctx, req.Config, l.providerData.s3Call, "hostup_object", &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	bucket := m.Bucket.ValueString()
	listing, err := client.List(ctx, hostups3.ListInput{Bucket: bucket, Prefix: m.Prefix.ValueString(), MaxKeys: int(req.Limit)})
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(l.providerData.apiError(ctx, err,
			apiOp{what: fmt.Sprintf("list bucket %q", bucket), bucket: bucket}))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, o := range listing.Objects {
			result := req.NewListResult(ctx)
			result.DisplayName = bucket + "/" + o.Key
			state := objectResourceModel{Bucket: types.StringValue(bucket), Key: types.StringValue(o.Key),
				Metadata: types.MapNull(types.StringType), Tags: types.MapNull(types.StringType)}
			result.Diagnostics.Append(result.Identity.Set(ctx, objectIdentity{Bucket: state.Bucket, Key: state.Key})...)
			if req.IncludeResource {
				// The listing has no headers: each object is read, as a refresh would.
				head, err := client.Head(ctx, bucket, o.Key)
				if err != nil {
					result.Diagnostics.Append(l.providerData.apiError(ctx, err, objectOp("read", bucket, o.Key))...)
				} else {
					state.fromHead(head)
					result.Diagnostics.Append(result.Resource.Set(ctx, &state)...)
				}
			}
			if !push(result) {
				return
			}
		}
	}
}
