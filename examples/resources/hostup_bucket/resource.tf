# A bucket for release artifacts. Destroying it is refused while it holds
# objects; set force_destroy = true (and apply) to allow deleting them too.
resource "hostup_bucket" "artifacts" {
  name = "deploy-artifacts-example"
}

output "artifacts_bucket_created" {
  value = hostup_bucket.artifacts.created
}
