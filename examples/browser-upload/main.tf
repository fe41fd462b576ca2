# A static web page that uploads a file straight from the browser into a
# bucket, through a presigned PUT URL: no server of yours sees the bytes, and
# the browser never holds S3 credentials. The bucket's CORS rule lets the
# page's origin send the PUT (and read the object back with a GET).
#
# The provider needs an S3 key pair (HOSTUP_S3_ACCESS_KEY_ID,
# HOSTUP_S3_SECRET_ACCESS_KEY) for the CORS rule and the URLs, and the API key
# (HOSTUP_API_KEY) for the bucket unless create_bucket = false.
#
#   terraform apply
#   mkdir -p site && terraform output -raw page > site/index.html
#   python3 -m http.server 8000 --bind 127.0.0.1 --directory site
#
# Then open http://127.0.0.1:8000/, choose a file and press Upload. The page
# is served from the origin the CORS rule allows (var.origin); from any other
# origin the browser refuses the upload ("TypeError: Failed to fetch"). The
# page holds the upload URL: it rotates every hour, so apply and write the
# page again within two hours. Opening the page with ?auto=some-text uploads
# that text without a click.
#
# The guide "Uploading from a browser" explains each part.

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
  description = "Bucket the browser uploads into."
  type        = string
  default     = "browser-uploads"
}

variable "create_bucket" {
  description = "Create the bucket here; false to use an existing one."
  type        = bool
  default     = true
}

variable "origin" {
  description = "Origin the page is served from: scheme, host and port, no path."
  type        = string
  default     = "http://127.0.0.1:8000"
}

variable "enable_cors" {
  description = "Allow the page's origin to upload; false removes the CORS rule, and the browser refuses the upload."
  type        = bool
  default     = true
}

variable "key" {
  description = "Object key the upload URL writes."
  type        = string
  default     = "uploads/hello.txt"
}

variable "content_type" {
  description = "Content type the upload URL binds; the page sends exactly this."
  type        = string
  default     = "text/plain"
}

resource "hostup_bucket" "uploads" {
  count = var.create_bucket ? 1 : 0
  name  = var.bucket
}

resource "hostup_bucket_cors" "uploads" {
  count = var.enable_cors ? 1 : 0
  # After the bucket, when this configuration creates it.
  bucket = var.create_bucket ? hostup_bucket.uploads[0].name : var.bucket

  rule {
    id              = "browser-upload"
    allowed_origins = [var.origin]
    allowed_methods = ["PUT", "GET"]
    # fetch sends Content-Type with the PUT, so the preflight asks for it.
    allowed_headers = ["content-type"]
    expose_headers  = ["ETag"]
    max_age_seconds = 600
  }
}

# Signed by the provider with the key pair. The URLs take the bucket from the
# variable, not from the bucket resource, so they are known at plan time and
# stay the same for the hour (rotation_period), valid an hour past any plan
# (expires_in): short, because an upload URL is a bearer credential.
data "hostup_presigned_url" "upload" {
  bucket          = var.bucket
  key             = var.key
  action          = "upload"
  content_type    = var.content_type
  rotation_period = "1h"
  expires_in      = 3600
}

data "hostup_presigned_url" "download" {
  bucket          = var.bucket
  key             = var.key
  action          = "download"
  rotation_period = "1h"
  expires_in      = 3600
}

# The page, with the URLs in it: sensitive, like the URLs.
output "page" {
  value = templatefile("${path.module}/index.html.tftpl", {
    bucket       = var.bucket
    key          = var.key
    content_type = data.hostup_presigned_url.upload.content_type
    upload_url   = data.hostup_presigned_url.upload.url
    download_url = data.hostup_presigned_url.download.url
  })
  sensitive = true
}

output "upload_expires_at" {
  value = data.hostup_presigned_url.upload.expires_at
}
