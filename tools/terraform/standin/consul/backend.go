// SPDX-License-Identifier: MPL-2.0

// Package consul stands in for Terraform's "consul" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package consul

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the consul backend.
func New() backend.Backend { return standin.New("consul") }
