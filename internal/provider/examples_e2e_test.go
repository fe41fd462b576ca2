// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// These tests run the examples the way a user does: the provider built as a
// binary, found by the CLI through dev_overrides, the CLI (TF_ACC_TERRAFORM_PATH)
// run as a separate process against the emulator, and whatever the examples
// hand to an instance executed here.

// The instance-bootstrap module's user_data, run as an instance would run it,
// downloads the artifact through the data source's URL.
func TestCLI_exampleInstanceBootstrap(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	artifact := []byte("#!/bin/sh\necho the real artifact\n")
	if err := e.PutObject("deploy-artifacts", "releases/app-1.4.2.tar.gz", artifact); err != nil {
		t.Fatal(err)
	}
	h := newCLIHarness(t, e, "instance-bootstrap", "1.5.0")
	h.useKeyPair(e)
	target := filepath.Join(t.TempDir(), "instance", "opt", "app.tar.gz")
	h.run("get", "-no-color")
	h.run("apply", "-auto-approve", "-no-color", "-var", "install_path="+target)
	// The link is stable: a second plan changes nothing, so the instance
	// would not be replaced.
	if out := h.run("plan", "-no-color", "-detailed-exitcode", "-var", "install_path="+target); !strings.Contains(out, "No changes.") {
		t.Errorf("second plan:\n%s", out)
	}
	userData := h.run("output", "-raw", "user_data")
	if !strings.HasPrefix(userData, "#!/bin/sh") || !strings.Contains(userData, "X-Amz-Signature=") {
		t.Fatalf("user_data:\n%s", userData)
	}
	script := filepath.Join(t.TempDir(), "user-data.sh")
	if err := os.WriteFile(script, []byte(userData), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", script).CombinedOutput(); err != nil {
		t.Fatalf("user_data failed: %v\n%s", err, out)
	}
	got, err := os.ReadFile(target)
	if err != nil || !bytes.Equal(got, artifact) {
		t.Fatalf("downloaded %q (%v), want %q", got, err, artifact)
	}
}

// The module's precondition refuses a link that would expire too soon:
// signed locally for at most two minutes, or issued by the API for 60 s.
func TestCLI_exampleInstanceBootstrapPrecondition(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc(), ExpiresIn: time.Minute})
	h := newCLIHarness(t, e, "instance-bootstrap", "1.5.0")
	h.run("get", "-no-color")
	// Without a key pair, the module takes null for both: a 60 s API link.
	apiVars := filepath.Join(h.dir, "api.tfvars")
	if err := os.WriteFile(apiVars, []byte("rotation_period = null\nexpires_in = null\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := h.runFailing("plan", "-no-color", "-var-file="+apiVars); !strings.Contains(out, "The artifact link expires at") {
		t.Fatalf("plan with a 60 s API link:\n%s", out)
	}
	h.useKeyPair(e)
	if out := h.runFailing("plan", "-no-color", "-var", "rotation_period=1m", "-var", "expires_in=60"); !strings.Contains(out, "The artifact link expires at") {
		t.Fatalf("plan with a link of at most 2 minutes:\n%s", out)
	}
}

// The ephemeral flow: the provisioner downloads with one ephemeral URL and
// uploads its results with another, sending required_headers; neither the
// saved plan nor the state holds a URL or a signature.
func TestCLI_exampleEphemeralProvisioning(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	artifact := []byte("artifact for the job")
	if err := e.PutObject("deploy-artifacts", "releases/app-1.4.2.tar.gz", artifact); err != nil {
		t.Fatal(err)
	}
	h := newCLIHarness(t, e, "ephemeral-provisioning", "1.10.0")
	workdir := t.TempDir()
	h.run("get", "-no-color")
	h.run("plan", "-no-color", "-out=tfplan", "-var", "workdir="+workdir)
	h.run("apply", "-no-color", "tfplan")

	got, err := e.GetObject("deploy-artifacts", "results/run-42.txt")
	if err != nil {
		t.Fatalf("the job's results did not arrive: %v", err)
	}
	if want := fmt.Sprintf("%x\n", sha256Sum(artifact)); string(got) != want {
		t.Fatalf("results %q, want %q", got, want)
	}

	secrets := []string{"X-Amz-Signature", "X-Amz-Credential", e.S3URL() + "/deploy-artifacts"}
	h.assertNoSecrets(filepath.Join(h.dir, "tfplan"), secrets...)
	h.assertNoSecrets(filepath.Join(h.dir, "terraform.tfstate"), secrets...)
	state, _ := os.ReadFile(filepath.Join(h.dir, "terraform.tfstate"))
	if !bytes.Contains(state, []byte(`"terraform_data"`)) {
		t.Fatalf("state does not record the job:\n%s", state)
	}
	// Every presign the API served was for this flow: both blocks were
	// opened at plan and again at apply.
	if n := len(e.Requests()); n < 4 {
		t.Fatalf("API requests = %d, want at least 4 (2 blocks x plan and apply)", n)
	}
}

