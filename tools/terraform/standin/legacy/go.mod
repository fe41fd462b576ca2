// A stand-in for Terraform's internal/legacy, a nested module of Terraform's
// repository that only its tests import and that the Go module proxy does not
// serve; a go.mod alone, see ../../go.mod.
module github.com/hashicorp/terraform/internal/legacy

go 1.25
