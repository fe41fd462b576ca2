# An existing bucket: fail the plan early when it is missing, and read its usage.
data "hostup_bucket" "artifacts" {
  name = "deploy-artifacts"
}

output "artifacts_objects" {
  value = data.hostup_bucket.artifacts.num_objects
}
