# Uses the instance-bootstrap module. In a real configuration, user_data goes
# to a compute instance; here it is an output, so it can be inspected and run.

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

module "bootstrap" {
  source = "../modules/instance-bootstrap"

  bucket       = var.bucket
  key          = var.key
  install_path = var.install_path
}

output "user_data" {
  value     = module.bootstrap.user_data
  sensitive = true
}

output "link_expires_at" {
  value = module.bootstrap.link_expires_at
}
