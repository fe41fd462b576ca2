// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var (
	_ resource.ResourceWithConfigure   = (*bucketVersioningResource)(nil)
	_ resource.ResourceWithImportState = (*bucketVersioningResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*bucketVersioningResource)(nil)
)

// bucketVersioningResource manages a bucket's versioning.
type bucketVersioningResource struct {
	providerData *providerData
}

// NewBucketVersioningResource is the hostup_bucket_versioning resource
// constructor.
func NewBucketVersioningResource() resource.Resource {
	return &bucketVersioningResource{}
}

// bucketVersioningResourceModel is the value of a hostup_bucket_versioning
// resource.
type bucketVersioningResourceModel struct {
	Bucket types.String `tfsdk:"bucket"`
	Status types.String `tfsdk:"status"`
}

func (r *bucketVersioningResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_versioning"
}

func (r *bucketVersioningResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket's versioning: whether overwriting or deleting an object keeps the earlier bytes as an " +
			"old version. HostUp sets it through its API, so the provider needs an API key; it is read back through S3, " +
			"which needs an S3 key pair as well: without one, a change made outside Terraform is not seen, and the state " +
			"keeps what was last applied. Once enabled, versioning cannot be switched off, only suspended: destroying the " +
			"resource suspends it (new writes keep no old versions) and keeps the versions already stored, which a " +
			"`hostup_bucket_lifecycle` rule with `noncurrent_version_expiration_days` can expire." + configImportNote,
		Attributes: map[string]schema.Attribute{
			"bucket": configBucketAttribute(kindVersioning),
			"status": schema.StringAttribute{
				MarkdownDescription: "`Enabled` keeps every version of every object; `Suspended` stops keeping new versions " +
					"and keeps those already stored.",
				Required: true,
				Validators: []validator.String{
					stringvalidator.OneOf(hostups3.VersioningEnabled, hostups3.VersioningSuspended),
				},
			},
		},
	}
}

func (r *bucketVersioningResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&r.providerData, req.ProviderData)...)
}

// ModifyPlan refuses, at plan time, to create or change versioning without
// an API key: only HostUp's API sets it.
func (r *bucketVersioningResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.providerData == nil || r.providerData.client != nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state bucketVersioningResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || (!req.State.Raw.IsNull() && plan.Status.Equal(state.Status)) {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("status"), summaryMissingAPIKey,
		missingAPIKey("hostup_bucket_versioning", "Versioning is set through HostUp's API; an S3 key pair only reads it back."))
}

func (r *bucketVersioningResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan bucketVersioningResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.set(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// Read asks S3 when the provider has a key pair; without one the state
// keeps what was last applied.
func (r *bucketVersioningResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state bucketVersioningResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	bucket := state.Bucket.ValueString()
	if r.providerData != nil && r.providerData.objects == nil {
		if state.Status.IsNull() {
			resp.Diagnostics.AddError("S3 Key Pair Required",
				fmt.Sprintf("Importing the versioning of bucket %q reads it through HostUp's S3 API, which needs one of the "+
					"account's S3 key pairs: set s3_access_key_id and s3_secret_access_key in the provider block (or the %s and "+
					"%s environment variables).", bucket, EnvS3AccessKeyID, EnvS3SecretAccessKey))
			return
		}
		tflog.Debug(ctx, "no S3 key pair: the versioning of a bucket is not read back, the state keeps what was applied",
			map[string]any{"bucket": bucket})
		return
	}
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_bucket_versioning")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	status, err := client.BucketVersioning(ctx, bucket)
	if configGone(ctx, err, kindVersioning, bucket, resp) {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, configOp("read", kindVersioning, bucket))...)
		return
	}
	if status == "" {
		resp.Diagnostics.AddWarning("HostUp Bucket Was Never Versioned",
			fmt.Sprintf("Bucket %q has never been versioned (it may have been deleted and made again outside Terraform), so its "+
				"versioning is removed from state; the next apply sets it again.", bucket))
		resp.State.RemoveResource(ctx)
		return
	}
	state.Status = types.StringValue(status)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *bucketVersioningResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan bucketVersioningResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.set(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// Delete suspends versioning: once enabled it cannot be switched off, and
// the versions stored stay.
func (r *bucketVersioningResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, client, state, ok := modelAndClient[bucketVersioningResourceModel](ctx, req.State, r.providerData.apiCall, "hostup_bucket_versioning", &resp.Diagnostics)
	if !ok {
		return
	}
	bucket := state.Bucket.ValueString()
	if _, err := client.SetBucketVersioning(ctx, bucket, false); err != nil && !hostup.NotFound(err) {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, configOp("suspend", kindVersioning, bucket))...)
	}
}

// ImportState takes the bucket's name.
func (r *bucketVersioningResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("bucket"), req, resp)
}

// set enables or suspends the bucket's versioning as plan says, and records
// the status HostUp answers.
func (r *bucketVersioningResource) set(ctx context.Context, plan *bucketVersioningResourceModel, state *tfsdk.State, d *diag.Diagnostics) {
	ctx, client, diags := r.providerData.apiCall(ctx, "hostup_bucket_versioning")
	d.Append(diags...)
	if d.HasError() {
		return
	}
	bucket := plan.Bucket.ValueString()
	enabled := plan.Status.ValueString() == hostups3.VersioningEnabled
	verb := "suspend"
	if enabled {
		verb = "enable"
	}
	status, err := client.SetBucketVersioning(ctx, bucket, enabled)
	if err != nil {
		d.Append(r.providerData.apiError(ctx, err, configOp(verb, kindVersioning, bucket))...)
		return
	}
	if status != plan.Status.ValueString() {
		d.AddAttributeError(path.Root("status"), "HostUp Versioning Not Changed",
			fmt.Sprintf("HostUp was asked to %s the versioning of bucket %q and answered that it is %s.", verb, bucket, status))
		return
	}
	d.Append(state.Set(ctx, plan)...)
}
