// What every stand-in under ../ shares: one backend that refuses to be
// configured, by name; see ../../go.mod.
module github.com/hashicorp/terraform/internal/backend/remote-state/standin

go 1.25
