# A bucket's versioning is imported by the bucket's name.
terraform import hostup_bucket_versioning.artifacts deploy-artifacts
