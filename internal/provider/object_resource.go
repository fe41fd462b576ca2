// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // S3's ETag of a single-part object is its MD5
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var (
	_ resource.ResourceWithConfigure        = (*objectResource)(nil)
	_ resource.ResourceWithConfigValidators = (*objectResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*objectResource)(nil)
	_ resource.ResourceWithImportState      = (*objectResource)(nil)
)

// objectResource manages one object through HostUp's S3 API, with the
// provider's key pair.
type objectResource struct {
	providerData *providerData
}

// NewObjectResource is the hostup_object resource constructor.
func NewObjectResource() resource.Resource {
	return &objectResource{}
}

type objectResourceModel struct {
	Bucket             types.String `tfsdk:"bucket"`
	Key                types.String `tfsdk:"key"`
	Source             types.String `tfsdk:"source"`
	Content            types.String `tfsdk:"content"`
	ContentBase64      types.String `tfsdk:"content_base64"`
	SourceHash         types.String `tfsdk:"source_hash"`
	ContentType        types.String `tfsdk:"content_type"`
	CacheControl       types.String `tfsdk:"cache_control"`
	ContentDisposition types.String `tfsdk:"content_disposition"`
	ETag               types.String `tfsdk:"etag"`
	Size               types.Int64  `tfsdk:"size"`
	VersionID          types.String `tfsdk:"version_id"`
}

func (r *objectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_object"
}

func (r *objectResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An object in a HostUp bucket, uploaded through HostUp's S3 API with the provider's S3 key pair " +
			"(`s3_access_key_id`, `s3_secret_access_key`). Files are streamed, never held in memory, and sent in parts above " +
			"100 MiB. An object changed outside Terraform (its ETag differs from the content's MD5) plans an update. " +
			"A `source` file must exist when Terraform plans. Destroy deletes the object; on a bucket that keeps versions, " +
			"earlier versions stay.",
		Attributes: map[string]schema.Attribute{
			"bucket": schema.StringAttribute{MarkdownDescription: descBucketName + " Changing it replaces the object.",
				Required: true, Validators: bucketValidators(), PlanModifiers: replace},
			"key": schema.StringAttribute{MarkdownDescription: "Object key inside the bucket: 1 to 1024 bytes of UTF-8. Changing it replaces the object.",
				Required: true, Validators: keyValidators(), PlanModifiers: replace},
			"source": schema.StringAttribute{MarkdownDescription: "Path of a local file to upload. Exactly one of `source`, `content` " +
				"and `content_base64`. A change of the file's contents plans an update (by its MD5, up to 100 MiB; above that, " +
				"set `source_hash`, for example to `filemd5(...)`).", Optional: true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"content": schema.StringAttribute{MarkdownDescription: "The object's content, as UTF-8 text. Exactly one of `source`, `content` and `content_base64`.",
				Optional: true},
			"content_base64": schema.StringAttribute{MarkdownDescription: "The object's content, base64-encoded, for binary data. Exactly one of `source`, `content` and `content_base64`.",
				Optional: true, Validators: []validator.String{base64Validator()}},
			"source_hash": schema.StringAttribute{MarkdownDescription: "Any value that changes when `source`'s contents change, " +
				"such as `filemd5(\"app.tar.gz\")`: a change plans an update. Needed for files above 100 MiB, whose ETag is not an MD5.",
				Optional: true},
			"content_type": schema.StringAttribute{MarkdownDescription: "The object's media type. Defaults to the type of the key's " +
				"extension from the provider's own table, the same on every machine (`.tar.gz` is `application/gzip`, `.json` " +
				"`application/json`, `.yaml` `application/yaml`, `.md` `text/markdown; charset=utf-8`), else `application/octet-stream`.",
				Optional: true, Computed: true, Validators: contentTypeValidators()},
			"cache_control": schema.StringAttribute{MarkdownDescription: "`Cache-Control` stored with the object and sent with every download.",
				Optional: true, Validators: headerValueValidators()},
			"content_disposition": schema.StringAttribute{MarkdownDescription: "`Content-Disposition` stored with the object, for example `attachment; filename=\"app.tar.gz\"`.",
				Optional: true, Validators: headerValueValidators()},
			"etag": schema.StringAttribute{MarkdownDescription: "The object's ETag, without quotes: its MD5 for an object uploaded in one part.",
				Computed: true},
			"size": schema.Int64Attribute{MarkdownDescription: "The object's size in bytes.", Computed: true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"version_id": schema.StringAttribute{MarkdownDescription: "The object's version ID, when the bucket keeps versions; null otherwise.",
				Computed: true},
		},
	}
}

func (r *objectResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(fwpath.MatchRoot("source"), fwpath.MatchRoot("content"), fwpath.MatchRoot("content_base64")),
	}
}

