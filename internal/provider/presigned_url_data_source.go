// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
		Attributes: dataSourceAttributes(presignedURLAttributes()),
	}
}

func (d *presignedURLDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&d.providerData, req.ProviderData)...)
}

func (d *presignedURLDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validatePresignedURLConfig(ctx, req.Config)...)
}

func (d *presignedURLDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.Diagnostics.Append(readPresignedURL(ctx, d.providerData, req.Config, &resp.State)...)
}
