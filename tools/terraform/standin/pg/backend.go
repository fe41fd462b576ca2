// SPDX-License-Identifier: MPL-2.0

// Package pg stands in for Terraform's "pg" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package pg

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the pg backend.
func New() backend.Backend { return standin.New("pg") }
