# Builds cloud-init user data that downloads a bootstrap artifact from HostUp
# object storage through a presigned URL, so the instance needs no storage
# credentials. Pass module.<name>.user_data to the instance's user_data.
#
# With an S3 key pair in the provider (s3_access_key_id, s3_secret_access_key),
# the defaults give a stable URL: the same on every plan for 24 hours, and valid
# for at least 24 hours after any plan, so the instance is not replaced on every
# plan and can boot a day later. Without a key pair, set rotation_period and
# expires_in to null: HostUp's API then issues a new 900-second URL per plan.

terraform {
  required_version = ">= 1.5"
  required_providers {
    hostup = {
      source = "hostup/hostup"
    }
  }
}

variable "bucket" {
  description = "Bucket holding the artifact."
  type        = string
}

variable "key" {
  description = "Object key of the artifact."
  type        = string
}

variable "install_path" {
  description = "Where the instance writes the artifact."
  type        = string
  default     = "/opt/bootstrap/artifact"
}

variable "rotation_period" {
  description = "How long the URL stays the same (signed at the start of each period); null for a new URL on every read. Needs an S3 key pair in the provider."
  type        = string
  default     = "24h"
}

variable "expires_in" {
  description = "Seconds the URL stays valid after any read (with rotation_period: after the period ends); null for HostUp's 900. Needs an S3 key pair in the provider."
  type        = number
  default     = 86400
}

variable "min_remaining" {
  description = "Fail the plan when the link would be valid for less than this long, as a Terraform duration (\"5m\")."
  type        = string
  default     = "5m"
}

data "hostup_presigned_url" "artifact" {
  bucket          = var.bucket
  key             = var.key
  action          = "download"
  rotation_period = var.rotation_period
  expires_in      = var.expires_in
}

locals {
  # A shell script is valid cloud-init user data. The URL is single-quoted:
  # it contains '&' and is never re-encoded.
  user_data = <<-EOT
    #!/bin/sh
    set -eu
    mkdir -p "$(dirname '${var.install_path}')"
    curl -fsS --retry 5 --retry-connrefused -o '${var.install_path}' '${data.hostup_presigned_url.artifact.url}'
  EOT
}

output "user_data" {
  description = "cloud-init user data (sensitive: it embeds the presigned URL)."
  value       = local.user_data
  sensitive   = true

  precondition {
    condition     = timecmp(data.hostup_presigned_url.artifact.expires_at, timeadd(plantimestamp(), var.min_remaining)) >= 0
    error_message = "The artifact link expires at ${data.hostup_presigned_url.artifact.expires_at}, less than ${var.min_remaining} from now; the instance might boot after it stops working."
  }
}

output "link_expires_at" {
  description = "When the artifact link stops working (RFC 3339)."
  value       = data.hostup_presigned_url.artifact.expires_at
}

output "link_rotates_at" {
  description = "When the next plan starts returning a new URL (RFC 3339), or null without rotation_period."
  value       = data.hostup_presigned_url.artifact.rotates_at
}
