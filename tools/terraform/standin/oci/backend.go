// SPDX-License-Identifier: MPL-2.0

// Package oci stands in for Terraform's "oci" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package oci

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the oci backend.
func New() backend.Backend { return standin.New("oci") }
