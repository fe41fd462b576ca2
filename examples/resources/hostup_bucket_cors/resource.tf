# Let a web app upload through presigned PUT URLs from the browser, and any
# page read objects.
resource "hostup_bucket_cors" "artifacts" {
  bucket = "deploy-artifacts"

  rule {
    id              = "browser-uploads"
    allowed_methods = ["PUT", "POST"]
    allowed_origins = ["https://app.example.com"]
    allowed_headers = ["content-type"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }

  rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["*"]
  }
}
