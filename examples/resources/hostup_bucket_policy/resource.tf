# Anyone may download objects under public/; everything else stays private.
resource "hostup_bucket_policy" "artifacts" {
  bucket = "deploy-artifacts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicDownloads"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::deploy-artifacts/public/*"]
    }]
  })
}
