# From an empty account to a booting instance's artifact, in one
# configuration: a bucket, the artifact uploaded into it, a stable download
# link, and the cloud-init user data that fetches it.
#
# The provider needs the API key (HOSTUP_API_KEY) for the bucket and an S3
# key pair (HOSTUP_S3_ACCESS_KEY_ID, HOSTUP_S3_SECRET_ACCESS_KEY) for the
# upload and the link.

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
  description = "Bucket to create for the artifacts."
  type        = string
  default     = "artifact-delivery"
}

variable "artifact_path" {
  description = "Local file to deliver to the instance."
  type        = string
}

variable "install_path" {
  description = "Where the instance writes the artifact."
  type        = string
  default     = "/opt/app/app.tar.gz"
}

locals {
  artifact_key = "releases/app.tar.gz"
}

resource "hostup_bucket" "artifacts" {
  name = var.bucket
}

resource "hostup_object" "artifact" {
  bucket = hostup_bucket.artifacts.name
  key    = local.artifact_key
  source = var.artifact_path
}

# A link that stays the same for a day, so the instance is not replaced on
# every plan; re-uploading the artifact keeps the link. The link takes its key
# from the local value, not from hostup_object.artifact: a data source that
# refers to a resource with changes is read only at apply, so every new
# artifact would make the link, and the instance's user data, unknown at plan
# time and replace the instance. The instance depends on the object instead,
# so the artifact is uploaded before anything boots.
module "bootstrap" {
  source = "../modules/instance-bootstrap"

  bucket       = hostup_bucket.artifacts.name
  key          = local.artifact_key
  install_path = var.install_path
}

# Stands in for a compute instance: replaced whenever its user data changes.
resource "terraform_data" "instance" {
  triggers_replace = [sha256(module.bootstrap.user_data)]
  depends_on       = [hostup_object.artifact]
}

output "user_data" {
  value     = module.bootstrap.user_data
  sensitive = true
}

output "artifact_etag" {
  value = hostup_object.artifact.etag
}
