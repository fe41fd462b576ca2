// SPDX-License-Identifier: MPL-2.0

// Package cos stands in for Terraform's "cos" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package cos

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the cos backend.
func New() backend.Backend { return standin.New("cos") }
