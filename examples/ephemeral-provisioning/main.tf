# The bootstrap flow with the ephemeral resource: a download link for the
# artifact and an upload link for the job's results, issued fresh at apply,
# used by a provisioner, and never written to the plan or the state.
# Requires Terraform 1.10+ or OpenTofu 1.11+.
#
# Here the provisioner runs locally; on a real instance it is a remote-exec
# provisioner with a connection block, which accepts ephemeral values too.

terraform {
  required_version = ">= 1.10"
  required_providers {
    hostup = {
      source = "hostup/hostup"
    }
  }
}

provider "hostup" {}

variable "bucket" {
  type    = string
  default = "deploy-artifacts"
}

variable "artifact_key" {
  type    = string
  default = "releases/app-1.4.2.tar.gz"
}

variable "results_key" {
  type    = string
  default = "results/run-42.txt"
}

variable "workdir" {
  description = "Scratch directory for the job."
  type        = string
}

ephemeral "hostup_presigned_url" "artifact" {
  bucket = var.bucket
  key    = var.artifact_key
  action = "download"
}

ephemeral "hostup_presigned_url" "results" {
  bucket       = var.bucket
  key          = var.results_key
  action       = "upload"
  content_type = "text/plain"
}

resource "terraform_data" "job" {
  input = var.artifact_key

  provisioner "local-exec" {
    # required_headers lists exactly the headers the upload must carry.
    command = <<-EOT
      set -eu
      curl -fsS -o "$WORKDIR/artifact" "$ARTIFACT_URL"
      sha256sum "$WORKDIR/artifact" | cut -d' ' -f1 > "$WORKDIR/results.txt"
      printf '%s\n' "$RESULTS_HEADERS" > "$WORKDIR/headers.txt"
      curl -fsS -X "$RESULTS_METHOD" -H @"$WORKDIR/headers.txt" --upload-file "$WORKDIR/results.txt" "$RESULTS_URL"
    EOT
    environment = {
      WORKDIR         = var.workdir
      ARTIFACT_URL    = ephemeral.hostup_presigned_url.artifact.url
      RESULTS_URL     = ephemeral.hostup_presigned_url.results.url
      RESULTS_METHOD  = ephemeral.hostup_presigned_url.results.http_method
      RESULTS_HEADERS = join("\n", [for name, value in ephemeral.hostup_presigned_url.results.required_headers : "${name}: ${value}"])
    }
  }
}
