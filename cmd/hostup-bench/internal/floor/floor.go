// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package floor is the benchmark's framework floor: a terraform-plugin-framework
// provider served as "hostup" whose hostup_presigned_url data source has the
// real provider's schema (taken from it, so the two cannot drift) and whose
// read does what every framework data source must (Config.Get, State.Set)
// and nothing else: it returns constants, with no API call and no signing.
// The benchmark builds it; it is never shipped.
package floor

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// New returns the floor provider.
func New() fwprovider.Provider { return &floorProvider{real: provider.New("floor")()} }

type floorProvider struct{ real fwprovider.Provider }

func (p *floorProvider) Metadata(ctx context.Context, req fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *floorProvider) Schema(ctx context.Context, req fwprovider.SchemaRequest, resp *fwprovider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

func (p *floorProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return &floorDataSource{real: provider.NewPresignedURLDataSource()} }}
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource { return nil }

// floorDataSource has the real data source's name and schema.
type floorDataSource struct{ real datasource.DataSource }

// floorModel has the data source's attributes, read and written the
// framework's way (struct tags). A new attribute in the real schema fails
// the floor's read loudly until it is added here.
type floorModel struct {
	Bucket                     types.String      `tfsdk:"bucket"`
	Key                        types.String      `tfsdk:"key"`
	Action                     types.String      `tfsdk:"action"`
	ContentType                types.String      `tfsdk:"content_type"`
	ExpiresIn                  types.Int64       `tfsdk:"expires_in"`
	RotationPeriod             types.String      `tfsdk:"rotation_period"`
	ResponseContentDisposition types.String      `tfsdk:"response_content_disposition"`
	ResponseContentType        types.String      `tfsdk:"response_content_type"`
	ResponseCacheControl       types.String      `tfsdk:"response_cache_control"`
	URL                        types.String      `tfsdk:"url"`
	ExpiresAt                  timetypes.RFC3339 `tfsdk:"expires_at"`
	RotatesAt                  timetypes.RFC3339 `tfsdk:"rotates_at"`
	HTTPMethod                 types.String      `tfsdk:"http_method"`
	RequiredHeaders            types.Map         `tfsdk:"required_headers"`
	RequestID                  types.String      `tfsdk:"request_id"`
}

var expiresAt = time.Date(2030, 1, 1, 0, 15, 0, 0, time.UTC)

func (d *floorDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d *floorDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (d *floorDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m floorModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.URL = types.StringValue("https://s3.hostup.se/bench/object?X-Amz-Signature=00")
	m.ExpiresIn = types.Int64Value(900)
	m.ExpiresAt = timetypes.NewRFC3339TimeValue(expiresAt)
	m.HTTPMethod = types.StringValue("GET")
	m.RequiredHeaders = types.MapValueMust(types.StringType, nil)
	m.RequestID = types.StringValue("floor")
	m.RotatesAt = timetypes.NewRFC3339Null()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
