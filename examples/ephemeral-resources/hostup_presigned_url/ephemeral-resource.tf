# A download link and an upload link, issued fresh at apply and never stored
# in the plan or the state.
ephemeral "hostup_presigned_url" "artifact" {
  bucket = "deploy-artifacts"
  key    = "releases/app-1.4.2.tar.gz"
  action = "download"
}

ephemeral "hostup_presigned_url" "results" {
  bucket       = "deploy-artifacts"
  key          = "results/run-42.json"
  action       = "upload"
  content_type = "application/json"
}

resource "terraform_data" "job" {
  input = "run-42"

  # Ephemeral values are accepted in provisioner and connection blocks.
  provisioner "local-exec" {
    command = "curl -fsS -o artifact.tar.gz \"$ARTIFACT_URL\" && ./run-job > results.json && curl -fsS -X \"$METHOD\" -H \"$HEADER\" --upload-file results.json \"$RESULTS_URL\""
    environment = {
      ARTIFACT_URL = ephemeral.hostup_presigned_url.artifact.url
      RESULTS_URL  = ephemeral.hostup_presigned_url.results.url
      METHOD       = ephemeral.hostup_presigned_url.results.http_method
      HEADER       = "Content-Type: ${ephemeral.hostup_presigned_url.results.required_headers["Content-Type"]}"
    }
  }
}
