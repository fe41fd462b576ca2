// SPDX-License-Identifier: MPL-2.0

// Package azure stands in for Terraform's "azurerm" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package azure

import (
	"github.com/hashicorp/terraform/internal/backend"
	standin "github.com/hashicorp/terraform/internal/backend/remote-state/standin"
)

// New returns the stand-in for the azurerm backend.
func New() backend.Backend { return standin.New("azurerm") }
