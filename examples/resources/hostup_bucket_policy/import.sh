# A bucket's policy is imported by the bucket's name.
terraform import hostup_bucket_policy.artifacts deploy-artifacts