// The function's registry example plans and applies as written.
func TestCLI_exampleParsePresignedURLFunction(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	h := newCLIHarness(t, e, "functions/parse_presigned_url", "1.8.0")
	// Registry examples are snippets; a user's configuration names the source.
	providers := "terraform {\n  required_providers {\n    hostup = { source = \"hostup/hostup\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(h.dir, "providers.tf"), []byte(providers), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run("apply", "-auto-approve", "-no-color")
	out := h.run("output", "-json", "artifact_link")
	var link map[string]string
	if err := json.Unmarshal([]byte(out), &link); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if link["bucket"] != "deploy-artifacts" || link["key"] != "releases/app-1.4.2.tar.gz" || link["http_method"] != "GET" || link["expires_at"] == "" {
		t.Fatalf("artifact_link = %v", link)
	}
}

// The object-storage bootstrap: one configuration makes the bucket and a
// key pair with the API key; the other, given only the pair, issues URLs
// that work, and makes no API call.
func TestCLI_exampleObjectStorageBootstrap(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	storage := newCLIHarness(t, e, "object-storage-bootstrap/storage", "1.5.0")
	storage.run("apply", "-auto-approve", "-no-color", "-var", "bucket=bootstrap-artifacts")
	access := strings.TrimSpace(storage.run("output", "-raw", "s3_access_key_id"))
	secret := strings.TrimSpace(storage.run("output", "-raw", "s3_secret_access_key"))
	apiCalls := len(e.Requests())

	urls := newCLIHarness(t, e, "object-storage-bootstrap/urls", "1.5.0")
	urls.setEnv("TF_VAR_s3_access_key_id", access)
	urls.setEnv("TF_VAR_s3_secret_access_key", secret)
	urls.setEnv("TF_VAR_bucket", "bootstrap-artifacts")
	urls.setEnv(provider.EnvAPIKey, "")
	urls.setEnv(provider.EnvS3Endpoint, e.S3URL())
	urls.run("apply", "-auto-approve", "-no-color")
	up := strings.TrimSpace(urls.run("output", "-raw", "upload_url"))
	down := strings.TrimSpace(urls.run("output", "-raw", "download_url"))
	if err := expect("upload", http.MethodPut, up, "application/gzip", []byte("release"), 200, ""); err != nil {
		t.Fatal(err)
	}
	if err := expect("download", http.MethodGet, down, "", nil, 200, "release"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Requests()); n != apiCalls {
		t.Errorf("the URL configuration made %d API calls", n-apiCalls)
	}
	// The bucket now holds the upload: destroy is refused until
	// force_destroy is applied.
	if out := storage.runFailing("destroy", "-auto-approve", "-no-color", "-var", "bucket=bootstrap-artifacts"); !words("HostUp Bucket Is Not Empty").MatchString(out) {
		t.Fatalf("destroy of a non-empty bucket:\n%s", out)
	}
	storage.run("apply", "-auto-approve", "-no-color", "-var", "bucket=bootstrap-artifacts", "-var", "force_destroy=true")
	storage.run("destroy", "-auto-approve", "-no-color", "-var", "bucket=bootstrap-artifacts", "-var", "force_destroy=true")
	for _, b := range e.Buckets() {
		if b.Name == "bootstrap-artifacts" {
			t.Error("the bucket survived destroy")
		}
	}
}

// The artifact-delivery example end to end: apply; the user data, run with
// sh, fetches the bytes; a second plan changes nothing; a new artifact
// updates the object, keeps the URL, and the same user data fetches the
// new bytes.
func TestCLI_exampleArtifactDelivery(t *testing.T) {
	e := startEmulator(t, emulator.Options{Now: nowFunc()})
	work := t.TempDir()
	artifact := filepath.Join(work, "app.tar.gz")
	target := filepath.Join(work, "instance", "opt", "app.tar.gz")
	if err := os.WriteFile(artifact, []byte("artifact v1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newCLIHarness(t, e, "artifact-delivery", "1.5.0")
	h.useKeyPair(e)
	vars := []string{"-var", "artifact_path=" + artifact, "-var", "install_path=" + target}
	h.run("get", "-no-color")
	h.run(append([]string{"apply", "-auto-approve", "-no-color"}, vars...)...)

	runUserData := func(want string) string {
		t.Helper()
		userData := h.run("output", "-raw", "user_data")
		script := filepath.Join(work, "user-data.sh")
		if err := os.WriteFile(script, []byte(userData), 0o700); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("sh", script).CombinedOutput(); err != nil {
			t.Fatalf("user_data failed: %v\n%s", err, out)
		}
		if got, err := os.ReadFile(target); err != nil || string(got) != want {
			t.Fatalf("the instance got %q (%v), want %q", got, err, want)
		}
		return userData
	}
	first := runUserData("artifact v1\n")

	if out := h.run(append([]string{"plan", "-no-color", "-detailed-exitcode"}, vars...)...); !strings.Contains(out, "No changes.") {
		t.Fatalf("second plan:\n%s", out)
	}

	if err := os.WriteFile(artifact, []byte("artifact v2, rebuilt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := h.run(append([]string{"plan", "-no-color"}, vars...)...)
	if !strings.Contains(plan, "hostup_object.artifact will be updated in-place") || strings.Contains(plan, "terraform_data.instance must be replaced") {
		t.Fatalf("plan after a new artifact:\n%s", plan)
	}
	h.run(append([]string{"apply", "-auto-approve", "-no-color"}, vars...)...)
	if second := runUserData("artifact v2, rebuilt\n"); second != first {
		t.Errorf("the URL changed with the artifact:\n%s\n%s", first, second)
	}
	h.run(append([]string{"destroy", "-auto-approve", "-no-color"}, vars...)...)
}
