# A bucket's CORS configuration is imported by the bucket's name.
terraform import hostup_bucket_cors.artifacts deploy-artifacts
