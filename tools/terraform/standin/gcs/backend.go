// SPDX-License-Identifier: MPL-2.0

// Package gcs stands in for Terraform's "gcs" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package gcs

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the gcs backend.
func New() backend.Backend { return standin.New("gcs") }
