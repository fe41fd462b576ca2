// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

var (
	_ resource.ResourceWithIdentity    = (*bucketResource)(nil)
	_ resource.ResourceWithConfigure   = (*bucketResource)(nil)
	_ resource.ResourceWithImportState = (*bucketResource)(nil)
)

// bucketResource manages one bucket.
type bucketResource struct {
	providerData *providerData
}

// NewBucketResource is the hostup_bucket resource constructor.
func NewBucketResource() resource.Resource {
	return &bucketResource{}
}

// bucketResourceModel is the value of a hostup_bucket resource.
type bucketResourceModel struct {
	Name         types.String      `tfsdk:"name"`
	ForceDestroy types.Bool        `tfsdk:"force_destroy"`
	Created      timetypes.RFC3339 `tfsdk:"created"`
	SizeBytes    types.Int64       `tfsdk:"size_bytes"`
	NumObjects   types.Int64       `tfsdk:"num_objects"`
	Owner        types.String      `tfsdk:"owner"`
}

// setBucket fills the computed attributes from b.
func (m *bucketResourceModel) setBucket(b *hostup.Bucket) {
	m.Name = types.StringValue(b.Name)
	m.Created = rfc3339OrNull(b.Created)
	m.SizeBytes = types.Int64Value(b.SizeBytes)
	m.NumObjects = types.Int64Value(b.NumObjects)
	m.Owner = bucketOwner(b)
}

func (r *bucketResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket"
}

func (r *bucketResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket in HostUp object storage. HostUp deletes a bucket together with every object in it, " +
			"so destroying a bucket that holds objects is refused unless `force_destroy` is `true`. Import by name, or with an " +
			"`import` block that names it by identity, `{ name = \"...\" }` (Terraform 1.12+). `terraform query` lists the " +
			"account's buckets with the `hostup_bucket` list resource (Terraform 1.14+; OpenTofu has no list resources yet), " +
			"and `-generate-config-out` writes their configuration.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: descBucketName + " Changing it replaces the bucket.",
				Required:            true,
				Validators:          bucketValidators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Allow destroying the bucket while it holds objects, which deletes them too. Defaults to " +
					"`false`: destroy then fails, naming how many objects the bucket holds. Set it to `true` and apply before " +
					"the destroy that should delete them.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created": schema.StringAttribute{
				MarkdownDescription: descBucketCreated,
				Computed:            true,
				CustomType:          timetypes.RFC3339Type{},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"size_bytes": schema.Int64Attribute{
				MarkdownDescription: descBucketSizeBytes,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"num_objects": schema.Int64Attribute{
				MarkdownDescription: descBucketNumObjects,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: descBucketOwner,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// bucketIdentity is a bucket's resource identity (Terraform 1.12+): its name.
type bucketIdentity struct {
	Name types.String `tfsdk:"name"`
}

func (r *bucketResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"name": identityschema.StringAttribute{
				Description:       "The bucket's name.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records the bucket's identity, where the CLI keeps one.
func setBucketIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, name types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, bucketIdentity{Name: name})
}

func (r *bucketResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&r.providerData, req.ProviderData)...)
}

func (r *bucketResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, client, plan, ok := modelAndClient[bucketResourceModel](ctx, req.Plan, r.providerData.apiCall, "hostup_bucket", &resp.Diagnostics)
	if !ok {
		return
	}
	name := plan.Name.ValueString()
	op := apiOp{what: fmt.Sprintf("create bucket %q", name), creates: true}
	sentAt := r.providerData.now()
	b, err := client.CreateBucket(ctx, name)
	if err != nil {
		if hostup.Conflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "HostUp Bucket Already Exists",
				fmt.Sprintf("A bucket named %q already exists, in this account or another (names are unique across HostUp). "+
					"If it is this account's and this configuration should manage it, import it: "+
					"terraform import <resource address> %s. Otherwise choose another name.", name, name))
			return
		}
		// The API may have created the bucket before the answer went wrong.
		// A bucket of that name is recorded only when it can be this
		// create's: made since the request was sent, and empty. Anything else
		// may be someone's data, which a later destroy would delete.
		if hostup.Ambiguous(err) {
			if found, getErr := client.GetBucket(ctx, name); getErr == nil {
				failed := r.providerData.secrets.maskText(sentence(err.Error()))
				if why := notThisCreate(found, sentAt); why != "" {
					resp.Diagnostics.AddAttributeError(path.Root("name"), "HostUp Bucket Creation Uncertain",
						fmt.Sprintf("Creating bucket %q failed (%s) A bucket of that name exists now, but it cannot be shown to be the "+
							"one this apply created: %s. It is not recorded, because managing it would let a later destroy delete "+
							"data this configuration never made. If it is this configuration's bucket, import it: "+
							"terraform import <resource address> %s.", name, failed, why, name))
					return
				}
				plan.setBucket(found)
				resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
				resp.Diagnostics.Append(setBucketIdentity(ctx, resp.Identity, plan.Name)...)
				resp.Diagnostics.AddWarning("HostUp Bucket Created Despite an Error",
					fmt.Sprintf("Creating bucket %q failed (%s) But a bucket of that name, empty and created after the request "+
						"was sent, exists now, so it is recorded in state.", name, failed))
				return
			}
		}
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, op)...)
		return
	}
	// The bucket exists from here on: state records it before anything else
	// can fail.
	plan.setBucket(b)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setBucketIdentity(ctx, resp.Identity, plan.Name)...)
	if read, err := client.GetBucket(ctx, name); err == nil {
		plan.setBucket(read)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	} else {
		resp.Diagnostics.AddWarning("HostUp Bucket Created but Not Read Back",
			fmt.Sprintf("Bucket %q was created, but reading it back failed, so owner is unknown until the next refresh: %s",
				name, r.providerData.secrets.maskText(sentence(err.Error()))))
	}
}

