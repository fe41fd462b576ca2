// SPDX-License-Identifier: MPL-2.0

// Package kubernetes stands in for Terraform's "kubernetes" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package kubernetes

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the kubernetes backend.
func New() backend.Backend { return standin.New("kubernetes") }
