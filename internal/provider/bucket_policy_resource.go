// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

var (
	_ resource.ResourceWithConfigure   = (*bucketPolicyResource)(nil)
	_ resource.ResourceWithImportState = (*bucketPolicyResource)(nil)
)

// bucketPolicyResource manages a bucket's policy.
type bucketPolicyResource struct {
	s3Config[string, bucketPolicyResourceModel]
}

// NewBucketPolicyResource is the hostup_bucket_policy resource constructor.
func NewBucketPolicyResource() resource.Resource {
	return &bucketPolicyResource{policyConfig}
}

// bucketPolicyResourceModel is the value of a hostup_bucket_policy resource.
type bucketPolicyResourceModel struct {
	Bucket types.String         `tfsdk:"bucket"`
	Policy jsontypes.Normalized `tfsdk:"policy"`
}

// policyConfig is the policy's way between S3 and the model, of which every
// hostup_bucket_policy has a copy.
// It is only a template: its providerData stays nil, and only the
// resource's copy, given its own by Configure, makes calls.
var policyConfig = s3Config[string, bucketPolicyResourceModel]{
	block: "hostup_bucket_policy", kind: kindPolicy,
	get: (*hostups3.ObjectClient).BucketPolicy, put: (*hostups3.ObjectClient).PutBucketPolicy, remove: (*hostups3.ObjectClient).DeleteBucketPolicy,
	bucket: func(m *bucketPolicyResourceModel) types.String { return m.Bucket },
	config: func(m *bucketPolicyResourceModel) string { return m.Policy.ValueString() },
	// The framework keeps the state's text when the two are equal as JSON.
	setConfig: func(m *bucketPolicyResourceModel, policy string) { m.Policy = jsontypes.NewNormalizedValue(policy) },
}

func (r *bucketPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_policy"
}

func (r *bucketPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket's policy: the JSON document that grants access to the bucket and its objects, for " +
			"example anonymous reads of one prefix. It is set through HostUp's S3 API and needs an S3 key pair in the " +
			"provider. A policy changed outside Terraform shows as a change; one that the server returns re-serialised " +
			"(other whitespace or key order) but equal does not. Destroying the resource removes the bucket's policy." +
			configImportNote,
		Attributes: map[string]schema.Attribute{
			"bucket": configBucketAttribute(kindPolicy),
			"policy": schema.StringAttribute{
				MarkdownDescription: "The policy, a JSON document such as `jsonencode()` returns, in S3's policy language " +
					"(`Version` `2012-10-17`, `Statement` with `Effect`, `Principal`, `Action` and `Resource`, where " +
					"resources are written `arn:aws:s3:::bucket/key-pattern`). Text that is not JSON is refused at plan time; " +
					"the server checks the policy language when it is applied.",
				Required:   true,
				CustomType: jsontypes.NormalizedType{},
			},
		},
	}
}
