# An artifact uploaded from a local file, through the S3 API with the
# provider's key pair. Rebuilding the file uploads it again on the next apply.
resource "hostup_object" "artifact" {
  bucket = "deploy-artifacts"
  key    = "releases/app-1.4.2.tar.gz"
  source = "${path.module}/app-1.4.2.tar.gz"
}

# Small text content, with the headers downloads get.
resource "hostup_object" "manifest" {
  bucket              = "deploy-artifacts"
  key                 = "releases/manifest.json"
  content             = jsonencode({ version = "1.4.2", sha256 = filesha256("${path.module}/app-1.4.2.tar.gz") })
  cache_control       = "no-cache"
  content_disposition = "inline"
}
