# A bucket is imported by its name.
terraform import hostup_bucket.artifacts deploy-artifacts-example
