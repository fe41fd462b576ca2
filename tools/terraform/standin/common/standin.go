// SPDX-License-Identifier: MPL-2.0

// Package standin is the state backend every stand-in returns: the type
// stays known to Terraform, but it refuses to be configured or used.
package standin

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
)

// New returns the stand-in for the backend users configure as name.
func New(name string) backend.Backend { return standIn{name: name} }

type standIn struct{ name string }

// ConfigSchema has no arguments, so a block that sets any is refused as it is
// decoded, before PrepareConfig.
func (standIn) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (s standIn) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) { return v, s.notBuilt() }

func (s standIn) Configure(cty.Value) tfdiags.Diagnostics { return s.notBuilt() }

func (s standIn) StateMgr(string) (statemgr.Full, tfdiags.Diagnostics) { return nil, s.notBuilt() }

func (s standIn) DeleteWorkspace(string, bool) tfdiags.Diagnostics { return s.notBuilt() }

func (s standIn) Workspaces() ([]string, tfdiags.Diagnostics) { return nil, s.notBuilt() }

func (s standIn) notBuilt() tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(tfdiags.Sourceless(tfdiags.Error,
		"State backend \""+s.name+"\" not available",
		"the "+s.name+" state backend is not built into this binary (the project's test build of Terraform)"))
}