func (r *bucketResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, client, state, ok := modelAndClient[bucketResourceModel](ctx, req.State, r.providerData.apiCall, "hostup_bucket", &resp.Diagnostics)
	if !ok {
		return
	}
	name := state.Name.ValueString()
	b, err := client.GetBucket(ctx, name)
	if hostup.NotFound(err) {
		resp.Diagnostics.AddWarning("HostUp Bucket Not Found",
			fmt.Sprintf("Bucket %q no longer exists (deleted outside Terraform), so it is removed from state; the next "+
				"apply creates it again.", name))
		resp.State.RemoveResource(ctx)
		// The framework wants an identity after every read, even this one.
		resp.Diagnostics.Append(setBucketIdentity(ctx, resp.Identity, state.Name)...)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, apiOp{what: fmt.Sprintf("read bucket %q", name)})...)
		return
	}
	state.setBucket(b)
	if state.ForceDestroy.IsNull() {
		state.ForceDestroy = types.BoolValue(false) // after import
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setBucketIdentity(ctx, resp.Identity, state.Name)...)
}

// Update only ever changes force_destroy: a new name replaces the bucket.
func (r *bucketResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state bucketResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.ForceDestroy = plan.ForceDestroy
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setBucketIdentity(ctx, resp.Identity, state.Name)...)
}

// Delete refuses to delete a bucket that holds objects unless force_destroy
// is set: HostUp's DELETE takes every object with it.
func (r *bucketResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, client, state, ok := modelAndClient[bucketResourceModel](ctx, req.State, r.providerData.apiCall, "hostup_bucket", &resp.Diagnostics)
	if !ok {
		return
	}
	name := state.Name.ValueString()
	op := apiOp{what: fmt.Sprintf("delete bucket %q", name)}
	// Checked right before deleting: objects uploaded since the last refresh count.
	b, err := client.GetBucket(ctx, name)
	if hostup.NotFound(err) {
		return // already gone
	}
	if err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, op)...)
		return
	}
	if !state.ForceDestroy.ValueBool() {
		switch {
		case !b.CountsKnown:
			resp.Diagnostics.AddAttributeError(path.Root("force_destroy"), "HostUp Bucket Contents Unknown",
				fmt.Sprintf("HostUp did not say how many objects bucket %q holds, and deleting a bucket on HostUp deletes every "+
					"object in it. Nothing was deleted. If the bucket may be deleted with whatever it holds, set force_destroy = true, "+
					"apply, then destroy again.", name))
			return
		case b.NumObjects != 0 || b.SizeBytes != 0:
			resp.Diagnostics.AddAttributeError(path.Root("force_destroy"), "HostUp Bucket Is Not Empty",
				fmt.Sprintf("Bucket %q holds %d objects (%d bytes), and deleting a bucket on HostUp deletes every object in it. "+
					"Nothing was deleted. To delete the bucket and its objects, set force_destroy = true, apply, then destroy again; "+
					"or empty the bucket first.", name, b.NumObjects, b.SizeBytes))
			return
		}
	}
	if err := client.DeleteBucket(ctx, name); err != nil && !hostup.NotFound(err) {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, op)...)
	}
}

// ImportState takes the bucket's name, as an ID or as its identity.
func (r *bucketResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("name"), path.Root("name"), req, resp)
}

// clockSkew is how far HostUp's clock may be behind the provider's for a
// bucket to still count as made after its create request was sent.
const clockSkew = time.Minute

// notThisCreate says why found cannot be the bucket a create sent at
// sentAt made, or "" when it can be.
func notThisCreate(found *hostup.Bucket, sentAt time.Time) string {
	switch {
	case found.Created.IsZero():
		return "HostUp did not say when it was created"
	case found.Created.Before(sentAt.Add(-clockSkew)):
		return fmt.Sprintf("it was created at %s, before the request was sent at %s",
			found.Created.UTC().Format(time.RFC3339), sentAt.UTC().Format(time.RFC3339))
	case !found.CountsKnown:
		return "HostUp did not say what it holds"
	case found.NumObjects != 0 || found.SizeBytes != 0:
		return fmt.Sprintf("it holds %d objects (%d bytes)", found.NumObjects, found.SizeBytes)
	}
	return ""
}
