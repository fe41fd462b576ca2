// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var (
	_ resource.ResourceWithConfigure      = (*bucketLifecycleResource)(nil)
	_ resource.ResourceWithImportState    = (*bucketLifecycleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*bucketLifecycleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*bucketLifecycleResource)(nil)
)

// bucketLifecycleResource manages a bucket's whole lifecycle configuration.
type bucketLifecycleResource struct {
	s3Config[[]hostups3.LifecycleRule, bucketLifecycleResourceModel]
}

// NewBucketLifecycleResource is the hostup_bucket_lifecycle resource
// constructor.
func NewBucketLifecycleResource() resource.Resource {
	return &bucketLifecycleResource{lifecycleConfig}
}

// bucketLifecycleResourceModel is the value of a hostup_bucket_lifecycle
// resource.
type bucketLifecycleResourceModel struct {
	Bucket types.String               `tfsdk:"bucket"`
	Rules  []bucketLifecycleRuleModel `tfsdk:"rule"`
}

// lifecycleConfig is the lifecycle configuration's way between S3 and the
// model, of which every hostup_bucket_lifecycle has a copy.
// It is only a template: its providerData stays nil, and only the
// resource's copy, given its own by Configure, makes calls.
var lifecycleConfig = s3Config[[]hostups3.LifecycleRule, bucketLifecycleResourceModel]{
	block: "hostup_bucket_lifecycle", kind: kindLifecycle,
	get: (*hostups3.ObjectClient).BucketLifecycle, put: (*hostups3.ObjectClient).PutBucketLifecycle, remove: (*hostups3.ObjectClient).DeleteBucketLifecycle,
	bucket:    func(m *bucketLifecycleResourceModel) types.String { return m.Bucket },
	config:    (*bucketLifecycleResourceModel).rules,
	setConfig: (*bucketLifecycleResourceModel).setRules,
}

// bucketLifecycleRuleModel is one rule block.
type bucketLifecycleRuleModel struct {
	ID                                 types.String                    `tfsdk:"id"`
	Enabled                            types.Bool                      `tfsdk:"enabled"`
	Prefix                             types.String                    `tfsdk:"prefix"`
	Expiration                         *bucketLifecycleExpirationModel `tfsdk:"expiration"`
	NoncurrentVersionExpirationDays    types.Int64                     `tfsdk:"noncurrent_version_expiration_days"`
	AbortIncompleteMultipartUploadDays types.Int64                     `tfsdk:"abort_incomplete_multipart_upload_days"`
}

// bucketLifecycleExpirationModel is a rule's expiration block.
type bucketLifecycleExpirationModel struct {
	Days types.Int64  `tfsdk:"days"`
	Date types.String `tfsdk:"date"`
}

// lifecycleDateLayout is how an expiration date is written: a day, which S3
// takes as midnight UTC.
const lifecycleDateLayout = "2006-01-02"

// rules are the model's rules as the S3 client takes them.
func (m *bucketLifecycleResourceModel) rules() []hostups3.LifecycleRule {
	out := make([]hostups3.LifecycleRule, 0, len(m.Rules))
	for _, r := range m.Rules {
		rule := hostups3.LifecycleRule{
			ID:                                 r.ID.ValueString(),
			Enabled:                            r.Enabled.IsNull() || r.Enabled.ValueBool(),
			Prefix:                             r.Prefix.ValueString(),
			NoncurrentVersionExpirationDays:    int32(r.NoncurrentVersionExpirationDays.ValueInt64()),    //nolint:gosec // bounded by the validator
			AbortIncompleteMultipartUploadDays: int32(r.AbortIncompleteMultipartUploadDays.ValueInt64()), //nolint:gosec // bounded by the validator
		}
		if e := r.Expiration; e != nil {
			rule.ExpirationDays = int32(e.Days.ValueInt64()) //nolint:gosec // bounded by the validator
			if d, err := time.Parse(lifecycleDateLayout, e.Date.ValueString()); err == nil {
				rule.ExpirationDate = d
			}
		}
		out = append(out, rule)
	}
	return out
}

