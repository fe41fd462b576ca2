# Configuration 2 of 2: links, signed locally with the key pair that
# configuration 1 made. Pass its outputs, for example:
#   export TF_VAR_s3_access_key_id=$(terraform -chdir=../storage output -raw s3_access_key_id)
#   export TF_VAR_s3_secret_access_key=$(terraform -chdir=../storage output -raw s3_secret_access_key)

terraform {
  required_version = ">= 1.5"
  required_providers {
    hostup = {
      source = "hostup/hostup"
    }
  }
}

variable "s3_access_key_id" {
  type = string
}

variable "s3_secret_access_key" {
  type      = string
  sensitive = true
}

variable "bucket" {
  type    = string
  default = "deploy-artifacts"
}

# No API key needed here: the key pair signs.
provider "hostup" {
  s3_access_key_id     = var.s3_access_key_id
  s3_secret_access_key = var.s3_secret_access_key
}

data "hostup_presigned_url" "upload" {
  bucket       = var.bucket
  key          = "releases/app.tar.gz"
  action       = "upload"
  content_type = "application/gzip"
  expires_in   = 3600
}

data "hostup_presigned_url" "download" {
  bucket          = var.bucket
  key             = "releases/app.tar.gz"
  action          = "download"
  rotation_period = "24h"
  expires_in      = 86400
}

output "upload_url" {
  value     = data.hostup_presigned_url.upload.url
  sensitive = true
}

output "download_url" {
  value     = data.hostup_presigned_url.download.url
  sensitive = true
}
