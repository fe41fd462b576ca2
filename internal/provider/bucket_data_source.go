// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*bucketDataSource)(nil)

// bucketDataSource reads one existing bucket.
type bucketDataSource struct {
	providerData *providerData
}

// NewBucketDataSource is the hostup_bucket data source constructor.
func NewBucketDataSource() datasource.DataSource {
	return &bucketDataSource{}
}

type bucketDataSourceModel struct {
	Name       types.String      `tfsdk:"name"`
	Created    timetypes.RFC3339 `tfsdk:"created"`
	SizeBytes  types.Int64       `tfsdk:"size_bytes"`
	NumObjects types.Int64       `tfsdk:"num_objects"`
	Owner      types.String      `tfsdk:"owner"`
}

func (d *bucketDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket"
}

func (d *bucketDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one existing bucket of the account: when it was created, how many objects and bytes it " +
			"holds, and its owner. The plan fails when the bucket does not exist.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: descBucketName,
				Required:            true,
				Validators:          bucketValidators(),
			},
			"created": schema.StringAttribute{
				MarkdownDescription: descBucketCreated,
				Computed:            true,
				CustomType:          timetypes.RFC3339Type{},
			},
			"size_bytes": schema.Int64Attribute{
				MarkdownDescription: descBucketSizeBytes,
				Computed:            true,
			},
			"num_objects": schema.Int64Attribute{
				MarkdownDescription: descBucketNumObjects,
				Computed:            true,
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: descBucketOwner,
				Computed:            true,
			},
		},
	}
}

func (d *bucketDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&d.providerData, req.ProviderData)...)
}

func (d *bucketDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, client, m, ok := modelAndClient[bucketDataSourceModel](ctx, req.Config, d.providerData.apiCall, "data.hostup_bucket", &resp.Diagnostics)
	if !ok {
		return
	}
	name := m.Name.ValueString()
	b, err := client.GetBucket(ctx, name)
	if err != nil {
		op := apiOp{what: fmt.Sprintf("read bucket %q", name), bucket: name, bucketPath: path.Root("name")}
		resp.Diagnostics.Append(d.providerData.apiError(ctx, err, op)...)
		return
	}
	m.Created = rfc3339OrNull(b.Created)
	m.SizeBytes = types.Int64Value(b.SizeBytes)
	m.NumObjects = types.Int64Value(b.NumObjects)
	m.Owner = bucketOwner(b)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
