# Configuration 1 of 2: the storage itself, with the HostUp API key
# (HOSTUP_API_KEY). Apply it once; its outputs feed configuration 2.

terraform {
  required_version = ">= 1.5"
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

variable "force_destroy" {
  description = "Allow destroy to delete the bucket with the objects in it (apply with true, then destroy)."
  type        = bool
  default     = false
}

resource "hostup_bucket" "artifacts" {
  name          = var.bucket
  force_destroy = var.force_destroy
}

resource "hostup_object_storage_key" "signing" {
  label = "url-signing for ${var.bucket}"
}

output "bucket" {
  value = hostup_bucket.artifacts.name
}

output "s3_access_key_id" {
  value = hostup_object_storage_key.signing.access_key_id
}

output "s3_secret_access_key" {
  value     = hostup_object_storage_key.signing.secret_access_key
  sensitive = true
}
