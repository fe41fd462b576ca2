// SPDX-License-Identifier: MPL-2.0

// Package oss stands in for Terraform's "oss" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package oss

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the oss backend.
func New() backend.Backend { return standin.New("oss") }
