// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ list.ListResourceWithConfigure = (*bucketListResource)(nil)

// bucketListResource lists the account's buckets for `terraform query`
// (Terraform 1.14+), so they can be brought under management in one step.
type bucketListResource struct {
	providerData *providerData
}

// NewBucketListResource is the hostup_bucket list resource constructor.
func NewBucketListResource() list.ListResource {
	return &bucketListResource{}
}

type bucketListModel struct {
	NamePrefix types.String `tfsdk:"name_prefix"`
}

func (l *bucketListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket"
}

func (l *bucketListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's buckets, as `hostup_bucket` resources, for `terraform query` (Terraform 1.14+; " +
			"OpenTofu has no list resources yet). With `-generate-config-out`, it writes an `import` block and a resource for each.",
		Attributes: map[string]schema.Attribute{
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only buckets whose name starts with this.",
				Optional:            true,
			},
		},
	}
}

func (l *bucketListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&l.providerData, req.ProviderData)...)
}

func (l *bucketListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	ctx, client, m, ok := modelAndClient[bucketListModel](ctx, req.Config, l.providerData.apiCall, "hostup_bucket", &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	buckets, err := client.ListBuckets(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(l.providerData.apiError(ctx, err, apiOp{what: "list buckets"}))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		n := int64(0)
		for i := range buckets {
			b := &buckets[i]
			if !strings.HasPrefix(b.Name, m.NamePrefix.ValueString()) {
				continue
			}
			if req.Limit > 0 && n == req.Limit {
				return
			}
			n++
			result := req.NewListResult(ctx)
			result.DisplayName = b.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, bucketIdentity{Name: types.StringValue(b.Name)})...)
			if req.IncludeResource {
				state := bucketResourceModel{ForceDestroy: types.BoolValue(false)}
				state.setBucket(b)
				result.Diagnostics.Append(result.Resource.Set(ctx, &state)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
