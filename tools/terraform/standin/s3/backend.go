// SPDX-License-Identifier: MPL-2.0

// Package s3 stands in for Terraform's "s3" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package s3

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the s3 backend.
func New() backend.Backend { return standin.New("s3") }
