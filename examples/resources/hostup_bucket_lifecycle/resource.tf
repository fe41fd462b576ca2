# Expire scratch files after a week, old versions after 30 days, and abort
# multipart uploads left unfinished for two days, across the whole bucket.
resource "hostup_bucket_lifecycle" "artifacts" {
  bucket = "deploy-artifacts"

  rule {
    id     = "scratch"
    prefix = "tmp/"

    expiration {
      days = 7
    }
  }

  rule {
    id                                     = "housekeeping"
    noncurrent_version_expiration_days     = 30
    abort_incomplete_multipart_upload_days = 2
  }
}
