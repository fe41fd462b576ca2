# A round trip through HostUp object storage, as provisioning does it:
# an upload link handed to something that ships a file, then a download link
# handed to something that fetches it. `make demo` runs this against the
# local HostUp emulator; against HostUp, set HOSTUP_API_KEY and the variables.

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
  description = "Bucket to upload into and download from."
  type        = string
  default     = "demo"
}

variable "key" {
  description = "Object key for the round trip."
  type        = string
  default     = "greetings/hello world.txt"
}

variable "source_file" {
  description = "Local file to upload."
  type        = string
}

variable "download_to" {
  description = "Where to write the downloaded copy."
  type        = string
}

variable "stable_link" {
  description = "Also issue a stable download link (needs an S3 key pair in the provider)."
  type        = bool
  default     = false
}

# 1. An upload link that binds the content type.
data "hostup_presigned_url" "upload" {
  bucket       = var.bucket
  key          = var.key
  action       = "upload"
  content_type = "text/plain"
}

# 2. Upload through it the way an instance would: curl, sending the signed
#    Content-Type. The URL travels in the environment, not the command line.
resource "terraform_data" "upload" {
  triggers_replace = [filesha256(var.source_file)]

  provisioner "local-exec" {
    command = "curl -fsS -X \"$METHOD\" -H \"Content-Type: $CONTENT_TYPE\" --upload-file \"$SOURCE\" \"$URL\""
    environment = {
      METHOD       = data.hostup_presigned_url.upload.http_method
      CONTENT_TYPE = data.hostup_presigned_url.upload.content_type
      SOURCE       = var.source_file
      URL          = data.hostup_presigned_url.upload.url
    }
  }
}

# 3. A download link, read after the upload, then a download and a byte-for-byte
#    comparison with the original.
data "hostup_presigned_url" "download" {
  bucket = var.bucket
  key    = var.key
  action = "download"

  depends_on = [terraform_data.upload]
}

resource "terraform_data" "download" {
  triggers_replace = [terraform_data.upload.id]

  provisioner "local-exec" {
    command = "curl -fsS -o \"$TARGET\" \"$URL\" && cmp \"$SOURCE\" \"$TARGET\""
    environment = {
      TARGET = var.download_to
      SOURCE = var.source_file
      URL    = data.hostup_presigned_url.download.url
    }
  }
}

# 4. A stable link: signed locally with the provider's S3 key pair at the start
#    of the current 24-hour period, so every plan that day reads the same URL,
#    valid for at least a day after any of them.
data "hostup_presigned_url" "stable" {
  count = var.stable_link ? 1 : 0

  bucket          = var.bucket
  key             = var.key
  action          = "download"
  rotation_period = "24h"
  expires_in      = 86400
}

output "stable_url_sha256" {
  # A fingerprint of the stable URL, fit to print and compare between plans.
  value = var.stable_link ? nonsensitive(sha256(data.hostup_presigned_url.stable[0].url)) : null
}

output "stable_url" {
  value     = var.stable_link ? data.hostup_presigned_url.stable[0].url : null
  sensitive = true
}

output "stable_rotates_at" {
  value = var.stable_link ? data.hostup_presigned_url.stable[0].rotates_at : null
}

output "stable_expires_at" {
  value = var.stable_link ? data.hostup_presigned_url.stable[0].expires_at : null
}

locals {
  download_url = data.hostup_presigned_url.download.url
  # The link without its credential parts, fit to print.
  redacted_url = replace(local.download_url, "/(X-Amz-(?:Signature|Credential)=)[^&]*/", "$${1}REDACTED")
}

output "object" {
  value = "${var.bucket}/${var.key}"
}

output "url_host" {
  value = nonsensitive(regex("^https?://[^/]+", local.download_url))
}

output "redacted_download_url" {
  # Redacted above: the signature and credential are gone.
  value = nonsensitive(local.redacted_url)
}

output "expires_at" {
  value = data.hostup_presigned_url.download.expires_at
}

output "round_trip" {
  value = terraform_data.download.id != "" ? "OK" : "FAILED"
}
