// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*objectStorageDataSource)(nil)

// objectStorageDataSource reads the account's object-storage overview.
type objectStorageDataSource struct {
	providerData *providerData
}

// NewObjectStorageDataSource is the hostup_object_storage data source constructor.
func NewObjectStorageDataSource() datasource.DataSource {
	return &objectStorageDataSource{}
}

type objectStorageDataSourceModel struct {
	Provisioned    types.Bool   `tfsdk:"provisioned"`
	Endpoint       types.String `tfsdk:"endpoint"`
	AWSRegion      types.String `tfsdk:"aws_region"`
	Region         types.String `tfsdk:"region"`
	BucketCount    types.Int64  `tfsdk:"bucket_count"`
	KeyCount       types.Int64  `tfsdk:"key_count"`
	QuotaMaxSizeGB types.Int64  `tfsdk:"quota_max_size_gb"`
	Usage          *usageModel  `tfsdk:"usage"`
}

type usageModel struct {
	NumObjects types.Int64 `tfsdk:"num_objects"`
	SizeBytes  types.Int64 `tfsdk:"size_bytes"`
}

func (d *objectStorageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_object_storage"
}

func (d *objectStorageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the account's object storage: whether it is provisioned, its S3 endpoint and region, " +
			"how many buckets and key pairs it has, its quota and its usage.",
		Attributes: map[string]schema.Attribute{
			"provisioned": schema.BoolAttribute{
				MarkdownDescription: "Whether object storage is set up for the account.",
				Computed:            true,
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "The S3 endpoint, for example `https://s3.hostup.se`: the provider's `s3_endpoint`.",
				Computed:            true,
			},
			"aws_region": schema.StringAttribute{
				MarkdownDescription: "The region S3 signatures are scoped to, for example `eu-north-1`: the provider's `s3_region`.",
				Computed:            true,
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Where the storage is, for example `Sweden`.",
				Computed:            true,
			},
			"bucket_count": schema.Int64Attribute{
				MarkdownDescription: "How many buckets the account has.",
				Computed:            true,
			},
			"key_count": schema.Int64Attribute{
				MarkdownDescription: "How many S3 key pairs the account has.",
				Computed:            true,
			},
			"quota_max_size_gb": schema.Int64Attribute{
				MarkdownDescription: "The account's storage quota in GB.",
				Computed:            true,
			},
			"usage": schema.SingleNestedAttribute{
				MarkdownDescription: "What the account stores.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"num_objects": schema.Int64Attribute{MarkdownDescription: "Objects across all buckets.", Computed: true},
					"size_bytes":  schema.Int64Attribute{MarkdownDescription: "Bytes across all buckets.", Computed: true},
				},
			},
		},
	}
}

func (d *objectStorageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&d.providerData, req.ProviderData)...)
}

func (d *objectStorageDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, client, diags := d.providerData.apiCall(ctx, "data.hostup_object_storage")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, err := client.GetAccount(ctx)
	if err != nil {
		resp.Diagnostics.Append(d.providerData.apiError(ctx, err, apiOp{what: "read the object-storage overview"})...)
		return
	}
	m := objectStorageDataSourceModel{
		Provisioned: types.BoolValue(a.Provisioned), Endpoint: types.StringValue(a.Endpoint),
		AWSRegion: types.StringValue(a.AWSRegion), Region: types.StringValue(a.Region),
		BucketCount: types.Int64Value(a.BucketCount), KeyCount: types.Int64Value(a.KeyCount),
		QuotaMaxSizeGB: types.Int64Value(a.QuotaMaxSizeGB),
		Usage:          &usageModel{NumObjects: types.Int64Value(a.UsageObjects), SizeBytes: types.Int64Value(a.UsageBytes)},
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
