// A stand-in for Terraform's kubernetes state backend, a nested module of
// Terraform's repository that the Go module proxy does not serve; see
// ../../go.mod.
module github.com/hashicorp/terraform/internal/backend/remote-state/kubernetes

go 1.25