func (r *objectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	if pd != nil {
		r.providerData = pd
	}
}

// ModifyPlan checks at plan time what can be: the key pair, the file, and
// whether the stored object still has the content's MD5. It also fills the
// default content type.
func (r *objectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.providerData == nil {
		return // destroy, or validation before Configure
	}
	if _, diags := r.providerData.objectClient("hostup_object"); diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	var plan objectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The default applies only when the configuration leaves content_type
	// out; a value unknown until apply stays unknown.
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, fwpath.Root("content_type"), &configured)...)
	if configured.IsNull() && plan.ContentType.IsUnknown() && !plan.Key.IsUnknown() {
		plan.ContentType = types.StringValue(defaultContentType(plan.Key.ValueString()))
	}
	wantETag, known, diags := plannedETag(plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *objectResourceModel
	if !req.State.Raw.IsNull() {
		state = &objectResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	switch {
	case state == nil:
	case known && wantETag != state.ETag.ValueString():
		// New content, or the object was changed outside Terraform.
		plan.ETag, plan.Size, plan.VersionID = types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
	case contentArgsEqual(plan, *state):
		// Nothing that is uploaded changed: keep what the object reports.
		plan.ETag, plan.Size, plan.VersionID = state.ETag, state.Size, state.VersionID
	default:
		plan.ETag, plan.Size, plan.VersionID = types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// contentArgsEqual reports whether nothing that is uploaded differs.
func contentArgsEqual(a, b objectResourceModel) bool {
	return a.Source.Equal(b.Source) && a.Content.Equal(b.Content) && a.ContentBase64.Equal(b.ContentBase64) &&
		a.SourceHash.Equal(b.SourceHash) && a.ContentType.Equal(b.ContentType) && a.CacheControl.Equal(b.CacheControl) &&
		a.ContentDisposition.Equal(b.ContentDisposition)
}

// plannedETag is the MD5 the object will have, when it can be known: not
// for unknown values, nor for a file uploaded in parts.
func plannedETag(m objectResourceModel) (etag string, known bool, diags diag.Diagnostics) {
	sum := md5.New() //nolint:gosec // S3's ETag
	switch {
	case m.Content.IsUnknown() || m.ContentBase64.IsUnknown() || m.Source.IsUnknown():
		return "", false, diags
	case !m.Content.IsNull():
		if len(m.Content.ValueString()) > hostups3.MultipartThreshold {
			return "", false, diags // sent in parts: the ETag is not an MD5
		}
		sum.Write([]byte(m.Content.ValueString()))
	case !m.ContentBase64.IsNull():
		raw, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
		if err != nil || len(raw) > hostups3.MultipartThreshold {
			return "", false, diags // invalid (the validator reports it), or sent in parts
		}
		sum.Write(raw)
	case !m.Source.IsNull():
		f, size, err := openSource(m.Source.ValueString())
		if err != nil {
			diags.AddAttributeError(fwpath.Root("source"), "Unreadable Source File", err.Error())
			return "", false, diags
		}
		defer f.Close()
		if size > hostups3.MultipartThreshold {
			return "", false, diags // a multipart ETag is not an MD5: source_hash decides
		}
		if _, err := io.Copy(sum, f); err != nil {
			diags.AddAttributeError(fwpath.Root("source"), "Unreadable Source File", fmt.Sprintf("Reading %q failed: %s", m.Source.ValueString(), err))
			return "", false, diags
		}
	default:
		return "", false, diags
	}
	return hex.EncodeToString(sum.Sum(nil)), true, diags
}

// openSource opens a source file, with an error that says what to fix.
func openSource(name string) (*os.File, int64, error) {
	f, err := os.Open(name)
	if err != nil {
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, 0, fmt.Errorf("the file %q does not exist. Check source, which is relative to the directory Terraform runs in", name)
		case errors.Is(err, os.ErrPermission):
			return nil, 0, fmt.Errorf("the file %q cannot be read: permission denied. Make it readable by the user running Terraform", name)
		}
		return nil, 0, fmt.Errorf("the file %q cannot be opened: %s", name, err)
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%q is not a regular file. Set source to a file, not a directory", name)
	}
	return f, info.Size(), nil
}

func (r *objectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.upload(ctx, req.Plan, &resp.State)...)
}

func (r *objectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.upload(ctx, req.Plan, &resp.State)...)
}

