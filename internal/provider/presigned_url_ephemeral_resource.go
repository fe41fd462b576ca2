// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure      = (*presignedURLEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithValidateConfig = (*presignedURLEphemeralResource)(nil)
)

// presignedURLEphemeralResource issues a presigned URL each time Terraform
// opens it (at plan and again at apply) and never lets it reach plan or
// state.
type presignedURLEphemeralResource struct {
	providerData *providerData
}

// NewPresignedURLEphemeralResource is the hostup_presigned_url ephemeral
// resource constructor.
func NewPresignedURLEphemeralResource() ephemeral.EphemeralResource {
	return &presignedURLEphemeralResource{}
}

func (r *presignedURLEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_presigned_url"
}

func (r *presignedURLEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues a time-limited presigned URL for one object in HostUp object storage, as an " +
			"ephemeral value: a fresh URL is issued when Terraform opens the resource during plan and again " +
			"during apply, and the URL is never written to the plan or the state. Use it wherever ephemeral " +
			"values are accepted: provisioner and `connection` blocks, provider configuration, write-only " +
			"arguments, ephemeral outputs and locals. Requires Terraform 1.10+ or OpenTofu 1.11+.",
		Attributes: ephemeralAttributes(presignedURLAttributes()),
	}
}

func (r *presignedURLEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	resp.Diagnostics.Append(configure(&r.providerData, req.ProviderData)...)
}

func (r *presignedURLEphemeralResource) ValidateConfig(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	resp.Diagnostics.Append(validatePresignedURLConfig(ctx, req.Config)...)
}

func (r *presignedURLEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	resp.Diagnostics.Append(readPresignedURL(ctx, r.providerData, req.Config, &resp.Result)...)
}
