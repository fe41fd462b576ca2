// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package floor is the benchmark's framework floor: a terraform-plugin-framework
// provider served as "hostup" whose hostup_presigned_url data source and
// hostup_object resource have the real provider's schemas (taken from it, so
// the two cannot drift) and do what every framework block must (Config.Get
// or Plan.Get, State.Set) and nothing else: the data source returns
// constants, with no API call and no signing; the resource stores nothing,
// reads no file and asks no server. The benchmark builds it; it is never
// shipped.
package floor

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &floorObject{real: provider.NewObjectResource()} }}
}

// floorDataSource has the real data source's name and schema.
type floorDataSource struct{ real datasource.DataSource }

var expiresAt = time.Date(2030, 1, 1, 0, 15, 0, 0, time.UTC)

func (d *floorDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d *floorDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (d *floorDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m provider.PresignedURLModel
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

// floorObject has the real hostup_object's name and schema.
type floorObject struct{ real resource.Resource }

func (r *floorObject) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *floorObject) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

// known fills what the plan left unknown with constants, as a resource
// must before it writes state.
func known(m *provider.ObjectModel) {
	m.ID = types.StringValue(m.Bucket.ValueString() + "/" + m.Key.ValueString())
	m.ContentWO = types.StringNull()
	if m.ContentType.IsUnknown() {
		m.ContentType = types.StringValue("application/octet-stream")
	}
	if m.Tags.IsUnknown() {
		m.Tags = types.MapNull(types.StringType)
	}
	if m.Metadata.IsUnknown() {
		m.Metadata = types.MapNull(types.StringType)
	}
	m.ETag, m.Size, m.VersionID = types.StringValue("d41d8cd98f00b204e9800998ecf8427e"), types.Int64Value(0), types.StringValue("")
}

func (r *floorObject) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(store(ctx, req.Plan, &resp.State)...)
}

func (r *floorObject) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m provider.ObjectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *floorObject) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(store(ctx, req.Plan, &resp.State)...)
}

// store writes the plan to state, what it left unknown filled in: all that
// the floor's create and update do.
func store(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var m provider.ObjectModel
	diags := plan.Get(ctx, &m)
	if diags.HasError() {
		return diags
	}
	known(&m)
	return append(diags, state.Set(ctx, &m)...)
}

func (r *floorObject) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
