# Keep every version of every object. Set through HostUp's API (api_key),
# read back through S3 (the key pair). Destroying this suspends versioning;
# it cannot be switched off once enabled.
resource "hostup_bucket_versioning" "artifacts" {
  bucket = "deploy-artifacts"
  status = "Enabled"
}
