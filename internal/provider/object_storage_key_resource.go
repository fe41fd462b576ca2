// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

var _ resource.ResourceWithConfigure = (*objectStorageKeyResource)(nil)

// objectStorageKeyResource manages one S3 key pair. HostUp cannot read or
// list key pairs, so the resource keeps what creation returned, and cannot
// be imported.
type objectStorageKeyResource struct {
	providerData *providerData
}

// NewObjectStorageKeyResource is the hostup_object_storage_key resource constructor.
func NewObjectStorageKeyResource() resource.Resource {
	return &objectStorageKeyResource{}
}

type objectStorageKeyModel struct {
	Label           types.String `tfsdk:"label"`
	AccessKeyID     types.String `tfsdk:"access_key_id"`
	SecretAccessKey types.String `tfsdk:"secret_access_key"`
}

func (r *objectStorageKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_object_storage_key"
}

func (r *objectStorageKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An S3 key pair of the account, for the provider's local signing (`s3_access_key_id`, " +
			"`s3_secret_access_key`) or any S3 client. HostUp returns the secret only when the pair is created, so it is " +
			"kept in state, marked sensitive: protect the state. HostUp has no way to read or list key pairs: a pair deleted " +
			"outside Terraform goes unnoticed (the next apply does not recreate it), and pairs cannot be imported.",
		Attributes: map[string]schema.Attribute{
			"label": schema.StringAttribute{
				MarkdownDescription: "A name for the key pair, to tell it apart in HostUp's control panel. Changing it replaces the pair.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"access_key_id": schema.StringAttribute{
				MarkdownDescription: "The access key ID: the provider's `s3_access_key_id`, and the user name of S3 clients.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_access_key": schema.StringAttribute{
				MarkdownDescription: "The secret: the provider's `s3_secret_access_key`. Stored in state, marked sensitive.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *objectStorageKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&r.providerData, req.ProviderData)...)
}

func (r *objectStorageKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, client, plan, ok := modelAndClient[objectStorageKeyModel](ctx, req.Plan, r.providerData.apiCall, "hostup_object_storage_key", &resp.Diagnostics)
	if !ok {
		return
	}
	label := plan.Label.ValueString()
	key, err := client.CreateKeyPair(ctx, label)
	if err != nil {
		op := apiOp{what: fmt.Sprintf("create key pair %q", label), creates: true}
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, op)...)
		if hostup.Ambiguous(err) {
			resp.Diagnostics.AddWarning("A HostUp Key Pair May Have Been Created",
				fmt.Sprintf("The request to create key pair %q may have reached HostUp before it failed. HostUp cannot list "+
					"key pairs, and its secret is lost: check the control panel for a pair labelled %q and delete it before "+
					"applying again.", label, label))
		}
		return
	}
	// From here on the new secret is masked too.
	secrets := r.providerData.secrets.with(key.SecretAccessKey)
	ctx = secrets.maskLogs(ctx)
	plan.AccessKeyID = types.StringValue(key.AccessKeyID)
	plan.SecretAccessKey = types.StringValue(key.SecretAccessKey)
	resp.Diagnostics.Append(secrets.maskDiagnostics(resp.State.Set(ctx, &plan))...)
}

// Read keeps what state holds: HostUp has no endpoint to read a key pair.
func (r *objectStorageKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state objectStorageKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called with a change (the label replaces the pair); it
// keeps the state as planned.
func (r *objectStorageKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var state objectStorageKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *objectStorageKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state objectStorageKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, diags := r.providerData.apiClient("hostup_object_storage_key")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	secrets := r.providerData.secrets.with(state.SecretAccessKey.ValueString())
	ctx = secrets.maskLogs(ctx)
	access := state.AccessKeyID.ValueString()
	err := client.DeleteKeyPair(ctx, access)
	switch {
	case err == nil, hostup.NotFound(err):
		return
	case isLastKeyRefusal(err):
		resp.Diagnostics.AddError("Cannot Delete the Last S3 Key Pair",
			fmt.Sprintf("HostUp refuses to delete key pair %s because it is the account's last one: an account keeps at least "+
				"one S3 key pair. Nothing was deleted. Create another pair first (another hostup_object_storage_key, or in "+
				"HostUp's control panel) and destroy again; or keep this pair and stop managing it with "+
				"`terraform state rm`. When a changed label replaces the only pair, add "+
				"lifecycle { create_before_destroy = true } so the new pair exists before the old one is deleted.", access))
	default:
		op := apiOp{what: fmt.Sprintf("delete key pair %s", access)}
		resp.Diagnostics.Append(secrets.maskDiagnostics(diag.Diagnostics{apiDiagnostic(ctx, err, op)})...)
	}
}

// isLastKeyRefusal reports HostUp's 400 "Cannot delete the last access key".
func isLastKeyRefusal(err error) bool {
	var apiErr *hostup.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(apiErr.Text()), "last access key")
}
