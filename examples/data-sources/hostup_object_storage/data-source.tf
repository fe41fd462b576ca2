# The account's object storage: its S3 endpoint and region (for the provider's
# s3_endpoint and s3_region, or any S3 client), counts and usage.
data "hostup_object_storage" "account" {}

output "s3_endpoint" {
  value = data.hostup_object_storage.account.endpoint
}

output "storage_used_bytes" {
  value = data.hostup_object_storage.account.usage.size_bytes
}
