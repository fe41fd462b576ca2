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

var (
	_ datasource.DataSourceWithConfigure      = (*presignedURLDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*presignedURLDataSource)(nil)
)

// presignedURLDataSource issues a presigned URL on every read.
type presignedURLDataSource struct {
	providerData *providerData
}

// NewPresignedURLDataSource is the hostup_presigned_url data source constructor.
func NewPresignedURLDataSource() datasource.DataSource {
	return &presignedURLDataSource{}
}

func (d *presignedURLDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_presigned_url"
}

func (d *presignedURLDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues a time-limited presigned URL for one object in HostUp object storage: a " +
			"`download` URL (HTTP `GET`) or an `upload` URL (HTTP `PUT`). A new URL is issued on every plan and " +
			"apply, and the URL is stored in state, where it is a live credential until it expires.",
		Attributes: map[string]schema.Attribute{
			"bucket": schema.StringAttribute{
				MarkdownDescription: descBucket,
				Required:            true,
				Validators:          bucketValidators(),
			},
			"key": schema.StringAttribute{
				MarkdownDescription: descKey,
				Required:            true,
				Validators:          keyValidators(),
			},
			"action": schema.StringAttribute{
				MarkdownDescription: descAction,
				Required:            true,
				Validators:          actionValidators(),
			},
			"content_type": schema.StringAttribute{
				MarkdownDescription: descContentType,
				Optional:            true,
				Validators:          contentTypeValidators(),
			},
			"url": schema.StringAttribute{
				MarkdownDescription: descURL,
				Computed:            true,
				Sensitive:           true,
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: descExpiresIn,
				Optional:            true,
				Computed:            true,
				Validators:          expiresInValidators(),
			},
			"rotation_period": schema.StringAttribute{
				MarkdownDescription: descRotationPeriod,
				Optional:            true,
				Validators:          rotationPeriodValidators(),
			},
			"rotates_at": schema.StringAttribute{
				MarkdownDescription: descRotatesAt,
				Computed:            true,
				CustomType:          timetypes.RFC3339Type{},
			},
			"response_content_disposition": schema.StringAttribute{
				MarkdownDescription: descResponseContentDisposition,
				Optional:            true,
				Validators:          headerValueValidators(),
			},
			"response_content_type": schema.StringAttribute{
				MarkdownDescription: descResponseContentType,
				Optional:            true,
				Validators:          contentTypeValidators(),
			},
			"response_cache_control": schema.StringAttribute{
				MarkdownDescription: descResponseCacheControl,
				Optional:            true,
				Validators:          headerValueValidators(),
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: descExpiresAt,
				Computed:            true,
				CustomType:          timetypes.RFC3339Type{},
			},
			"http_method": schema.StringAttribute{
				MarkdownDescription: descHTTPMethod,
				Computed:            true,
			},
			"required_headers": schema.MapAttribute{
				MarkdownDescription: descRequiredHeaders,
				Computed:            true,
				ElementType:         types.StringType,
			},
			"request_id": schema.StringAttribute{
				MarkdownDescription: descRequestID,
				Computed:            true,
			},
		},
	}
}

func (d *presignedURLDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	if pd != nil {
		d.providerData = pd
	}
}

func (d *presignedURLDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validatePresignedURLConfig(ctx, req.Config)...)
}

func (d *presignedURLDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m, diags := readPresignedURL(ctx, d.providerData, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
