# A bucket's lifecycle configuration is imported by the bucket's name.
terraform import hostup_bucket_lifecycle.artifacts deploy-artifacts
