# The releases in a bucket, one level deep.
data "hostup_objects" "releases" {
  bucket    = "deploy-artifacts"
  prefix    = "releases/"
  delimiter = "/"
}

output "release_keys" {
  value = data.hostup_objects.releases.keys
}