// setRules records the rules S3 holds. Their order is the server's (Ceph
// RGW keeps rules sorted by ID), which is why rule is a set; a rule for the
// whole bucket reads back with prefix "", whichever form the server answers
// in.
func (m *bucketLifecycleResourceModel) setRules(rules []hostups3.LifecycleRule) {
	m.Rules = make([]bucketLifecycleRuleModel, 0, len(rules))
	for _, r := range rules {
		rule := bucketLifecycleRuleModel{
			ID:                                 types.StringValue(r.ID),
			Enabled:                            types.BoolValue(r.Enabled),
			Prefix:                             types.StringValue(r.Prefix),
			NoncurrentVersionExpirationDays:    int64OrNull(r.NoncurrentVersionExpirationDays),
			AbortIncompleteMultipartUploadDays: int64OrNull(r.AbortIncompleteMultipartUploadDays),
		}
		switch {
		case r.ExpirationDays > 0:
			rule.Expiration = &bucketLifecycleExpirationModel{Days: types.Int64Value(int64(r.ExpirationDays)), Date: types.StringNull()}
		case !r.ExpirationDate.IsZero():
			rule.Expiration = &bucketLifecycleExpirationModel{Days: types.Int64Null(), Date: types.StringValue(r.ExpirationDate.UTC().Format(lifecycleDateLayout))}
		}
		m.Rules = append(m.Rules, rule)
	}
}

func (r *bucketLifecycleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_lifecycle"
}

func (r *bucketLifecycleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	days := func(what string) schema.Int64Attribute {
		return schema.Int64Attribute{
			MarkdownDescription: what,
			Optional:            true,
			Validators: []validator.Int64{
				int64validator.Between(1, 2147483647),
			},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket's whole lifecycle configuration: rules that expire objects, versions that are no longer " +
			"current, and multipart uploads never completed. It is set through HostUp's S3 API and needs an S3 key pair in " +
			"the provider. The server applies rules about once a day. The resource owns every rule of the bucket: rules " +
			"changed outside Terraform show as changes, and destroying it removes the bucket's lifecycle configuration." +
			configImportNote,
		Attributes: map[string]schema.Attribute{
			"bucket": configBucketAttribute(kindLifecycle),
		},
		Blocks: map[string]schema.Block{
			"rule": schema.SetNestedBlock{
				MarkdownDescription: "A lifecycle rule; at least one. Each needs at least one action: `expiration`, " +
					"`noncurrent_version_expiration_days` or `abort_incomplete_multipart_upload_days`. Rules are a set: " +
					"their order means nothing to the server, which answers them sorted by `id`.",
				Validators: []validator.Set{
					setvalidator.IsRequired(),
					setvalidator.SizeAtLeast(1),
				},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "The rule's name, unique within the bucket, up to 255 characters.",
							Required:            true,
							Validators: []validator.String{
								stringvalidator.LengthBetween(1, 255),
							},
						},
						"enabled": schema.BoolAttribute{
							MarkdownDescription: "Whether the server applies the rule. Defaults to `true`.",
							Optional:            true,
							Computed:            true,
						},
						"prefix": schema.StringAttribute{
							MarkdownDescription: "The rule applies to objects whose keys start with this, such as `tmp/`. " +
								"Defaults to `\"\"`, the whole bucket.",
							Optional: true,
							Computed: true,
						},
						"noncurrent_version_expiration_days": days("On a versioned bucket, delete a version this many days " +
							"after a newer one replaced it. Unset keeps old versions."),
						"abort_incomplete_multipart_upload_days": days("Abort a multipart upload this many days after it " +
							"started if it has not completed, deleting the parts uploaded. Unset keeps them."),
					},
					Blocks: map[string]schema.Block{
						"expiration": schema.SingleNestedBlock{
							MarkdownDescription: "Expire current objects, by age or on a date: exactly one of `days` and `date`. " +
								"On a versioned bucket expiring an object adds a delete marker and keeps the object as an old " +
								"version.",
							Attributes: map[string]schema.Attribute{
								"days": schema.Int64Attribute{
									MarkdownDescription: "Expire an object this many days after it was written.",
									Optional:            true,
									Validators: []validator.Int64{
										int64validator.Between(1, 2147483647),
									},
								},
								"date": schema.StringAttribute{
									MarkdownDescription: "Expire every object on this day, written `YYYY-MM-DD` (for example " +
										"`2030-01-31`), at midnight UTC.",
									Optional: true,
									Validators: []validator.String{
										lifecycleDateValidator(),
									},
								},
							},
						},
					},
				},
			},
		},
	}
}

