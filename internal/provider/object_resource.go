// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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
	_ resource.ResourceWithValidateConfig   = (*objectResource)(nil)
	_ resource.ResourceWithIdentity         = (*objectResource)(nil)
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
	ID                 types.String `tfsdk:"id"`
	Bucket             types.String `tfsdk:"bucket"`
	Key                types.String `tfsdk:"key"`
	Source             types.String `tfsdk:"source"`
	Content            types.String `tfsdk:"content"`
	ContentBase64      types.String `tfsdk:"content_base64"`
	ContentWO          types.String `tfsdk:"content_wo"`
	ContentWOVersion   types.Int64  `tfsdk:"content_wo_version"`
	SourceHash         types.String `tfsdk:"source_hash"`
	ContentType        types.String `tfsdk:"content_type"`
	CacheControl       types.String `tfsdk:"cache_control"`
	ContentDisposition types.String `tfsdk:"content_disposition"`
	ContentEncoding    types.String `tfsdk:"content_encoding"`
	ContentLanguage    types.String `tfsdk:"content_language"`
	Metadata           types.Map    `tfsdk:"metadata"`
	Tags               types.Map    `tfsdk:"tags"`
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
			"100 MiB. The ETag the object will have is computed at plan time from the content (S3's MD5, or its multipart form " +
			"above 100 MiB), so a change of the bytes, or of the object outside Terraform, plans an update with the new `etag`. " +
			"A `source` known at plan time must name a file that exists then; one known only at apply is read at apply. " +
			"After `terraform import`, a configuration whose content matches the object plans only to record `source` (no upload); " +
			"with none of `source`, `content` and `content_base64` (as `-generate-config-out` writes), the object's bytes are left as they are. " +
			"Destroy deletes the object; on a bucket that keeps versions, earlier versions stay. Import as `bucket/key`, or with " +
			"an `import` block by identity, `{ bucket = \"...\", key = \"...\" }` (Terraform 1.12+). `terraform query` lists a " +
			"bucket's objects under a prefix with the `hostup_object` list resource (Terraform 1.14+; OpenTofu has no list " +
			"resources yet), and `-generate-config-out` writes a configuration that imports them without uploading anything.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`bucket/key`, the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bucket": schema.StringAttribute{
				MarkdownDescription: descBucketName + " Changing it replaces the object.",
				Required:            true,
				Validators:          bucketValidators(),
				PlanModifiers:       replace,
			},
			"key": schema.StringAttribute{
				MarkdownDescription: "Object key inside the bucket: 1 to 1024 bytes of UTF-8, not starting with `/` " +
					"(S3 would keep the slash as part of the key). Changing it replaces the object.",
				Required:      true,
				Validators:    append(keyValidators(), keyLeadingSlashValidator()),
				PlanModifiers: replace,
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Path of a local file to upload. At most one of `source`, `content` " +
					"and `content_base64`, and one of them to create an object. A change of the file's contents plans an update, " +
					"whatever its size (the file is read at plan time to compute its ETag). The plan records that ETag, so a file " +
					"that changes between plan and apply (built by another resource in the same apply) fails the apply: build it " +
					"before planning, or take its path from that resource's output, which leaves the ETag unknown until apply.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "The object's content, as UTF-8 text. At most one of `source`, `content` and `content_base64`.",
				Optional:            true,
			},
			"content_base64": schema.StringAttribute{
				MarkdownDescription: "The object's content, base64-encoded, for binary data. At most one of `source`, `content` and `content_base64`.",
				Optional:            true,
				Validators:          []validator.String{base64Validator()},
			},
			"content_wo": schema.StringAttribute{
				MarkdownDescription: "The object's content, as UTF-8 text, write-only: sent to HostUp's S3 side and never stored in " +
					"the plan or the state, for files that are secrets (an `.env` for an instance, a TLS key). Needs Terraform 1.11+ " +
					"or OpenTofu 1.11+. Terraform cannot compare a write-only value with what was uploaded, so set " +
					"`content_wo_version` and change it to upload new content. The object's `etag` (its MD5) and `size` are in state, " +
					"like every object's. At most one of `source`, `content`, `content_base64` and `content_wo`.",
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
			},
			"content_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number, stored in state: a change uploads `content_wo` again. Set with `content_wo`.",
				Optional:            true,
			},
			"source_hash": schema.StringAttribute{
				MarkdownDescription: "Any value whose change should plan an update, such as a " +
					"version string. Not needed to notice a changed file: its ETag is computed at plan time.",
				Optional: true,
			},
			"content_type": schema.StringAttribute{
				MarkdownDescription: "The object's media type. Defaults to the type of the key's " +
					"extension from the provider's own table, the same on every machine (`.tar.gz` is `application/gzip`, `.json` " +
					"`application/json`, `.yaml` `application/yaml`, `.md` `text/markdown; charset=utf-8`), else `application/octet-stream`.",
				Optional:   true,
				Computed:   true,
				Validators: contentTypeValidators(),
			},
			"cache_control": schema.StringAttribute{
				MarkdownDescription: "`Cache-Control` stored with the object and sent with every download.",
				Optional:            true,
				Validators:          headerValueValidators(),
			},
			"content_disposition": schema.StringAttribute{
				MarkdownDescription: "`Content-Disposition` stored with the object, for example `attachment; filename=\"app.tar.gz\"`.",
				Optional:            true,
				Validators:          headerValueValidators(),
			},
			"content_encoding": schema.StringAttribute{
				MarkdownDescription: "`Content-Encoding` stored with the object, for example `gzip` for a pre-compressed static asset " +
					"(upload the compressed bytes; browsers decompress them).",
				Optional:   true,
				Validators: headerValueValidators(),
			},
			"content_language": schema.StringAttribute{
				MarkdownDescription: "`Content-Language` stored with the object, for example `sv-SE`.",
				Optional:            true,
				Validators:          headerValueValidators(),
			},
			"metadata": schema.MapAttribute{
				MarkdownDescription: "User metadata stored with the object as `x-amz-meta-*` headers. Keys in lower case (S3 servers " +
					"lower-case them), letters, digits, `-`, `_` and `.`. A change uploads the object again, since metadata is stored with " +
					"its bytes; a change made outside Terraform plans an update.",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Map{
					mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(stringvalidator.RegexMatches(metadataKeyPattern,
						"must be lower case: letters, digits, '-', '_' and '.' (S3 servers lower-case metadata keys)")),
					mapvalidator.ValueStringsAre(headerValueValidator()),
				},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "The object's tag set: up to 10 tags, keys of 1 to 128 characters, values up to 256. Changing " +
					"only the tags updates them in place, without uploading the object again; tags changed outside Terraform plan an " +
					"update (read back with one more request per refresh, only when `tags` is set).",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Map{
					mapvalidator.SizeBetween(1, 10),
					mapvalidator.KeysAre(stringvalidator.LengthBetween(1, 128)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(256)),
				},
			},
			"etag": schema.StringAttribute{
				MarkdownDescription: "The object's ETag, without quotes: the MD5 of its bytes for an object " +
					"stored in one part (up to 100 MiB), else `hex(MD5(MD5(part 1) || ... || MD5(part N)))-N` for the provider's parts " +
					"(5 MiB, more above 48 GiB). Known at plan time when the content is.",
				Computed: true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "The object's size in bytes.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"version_id": schema.StringAttribute{
				MarkdownDescription: "The object's version ID, when the bucket keeps versions; null otherwise.",
				Computed:            true,
			},
		},
	}
}

