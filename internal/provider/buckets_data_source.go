// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*bucketsDataSource)(nil)

// bucketsDataSource lists every bucket of the account.
type bucketsDataSource struct {
	providerData *providerData
}

// NewBucketsDataSource is the hostup_buckets data source constructor.
func NewBucketsDataSource() datasource.DataSource {
	return &bucketsDataSource{}
}

type bucketsDataSourceModel struct {
	Buckets []bucketsEntryModel `tfsdk:"buckets"`
}

type bucketsEntryModel struct {
	Name       types.String      `tfsdk:"name"`
	Created    timetypes.RFC3339 `tfsdk:"created"`
	SizeBytes  types.Int64       `tfsdk:"size_bytes"`
	NumObjects types.Int64       `tfsdk:"num_objects"`
}

func (d *bucketsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_buckets"
}

func (d *bucketsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every bucket of the account, in the order HostUp returns them.",
		Attributes: map[string]schema.Attribute{
			"buckets": schema.ListNestedAttribute{
				MarkdownDescription: "The account's buckets.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name":        schema.StringAttribute{MarkdownDescription: descBucketName, Computed: true},
						"created":     schema.StringAttribute{MarkdownDescription: descBucketCreated, Computed: true, CustomType: timetypes.RFC3339Type{}},
						"size_bytes":  schema.Int64Attribute{MarkdownDescription: descBucketSizeBytes, Computed: true},
						"num_objects": schema.Int64Attribute{MarkdownDescription: descBucketNumObjects, Computed: true},
					},
				},
			},
		},
	}
}

func (d *bucketsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&d.providerData, req.ProviderData)...)
}

func (d *bucketsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, client, diags := d.providerData.apiCall(ctx, "data.hostup_buckets")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	buckets, err := client.ListBuckets(ctx)
	if err != nil {
		resp.Diagnostics.Append(d.providerData.apiError(ctx, err, apiOp{what: "list buckets"})...)
		return
	}
	m := bucketsDataSourceModel{Buckets: make([]bucketsEntryModel, 0, len(buckets))}
	for _, b := range buckets {
		m.Buckets = append(m.Buckets, bucketsEntryModel{
			Name: types.StringValue(b.Name), Created: rfc3339OrNull(b.Created),
			SizeBytes: types.Int64Value(b.SizeBytes), NumObjects: types.Int64Value(b.NumObjects),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
