# An S3 key pair for the configuration that issues presigned URLs. The secret
# is stored in this configuration's state, marked sensitive.
resource "hostup_object_storage_key" "signing" {
  label = "terraform-url-signing"
}

# Feed these to the URL-issuing configuration's provider block as
# s3_access_key_id and s3_secret_access_key (or HOSTUP_S3_ACCESS_KEY_ID and
# HOSTUP_S3_SECRET_ACCESS_KEY).
output "s3_access_key_id" {
  value = hostup_object_storage_key.signing.access_key_id
}

output "s3_secret_access_key" {
  value     = hostup_object_storage_key.signing.secret_access_key
  sensitive = true
}