// lifecycleDateValidator checks an expiration date is a day, YYYY-MM-DD.
func lifecycleDateValidator() validator.String {
	return stringCheck{
		description: "value must be a date written YYYY-MM-DD",
		summary:     "Invalid Expiration Date",
		problem: func(value string) string {
			if _, err := time.Parse(lifecycleDateLayout, value); err != nil {
				return fmt.Sprintf("The expiration date %q is not a day written YYYY-MM-DD, such as 2030-01-31. S3 expires objects "+
					"at midnight UTC of the day named.", value)
			}
			return ""
		},
	}
}

// ValidateConfig refuses, at plan time, a rule with no action, an
// expiration with neither or both of days and date, and two rules of one
// ID. Values not known yet are left for the server to check.
func (r *bucketLifecycleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var rules types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rule"), &rules)...)
	if resp.Diagnostics.HasError() || rules.IsNull() || rules.IsUnknown() {
		return
	}
	seen := map[string]bool{}
	for _, elem := range rules.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		at := path.Root("rule").AtSetValue(obj)
		attrs := obj.Attributes()
		if id, ok := attrs["id"].(types.String); ok && !id.IsNull() && !id.IsUnknown() {
			if seen[id.ValueString()] {
				resp.Diagnostics.AddAttributeError(at.AtName("id"), "Duplicate Lifecycle Rule ID",
					fmt.Sprintf("More than one rule has the id %q; each rule of a bucket needs its own id.", id.ValueString()))
			}
			seen[id.ValueString()] = true
		}
		if exp, ok := attrs["expiration"].(types.Object); ok && !exp.IsNull() && !exp.IsUnknown() {
			set, known := 0, true
			for _, v := range exp.Attributes() {
				known = known && !v.IsUnknown()
				if !v.IsNull() {
					set++
				}
			}
			if known && set != 1 {
				resp.Diagnostics.AddAttributeError(at.AtName("expiration"), "Invalid Lifecycle Expiration",
					fmt.Sprintf("The expiration of the rule with %s needs exactly one of days (an age) and date (a day), not %d.",
						ruleName(attrs["id"]), set))
			}
		}
		acts, known := false, true
		for _, name := range []string{"expiration", "noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days"} {
			v, ok := attrs[name]
			switch {
			case !ok:
			case v.IsUnknown():
				known = false
			case !v.IsNull():
				acts = true
			}
		}
		if known && !acts {
			resp.Diagnostics.AddAttributeError(at, "Lifecycle Rule Without an Action",
				fmt.Sprintf("The rule with %s does nothing: give it at least one of an expiration block, "+
					"noncurrent_version_expiration_days and abort_incomplete_multipart_upload_days. S3 servers refuse a rule "+
					"without an action.", ruleName(attrs["id"])))
		}
	}
}

// ruleName is a rule's id for a diagnostic.
func ruleName(v attr.Value) string {
	if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
		return fmt.Sprintf("id %q", s.ValueString())
	}
	return "id not known yet"
}

// ModifyPlan gives a rule's enabled and prefix their defaults (true, "")
// where the configuration leaves them out. Schema defaults would do it, but
// the framework loses values of a set element whose other attributes a
// default changed; rules are matched to the configuration by their id,
// which is required and unique.
func (r *bucketLifecycleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var config, plan []bucketLifecycleRuleModel
	if d := req.Config.GetAttribute(ctx, path.Root("rule"), &config); d.HasError() {
		return // not known yet
	}
	if d := req.Plan.GetAttribute(ctx, path.Root("rule"), &plan); d.HasError() {
		return
	}
	unset := map[string]bucketLifecycleRuleModel{}
	for _, c := range config {
		if !c.ID.IsUnknown() {
			unset[c.ID.ValueString()] = c
		}
	}
	for i, p := range plan {
		c, ok := unset[p.ID.ValueString()]
		if !ok || p.ID.IsUnknown() {
			continue
		}
		if c.Enabled.IsNull() {
			plan[i].Enabled = types.BoolValue(true)
		}
		if c.Prefix.IsNull() {
			plan[i].Prefix = types.StringValue("")
		}
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("rule"), plan)...)
}