// objectIdentity is an object's resource identity (Terraform 1.12+).
type objectIdentity struct {
	Bucket types.String `tfsdk:"bucket"`
	Key    types.String `tfsdk:"key"`
}

func (r *objectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"bucket": identityschema.StringAttribute{
				Description:       "The bucket the object is in.",
				RequiredForImport: true,
			},
			"key": identityschema.StringAttribute{
				Description:       "The object's key.",
				RequiredForImport: true,
			},
		},
	}
}

// setObjectIdentity records the object's identity, where the CLI keeps one.
func setObjectIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m objectResourceModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, objectIdentity{Bucket: m.Bucket, Key: m.Key})
}

func (r *objectResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(fwpath.MatchRoot("source"), fwpath.MatchRoot("content"), fwpath.MatchRoot("content_base64"), fwpath.MatchRoot("content_wo")),
		resourcevalidator.RequiredTogether(fwpath.MatchRoot("content_wo"), fwpath.MatchRoot("content_wo_version")),
	}
}

// ValidateConfig says which CLI write-only content needs, before the CLI
// would silently store what it cannot keep out of state.
func (r *objectResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var wo types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, fwpath.Root("content_wo"), &wo)...)
	if !wo.IsNull() && !req.ClientCapabilities.WriteOnlyAttributesAllowed {
		resp.Diagnostics.AddAttributeError(fwpath.Root("content_wo"), "Write-Only Content Needs a Newer CLI",
			"content_wo is write-only: the provider receives it but neither the plan nor the state keeps it. That needs "+
				"Terraform 1.11 or later, or OpenTofu 1.11 or later, and this CLI does not offer write-only arguments. Upgrade "+
				"the CLI, or use content, which is stored in the state (marked sensitive).")
	}
}

