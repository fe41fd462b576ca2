// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var _ datasource.DataSourceWithConfigure = (*objectsDataSource)(nil)

// objectsDataSource lists a bucket's objects through the S3 API.
type objectsDataSource struct {
	providerData *providerData
}

// NewObjectsDataSource is the hostup_objects data source constructor.
func NewObjectsDataSource() datasource.DataSource {
	return &objectsDataSource{}
}

type objectsDataSourceModel struct {
	Bucket         types.String       `tfsdk:"bucket"`
	Prefix         types.String       `tfsdk:"prefix"`
	Delimiter      types.String       `tfsdk:"delimiter"`
	MaxKeys        types.Int64        `tfsdk:"max_keys"`
	Keys           []types.String     `tfsdk:"keys"`
	CommonPrefixes []types.String     `tfsdk:"common_prefixes"`
	Objects        []objectEntryModel `tfsdk:"objects"`
}

type objectEntryModel struct {
	Key          types.String      `tfsdk:"key"`
	Size         types.Int64       `tfsdk:"size"`
	ETag         types.String      `tfsdk:"etag"`
	LastModified timetypes.RFC3339 `tfsdk:"last_modified"`
}

func (d *objectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_objects"
}

func (d *objectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the objects of a bucket through HostUp's S3 API (ListObjectsV2, every page), with the " +
			"provider's S3 key pair (`s3_access_key_id`, `s3_secret_access_key`).",
		Attributes: map[string]schema.Attribute{
			"bucket": schema.StringAttribute{
				MarkdownDescription: descBucketName,
				Required:            true,
				Validators:          bucketValidators(),
			},
			"prefix": schema.StringAttribute{
				MarkdownDescription: "Only keys that start with this.",
				Optional:            true,
			},
			"delimiter": schema.StringAttribute{
				MarkdownDescription: "Groups keys that contain it after `prefix` into `common_prefixes`, usually `/`.",
				Optional:            true,
			},
			"max_keys": schema.Int64Attribute{
				MarkdownDescription: "At most this many objects (1 to 100000); unset lists them all.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 100000)},
			},
			"keys": schema.ListAttribute{
				MarkdownDescription: "The objects' keys, in order.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"common_prefixes": schema.ListAttribute{
				MarkdownDescription: "With `delimiter`, the key prefixes that group further keys.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"objects": schema.ListNestedAttribute{
				MarkdownDescription: "The objects.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"key":           schema.StringAttribute{MarkdownDescription: "The object's key.", Computed: true},
					"size":          schema.Int64Attribute{MarkdownDescription: "Its size in bytes.", Computed: true},
					"etag":          schema.StringAttribute{MarkdownDescription: "Its ETag, without quotes.", Computed: true},
					"last_modified": schema.StringAttribute{MarkdownDescription: "When it was last written, RFC 3339.", Computed: true, CustomType: timetypes.RFC3339Type{}},
				}},
			},
		},
	}
}

func (d *objectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&d.providerData, req.ProviderData)...)
}

func (d *objectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, client, m, ok := modelAndClient[objectsDataSourceModel](ctx, req.Config, d.providerData.s3Call, "data.hostup_objects", &resp.Diagnostics)
	if !ok {
		return
	}
	list, err := client.List(ctx, hostups3.ListInput{Bucket: m.Bucket.ValueString(), Prefix: m.Prefix.ValueString(),
		Delimiter: m.Delimiter.ValueString(), MaxKeys: int(m.MaxKeys.ValueInt64())})
	if err != nil {
		resp.Diagnostics.Append(d.providerData.apiError(ctx, err,
			apiOp{what: fmt.Sprintf("list bucket %q", m.Bucket.ValueString()), bucket: m.Bucket.ValueString(), bucketPath: path.Root("bucket")})...)
		return
	}
	m.Keys, m.CommonPrefixes, m.Objects = []types.String{}, []types.String{}, []objectEntryModel{}
	for _, o := range list.Objects {
		m.Keys = append(m.Keys, types.StringValue(o.Key))
		m.Objects = append(m.Objects, objectEntryModel{Key: types.StringValue(o.Key), Size: types.Int64Value(o.Size),
			ETag: types.StringValue(o.ETag), LastModified: rfc3339OrNull(o.LastModified)})
	}
	for _, p := range list.CommonPrefixes {
		m.CommonPrefixes = append(m.CommonPrefixes, types.StringValue(p))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
