// SPDX-License-Identifier: MPL-2.0

// Package azure stands in for Terraform's "azurerm" state backend: the type stays
// known to Terraform, but it refuses to be configured or used.
package azure

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
)

// New returns the stand-in for the azurerm backend.
func New() backend.Backend { return standIn{} }

type standIn struct{}

// ConfigSchema has no arguments, so a block that sets any is refused as it is
// decoded, before PrepareConfig.
func (standIn) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (standIn) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) { return v, notBuilt() }

func (standIn) Configure(cty.Value) tfdiags.Diagnostics { return notBuilt() }

func (standIn) StateMgr(string) (statemgr.Full, tfdiags.Diagnostics) { return nil, notBuilt() }

func (standIn) DeleteWorkspace(string, bool) tfdiags.Diagnostics { return notBuilt() }

func (standIn) Workspaces() ([]string, tfdiags.Diagnostics) { return nil, notBuilt() }

func notBuilt() tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(tfdiags.Sourceless(tfdiags.Error,
		"State backend \"azurerm\" not available",
		"the azurerm state backend is not built into this binary (the project's test build of Terraform)"))
}
