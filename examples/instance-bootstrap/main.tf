# Uses the instance-bootstrap module. In a real configuration, user_data goes
# to a compute instance; here it is an output, so it can be inspected and run.
# The provider reads its S3 key pair from HOSTUP_S3_ACCESS_KEY_ID and
# HOSTUP_S3_SECRET_ACCESS_KEY, so the link is stable for a day.

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

variable "key" {
  type    = string
  default = "releases/app-1.4.2.tar.gz"
}

variable "install_path" {
  type    = string
  default = "/opt/bootstrap/app.tar.gz"
}

variable "rotation_period" {
  type    = string
  default = "24h"
}

variable "expires_in" {
  type    = number
  default = 86400
}

module "bootstrap" {
  source = "../modules/instance-bootstrap"

  bucket          = var.bucket
  key             = var.key
  install_path    = var.install_path
  rotation_period = var.rotation_period
  expires_in      = var.expires_in
}

# What an instance would be: replaced when its user data changes. Within one
# rotation period the URL, and so the user data, stays the same.
resource "terraform_data" "instance" {
  triggers_replace = [sha256(module.bootstrap.user_data)]
}

output "user_data" {
  value     = module.bootstrap.user_data
  sensitive = true
}

output "link_expires_at" {
  value = module.bootstrap.link_expires_at
}

output "link_rotates_at" {
  value = module.bootstrap.link_rotates_at
}