func (r *objectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&r.providerData, req.ProviderData)...)
}

// ModifyPlan checks at plan time what can be: the key pair, the file, and
// whether the stored object has the content's ETag; it plans that ETag and
// size. It also fills the default content type and the ID.
func (r *objectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.providerData == nil {
		return // destroy, or validation before Configure
	}
	client, diags := r.providerData.objectClient("hostup_object")
	if diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	var plan objectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Bucket.IsUnknown() && !plan.Key.IsUnknown() {
		plan.ID = types.StringValue(plan.Bucket.ValueString() + "/" + plan.Key.ValueString())
	}
	// The default applies only when the configuration leaves content_type
	// out; a value unknown until apply stays unknown.
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, fwpath.Root("content_type"), &configured)...)
	if configured.IsNull() && plan.ContentType.IsUnknown() && !plan.Key.IsUnknown() {
		plan.ContentType = types.StringValue(defaultContentType(plan.Key.ValueString()))
	}
	var state *objectResourceModel
	if !req.State.Raw.IsNull() {
		state = &objectResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	var wo types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, fwpath.Root("content_wo"), &wo)...)
	if !wo.IsNull() {
		// Write-only content cannot be compared with the object: only a new
		// content_wo_version, or new headers, upload it again.
		if state != nil && plan.ContentWOVersion.Equal(state.ContentWOVersion) && plan.SourceHash.Equal(state.SourceHash) && metadataEqual(plan, *state) {
			plan.ETag, plan.Size, plan.VersionID = state.ETag, state.Size, state.VersionID
		} else {
			plan.ETag, plan.Size, plan.VersionID = types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	if !plan.hasContent() && wo.IsNull() {
		// No content: nothing to upload. Allowed only for an object that
		// exists (imported), whose bytes are then left as they are, and
		// whose type, unless configured, stays what the object has.
		if state != nil && configured.IsNull() {
			plan.ContentType = state.ContentType
		}
		if state == nil {
			resp.Diagnostics.AddAttributeError(fwpath.Root("source"), "Missing Object Content",
				"A new hostup_object needs its content: set one of source (a file), content (text), content_base64 (binary) or "+
					"content_wo (write-only text).")
			return
		}
		if !metadataEqual(plan, *state) {
			resp.Diagnostics.AddAttributeError(fwpath.Root("source"), "Object Content Needed to Change Its Headers",
				"content_type, cache_control and content_disposition are stored with the object's bytes, so changing them uploads "+
					"the object again: set one of source, content or content_base64 to the object's content.")
			return
		}
		plan.ETag, plan.Size, plan.VersionID = state.ETag, state.Size, state.VersionID
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	want, diags := plannedContent(plan, client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case state != nil && want.known && want.etag == state.ETag.ValueString() && metadataEqual(plan, *state) &&
		plan.SourceHash.Equal(state.SourceHash):
		// The object already has these bytes and headers: no upload, so the
		// version stays (a changed source path, or state after import).
		plan.ETag, plan.Size, plan.VersionID = state.ETag, state.Size, state.VersionID
	case want.known:
		plan.ETag, plan.Size, plan.VersionID = types.StringValue(want.etag), types.Int64Value(want.size), types.StringUnknown()
	default:
		plan.ETag, plan.Size, plan.VersionID = types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// hasContent reports whether m sets source, content or content_base64.
func (m objectResourceModel) hasContent() bool {
	return !m.Source.IsNull() || !m.Content.IsNull() || !m.ContentBase64.IsNull()
}

// metadataEqual reports whether the headers stored with the object agree.
func metadataEqual(a, b objectResourceModel) bool {
	return a.ContentType.Equal(b.ContentType) && a.CacheControl.Equal(b.CacheControl) && a.ContentDisposition.Equal(b.ContentDisposition) &&
		a.ContentEncoding.Equal(b.ContentEncoding) && a.ContentLanguage.Equal(b.ContentLanguage) && a.Metadata.Equal(b.Metadata)
}

// metadataKeyPattern is what a metadata key may be: S3 servers lower-case
// keys, so an upper-case one would plan an update on every run.
var metadataKeyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// stringMap is a map attribute's elements, nil when null or unknown.
func stringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return nil, nil
	}
	out := map[string]string{}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// mapOrNull is a map attribute from what S3 reports: null when it reports
// nothing and the configuration sets nothing.
func mapOrNull(prior types.Map, got map[string]string) types.Map {
	if prior.IsNull() && len(got) == 0 {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]attr.Value, len(got))
	for k, v := range got {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// planned is what the object will be, when it can be known at plan time.
type planned struct {
	known bool
	etag  string
	size  int64
}

// plannedContent is the ETag and size the object will have, computed as
// Put will send it: not known for values unknown until apply.
func plannedContent(m objectResourceModel, client *hostups3.ObjectClient) (planned, diag.Diagnostics) {
	var (
		diags diag.Diagnostics
		body  io.Reader
		size  int64
	)
	switch {
	case m.Content.IsUnknown() || m.ContentBase64.IsUnknown() || m.Source.IsUnknown():
		return planned{}, diags
	case !m.Content.IsNull():
		body, size = strings.NewReader(m.Content.ValueString()), int64(len(m.Content.ValueString()))
	case !m.ContentBase64.IsNull():
		raw, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
		if err != nil {
			return planned{}, diags // the validator reports it
		}
		body, size = bytes.NewReader(raw), int64(len(raw))
	case !m.Source.IsNull():
		f, n, err := openSource(m.Source.ValueString())
		if err != nil {
			diags.AddAttributeError(fwpath.Root("source"), "Unreadable Source File", err.Error())
			return planned{}, diags
		}
		defer f.Close()
		body, size = f, n
	default:
		return planned{}, diags
	}
	etag, err := client.ETag(body, size)
	if err != nil {
		diags.AddAttributeError(fwpath.Root("source"), "Unreadable Source File", fmt.Sprintf("Reading %q failed: %s", m.Source.ValueString(), err))
		return planned{}, diags
	}
	return planned{known: true, etag: etag, size: size}, diags
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
	resp.Diagnostics.Append(r.upload(ctx, req.Plan, req.Config, &resp.State, resp.Identity)...)
}

func (r *objectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state objectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The plan kept the object's ETag and version: it already has these bytes
	// and headers (or the configuration sets no content), so nothing is sent.
	if !plan.VersionID.IsUnknown() && plan.ETag.Equal(state.ETag) {
		if !plan.Tags.Equal(state.Tags) {
			resp.Diagnostics.Append(r.setTags(ctx, plan)...)
			if resp.Diagnostics.HasError() {
				return
			}
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		resp.Diagnostics.Append(setObjectIdentity(ctx, resp.Identity, plan)...)
		return
	}
	resp.Diagnostics.Append(r.upload(ctx, req.Plan, req.Config, &resp.State, resp.Identity)...)
}

// upload is Create and Update: the plan's object uploaded, and recorded.
// Write-only content is only in the configuration.
func (r *objectResource) upload(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	var m objectResourceModel
	diags := plan.Get(ctx, &m)
	diags.Append(config.GetAttribute(ctx, fwpath.Root("content_wo"), &m.ContentWO)...)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.put(ctx, &m)...)
	if diags.HasError() {
		return diags
	}
	m.ContentWO = types.StringNull() // never stored
	diags.Append(state.Set(ctx, &m)...)
	diags.Append(setObjectIdentity(ctx, identity, m)...)
	return diags
}

// put uploads what m describes and fills its computed attributes.
func (r *objectResource) put(ctx context.Context, m *objectResourceModel) diag.Diagnostics {
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_object")
	if diags.HasError() {
		return diags
	}
	meta, d := stringMap(ctx, m.Metadata)
	diags.Append(d...)
	tags, d := stringMap(ctx, m.Tags)
	diags.Append(d...)
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
	case !m.ContentWO.IsNull():
		raw := []byte(m.ContentWO.ValueString())
		body, size = bytes.NewReader(raw), int64(len(raw))
	default:
		raw := []byte(m.Content.ValueString())
		body, size = bytes.NewReader(raw), int64(len(raw))
	}
	bucket, key := m.Bucket.ValueString(), m.Key.ValueString()
	obj, err := client.Put(ctx, hostups3.PutInput{
		Bucket: bucket, Key: key, Body: body, Size: size,
		ContentType: m.ContentType.ValueString(), CacheControl: m.CacheControl.ValueString(), ContentDisposition: m.ContentDisposition.ValueString(),
		ContentEncoding: m.ContentEncoding.ValueString(), ContentLanguage: m.ContentLanguage.ValueString(), Metadata: meta, Tags: tags,
	})
	if err != nil {
		diags.Append(r.providerData.apiError(ctx, err, objectOp("upload", bucket, key))...)
		return diags
	}
	m.setObject(obj)
	return diags
}

// fromHead fills m from what a HEAD of the object says: what setObject
// does, and the headers stored with it (a header the configuration leaves
// out stays null while the object has none).
func (m *objectResourceModel) fromHead(o *hostups3.Object) {
	m.setObject(o)
	if o.ContentType != "" {
		m.ContentType = types.StringValue(o.ContentType)
	}
	if !m.CacheControl.IsNull() || o.CacheControl != "" {
		m.CacheControl = types.StringValue(o.CacheControl)
	}
	if !m.ContentDisposition.IsNull() || o.Disposition != "" {
		m.ContentDisposition = types.StringValue(o.Disposition)
	}
	if !m.ContentEncoding.IsNull() || o.Encoding != "" {
		m.ContentEncoding = types.StringValue(o.Encoding)
	}
	if !m.ContentLanguage.IsNull() || o.Language != "" {
		m.ContentLanguage = types.StringValue(o.Language)
	}
	m.Metadata = mapOrNull(m.Metadata, o.Metadata)
}

func (m *objectResourceModel) setObject(o *hostups3.Object) {
	m.ID = types.StringValue(m.Bucket.ValueString() + "/" + m.Key.ValueString())
	m.ETag = types.StringValue(o.ETag)
	m.Size = types.Int64Value(o.Size)
	m.VersionID = types.StringNull()
	if o.VersionID != "" && o.VersionID != "null" {
		m.VersionID = types.StringValue(o.VersionID)
	}
}

func (r *objectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, client, state, ok := modelAndClient[objectResourceModel](ctx, req.State, r.providerData.s3Call, "hostup_object", &resp.Diagnostics)
	if !ok {
		return
	}
	bucket, key := state.Bucket.ValueString(), state.Key.ValueString()
	obj, err := client.Head(ctx, bucket, key)
	if errors.Is(err, hostups3.ErrNotFound) {
		resp.Diagnostics.AddWarning("HostUp Object Not Found",
			fmt.Sprintf("Object %s/%s no longer exists (deleted outside Terraform), so it is removed from state; the next apply uploads it again.", bucket, key))
		resp.State.RemoveResource(ctx)
		// The framework wants an identity after every read, even this one.
		resp.Diagnostics.Append(setObjectIdentity(ctx, resp.Identity, state)...)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, objectOp("read", bucket, key))...)
		return
	}
	state.fromHead(obj)
	if !state.Tags.IsNull() {
		tags, err := client.Tags(ctx, bucket, key)
		if err != nil {
			resp.Diagnostics.Append(r.providerData.apiError(ctx, err, objectOp("read the tags of", bucket, key))...)
			return
		}
		state.Tags = mapOrNull(state.Tags, tags)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setObjectIdentity(ctx, resp.Identity, state)...)
}

func (r *objectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, client, state, ok := modelAndClient[objectResourceModel](ctx, req.State, r.providerData.s3Call, "hostup_object", &resp.Diagnostics)
	if !ok {
		return
	}
	bucket, key := state.Bucket.ValueString(), state.Key.ValueString()
	if err := client.Delete(ctx, bucket, key); err != nil {
		resp.Diagnostics.Append(r.providerData.apiError(ctx, err, objectOp("delete", bucket, key))...)
	}
}

// setTags replaces the object's tag set with the plan's, without uploading
// it again.
func (r *objectResource) setTags(ctx context.Context, plan objectResourceModel) diag.Diagnostics {
	ctx, client, diags := r.providerData.s3Call(ctx, "hostup_object")
	tags, d := stringMap(ctx, plan.Tags)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	bucket, key := plan.Bucket.ValueString(), plan.Key.ValueString()
	if err := client.SetTags(ctx, bucket, key, tags); err != nil {
		diags.Append(r.providerData.apiError(ctx, err, objectOp("tag", bucket, key))...)
	}
	return diags
}

// objectOp describes an S3 call on one object for its diagnostics.
func objectOp(verb, bucket, key string) apiOp {
	return apiOp{what: fmt.Sprintf("%s object %s/%s", verb, bucket, key), bucket: bucket, bucketPath: fwpath.Root("bucket")}
}

// ImportState takes "bucket/key", or the identity's bucket and key.
func (r *objectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		var id objectIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("bucket"), id.Bucket)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("key"), id.Key)...)
		return
	}
	bucket, key, ok := strings.Cut(req.ID, "/")
	if !ok || bucket == "" || key == "" {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not bucket/key. Import an object as its bucket and key joined by a slash, for example deploy-artifacts/releases/app.tar.gz.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("bucket"), bucket)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, fwpath.Root("key"), key)...)
}
