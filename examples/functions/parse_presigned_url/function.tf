data "hostup_presigned_url" "artifact" {
  bucket = "deploy-artifacts"
  key    = "releases/app-1.4.2.tar.gz"
  action = "download"
}

locals {
  # The parts of a URL the function returns hold no signature, so the result
  # can be unmarked, although it derives from the sensitive URL.
  artifact_link = nonsensitive(provider::hostup::parse_presigned_url(data.hostup_presigned_url.artifact.url))
}

# Fail the plan when the link would expire within five minutes.
check "artifact_link_lifetime" {
  assert {
    condition     = timecmp(local.artifact_link.expires_at, timeadd(plantimestamp(), "5m")) >= 0
    error_message = "The artifact link expires at ${local.artifact_link.expires_at}."
  }
}

output "artifact_link" {
  # Also: signed_at, expires_in, signed_headers, credential_scope, region.
  value = {
    bucket      = local.artifact_link.bucket
    key         = local.artifact_link.key
    http_method = local.artifact_link.http_method
    expires_at  = local.artifact_link.expires_at
  }
}
