// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// What the bucket configuration resources (hostup_bucket_cors,
// hostup_bucket_lifecycle, hostup_bucket_policy, hostup_bucket_versioning)
// share: each is keyed by its bucket, owns the whole configuration of its
// kind, shows drift, and is imported by the bucket's name.

// configBucketAttribute is the bucket attribute of a configuration
// resource of kind ("CORS configuration", "policy").
func configBucketAttribute(kind string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Name of the bucket whose %s this resource manages. Changing it replaces the resource.", kind),
		Required:            true,
		Validators:          bucketValidators(),
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// configImportNote ends the description of every configuration resource.
const configImportNote = " Import it by the bucket's name."

// configOp describes a call on a bucket's configuration for its diagnostics.
func configOp(verb, kind, bucket string) apiOp {
	return apiOp{what: fmt.Sprintf("%s the %s of bucket %q", verb, kind, bucket), bucket: bucket, bucketPath: path.Root("bucket")}
}

// configGone handles a Read whose bucket or configuration no longer exists:
// the resource leaves state with a warning, so the next apply puts the
// configuration again, and configGone returns true.
func configGone(ctx context.Context, err error, kind, bucket string, resp *resource.ReadResponse) bool {
	switch {
	case hostups3.NoSuchBucket(err):
		resp.Diagnostics.AddWarning("HostUp Bucket Not Found",
			fmt.Sprintf("Bucket %q no longer exists (deleted outside Terraform), so its %s is removed from state; the next "+
				"apply puts it again once the bucket exists.", bucket, kind))
	case hostups3.NoSuchConfiguration(err):
		resp.Diagnostics.AddWarning(fmt.Sprintf("HostUp Bucket Has No %s", titleKind(kind)),
			fmt.Sprintf("Bucket %q has no %s (removed outside Terraform), so it is removed from state; the next apply puts "+
				"it again.", bucket, kind))
	default:
		return false
	}
	resp.State.RemoveResource(ctx)
	return true
}

// titleKind is kind in a diagnostic's Title Case summary.
func titleKind(kind string) string {
	switch kind {
	case kindCORS:
		return "CORS Configuration"
	case kindLifecycle:
		return "Lifecycle Configuration"
	case kindPolicy:
		return "Policy"
	case kindVersioning:
		return "Versioning"
	}
	return kind
}

// The kinds of configuration, as diagnostics name them.
const (
	kindCORS       = "CORS configuration"
	kindLifecycle  = "lifecycle configuration"
	kindPolicy     = "policy"
	kindVersioning = "versioning"
)

// stringsOrNull is a set of strings read back from S3: null when there are
// none, since S3 does not tell an empty list from none.
func stringsOrNull(values []string) types.Set {
	if len(values) == 0 {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

// setStrings is a known set of strings as a slice; nil for null.
func setStrings(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	return out
}

// int64OrNull is a count of days or seconds read back from S3: null for 0,
// which S3 leaves out.
func int64OrNull(n int32) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(n))
}

// s3Config is a resource that manages one kind of bucket configuration C
// that lives on S3 (CORS, lifecycle, policy), but for its name and schema:
// how C goes between the S3 client and the resource's model M, and with it
// the resource's Configure, Create, Read, Update, Delete and ImportState.
// Each such resource embeds a copy of its kind's s3Config.
type s3Config[C, M any] struct {
	block, kind string
	get         func(*hostups3.ObjectClient, context.Context, string) (C, error)
	put         func(*hostups3.ObjectClient, context.Context, string, C) error
	remove      func(*hostups3.ObjectClient, context.Context, string) error
	// bucket is the model's bucket; config what it asks for; setConfig
	// records what S3 reports.
	bucket    func(*M) types.String
	config    func(*M) C
	setConfig func(*M, C)

	providerData *providerData // from Configure
}

func (s *s3Config[C, M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&s.providerData, req.ProviderData)...)
}

func (s *s3Config[C, M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(s.apply(ctx, req.Plan, &resp.State)...)
}

func (s *s3Config[C, M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(s.apply(ctx, req.Plan, &resp.State)...)
}

// apply is Create and Update: the plan's configuration put, and recorded.
func (s *s3Config[C, M]) apply(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	ctx, client, m, ok := modelAndClient[M](ctx, plan, s.providerData.s3Call, s.block, &diags)
	if !ok {
		return diags
	}
	bucket := s.bucket(&m).ValueString()
	if err := s.put(client, ctx, bucket, s.config(&m)); err != nil {
		diags.Append(s.providerData.apiError(ctx, err, configOp("put", s.kind, bucket))...)
		return diags
	}
	diags.Append(state.Set(ctx, &m)...)
	return diags
}

// Read records the configuration S3 reports, or removes a resource whose
// bucket or configuration is gone.
func (s *s3Config[C, M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, client, m, ok := modelAndClient[M](ctx, req.State, s.providerData.s3Call, s.block, &resp.Diagnostics)
	if !ok {
		return
	}
	bucket := s.bucket(&m).ValueString()
	c, err := s.get(client, ctx, bucket)
	if configGone(ctx, err, s.kind, bucket, resp) {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(s.providerData.apiError(ctx, err, configOp("read", s.kind, bucket))...)
		return
	}
	s.setConfig(&m, c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete removes the configuration; a bucket already gone took it along.
func (s *s3Config[C, M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, client, m, ok := modelAndClient[M](ctx, req.State, s.providerData.s3Call, s.block, &resp.Diagnostics)
	if !ok {
		return
	}
	bucket := s.bucket(&m).ValueString()
	if err := s.remove(client, ctx, bucket); err != nil && !hostups3.NoSuchBucket(err) {
		resp.Diagnostics.Append(s.providerData.apiError(ctx, err, configOp("delete", s.kind, bucket))...)
	}
}

// ImportState takes the bucket's name.
func (s *s3Config[C, M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("bucket"), req, resp)
}