// upload is Create and Update: the plan's object uploaded, and recorded.
func (r *objectResource) upload(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var m objectResourceModel
	diags := plan.Get(ctx, &m)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.put(ctx, &m)...)
	if diags.HasError() {
		return diags
	}
	diags.Append(state.Set(ctx, &m)...)
	return diags
}

// put uploads what m describes and fills its computed attributes.
func (r *objectResource) put(ctx context.Context, m *objectResourceModel) diag.Diagnostics {
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_object")
	if diags.HasError() {
		return diags
	}
	var (
		body io.Reader
		size int64
	)
	switch {
	case !m.Source.IsNull():
		f, n, err := openSource(m.Source.ValueString())
		if err != nil {
			diags.AddAttributeError(fwpath.Root("source"), "Unreadable Source File", err.Error())
			return diags
		}
		defer f.Close()
		body, size = f, n
	case !m.ContentBase64.IsNull():
		raw, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
		if err != nil {
			diags.AddAttributeError(fwpath.Root("content_base64"), "Invalid Base64 Content", "content_base64 is not valid base64: "+err.Error())
			return diags
		}
		body, size = bytes.NewReader(raw), int64(len(raw))
	default:
		raw := []byte(m.Content.ValueString())
		body, size = bytes.NewReader(raw), int64(len(raw))
	}
	bucket, key := m.Bucket.ValueString(), m.Key.ValueString()
	obj, err := client.Put(ctx, hostups3.PutInput{
		Bucket: bucket, Key: key, Body: body, Size: size,
		ContentType: m.ContentType.ValueString(), CacheControl: m.CacheControl.ValueString(), ContentDisposition: m.ContentDisposition.ValueString(),
	})
	if err != nil {
		diags.Append(r.providerData.apiError(ctx, err, objectOp("upload", bucket, key))...)
		return diags
	}
	m.setObject(obj)
	return diags
}

func (m *objectResourceModel) setObject(o *hostups3.Object) {
	m.ETag = types.StringValue(o.ETag)
	m.Size = types.Int64Value(o.Size)
	m.VersionID = types.StringNull()
	if o.VersionID != "" && o.VersionID != "null" {
		m.VersionID = types.StringValue(o.VersionID)
	}
}

func (r *objectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state objectResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_object")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	bucket, key := state.Bucket.ValueString(), state.Key.ValueString()
	obj, err := client.Head(ctx, bucket, key)
	if errors.Is(err, hostups3.ErrNotFound) {
		resp.Diagnostics.AddWarning("HostUp Object Not Found",
			fmt.Sprintf("Object %s/%s no longer exists (deleted outside Terraform), so it is removed from state; the next apply uploads it again.", bucket, key))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, objectOp("read", bucket, key))...)
		return
	}
	state.setObject(obj)
	if obj.ContentType != "" {
		state.ContentType = types.StringValue(obj.ContentType)
	}
	if !state.CacheControl.IsNull() || obj.CacheControl != "" {
		state.CacheControl = types.StringValue(obj.CacheControl)
	}
	if !state.ContentDisposition.IsNull() || obj.Disposition != "" {
		state.ContentDisposition = types.StringValue(obj.Disposition)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *objectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state objectResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_object")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	bucket, key := state.Bucket.ValueString(), state.Key.ValueString()
	if err := client.Delete(ctx, bucket, key); err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, objectOp("delete", bucket, key))...)
	}
}

// objectOp describes an S3 call on one object for its diagnostics.
func objectOp(verb, bucket, key string) apiOp {
	return apiOp{what: fmt.Sprintf("%s object %s/%s", verb, bucket, key), bucket: bucket, bucketPath: fwpath.Root("bucket")}
}

// ImportState takes "bucket/key".
func (r *objectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	bucket, key, ok := strings.Cut(req.ID, "/")
	if !ok || bucket == "" || key == "" {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not bucket/key. Import an object as its bucket and key joined by a slash, for example deploy-artifacts/releases/app.tar.gz.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("bucket"), bucket)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("key"), key)...)
}
