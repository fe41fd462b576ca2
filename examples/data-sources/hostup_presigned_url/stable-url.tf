# With an S3 key pair in the provider, the URL is signed locally. This one is
# signed at the start of each 24-hour period (UTC), so every plan and apply
# that day reads the byte-identical URL and the instance built from it is not
# replaced; it stays valid for at least a day after any of them.
provider "hostup" {
  # Or HOSTUP_S3_ACCESS_KEY_ID and HOSTUP_S3_SECRET_ACCESS_KEY.
  s3_access_key_id     = var.s3_access_key_id
  s3_secret_access_key = var.s3_secret_access_key
}

variable "s3_access_key_id" {
  type = string
}

variable "s3_secret_access_key" {
  type      = string
  sensitive = true
}

data "hostup_presigned_url" "stable" {
  bucket          = "deploy-artifacts"
  key             = "releases/app-1.4.2.tar.gz"
  action          = "download"
  rotation_period = "24h"
  expires_in      = 86400

  # A browser saving the file gets this name and type.
  response_content_disposition = "attachment; filename=\"app.tar.gz\""
  response_content_type        = "application/gzip"
}

output "stable_link_rotates_at" {
  value = data.hostup_presigned_url.stable.rotates_at
}

output "stable_link_expires_at" {
  value = data.hostup_presigned_url.stable.expires_at
}
