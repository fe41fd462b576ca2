# A download link for a bootstrap artifact, handed to a new instance.
data "hostup_presigned_url" "bootstrap" {
  bucket = "deploy-artifacts"
  key    = "releases/app-1.4.2.tar.gz"
  action = "download"
}

# An upload link for a job that ships its results back. The uploader must
# send the same Content-Type header.
data "hostup_presigned_url" "results" {
  bucket       = "deploy-artifacts"
  key          = "results/run 42/report.json"
  action       = "upload"
  content_type = "application/json"
}

locals {
  # cloud-init user data for the instance. The URLs are sensitive, so
  # anything built from them is sensitive too.
  user_data = <<-EOT
    #!/bin/sh
    set -eu
    curl -fsS -o /opt/app.tar.gz '${data.hostup_presigned_url.bootstrap.url}'
    /opt/run-job > /tmp/report.json
    curl -fsS -X ${data.hostup_presigned_url.results.http_method} \
      -H 'Content-Type: ${data.hostup_presigned_url.results.content_type}' \
      --upload-file /tmp/report.json '${data.hostup_presigned_url.results.url}'
  EOT
}

output "bootstrap_link_expires_at" {
  value = data.hostup_presigned_url.bootstrap.expires_at
}

output "user_data" {
  value     = local.user_data
  sensitive = true
}
