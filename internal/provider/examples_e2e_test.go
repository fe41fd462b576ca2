// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	goversion "github.com/hashicorp/go-version"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// These tests run the examples the way a user does: the provider built as a
// binary, found by the CLI through dev_overrides, the CLI (TF_ACC_TERRAFORM_PATH)
// run as a separate process against the emulator, and whatever the examples
// hand to an instance executed here.

var (
	buildOnce   sync.Once
	pluginDir   string // made and removed by TestMain
	buildErr    error
	buildOutput []byte
)

// providerBinary builds the provider once per test binary.
func providerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		cmd := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-hostup"), "github.com/hostup/terraform-provider-hostup")
		buildOutput, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building the provider: %v\n%s", buildErr, buildOutput)
	}
	return pluginDir
}

type cliHarness struct {
	t   *testing.T
	cli string
	dir string // the example's working directory
	env []string
}

// cliVersion is the version the CLI under test reports.
func cliVersion(t *testing.T, cli string) *goversion.Version {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	return goversion.Must(goversion.NewVersion(v.Version))
}

// newCLIHarness copies examples/ to a temporary directory and prepares the
// CLI to run the named example against e.
func newCLIHarness(t *testing.T, e *emulator.Emulator, example string, minVersion string) *cliHarness {
	t.Helper()
	cli := cliUnderTest(t)
	if v := cliVersion(t, cli); v.Core().LessThan(goversion.Must(goversion.NewVersion(minVersion))) {
		t.Skipf("%s %s is below %s, which examples/%s needs: skipping", filepath.Base(cli), v, minVersion, example)
	}
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "examples"), os.DirFS("../../examples")); err != nil {
		t.Fatal(err)
	}
	return newHarnessIn(t, e, cli, root, filepath.Join(root, "examples", example))
}

// newConfigHarness prepares the CLI to run one configuration against e.
func newConfigHarness(t *testing.T, e *emulator.Emulator, config string) *cliHarness {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "config")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	config = "terraform {\n  required_providers {\n    hostup = { source = \"hostup/hostup\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return newHarnessIn(t, e, cliUnderTest(t), root, dir)
}

func cliUnderTest(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name a terraform or tofu binary; run make test")
	}
	return cli
}

func newHarnessIn(t *testing.T, e *emulator.Emulator, cli, root, dir string) *cliHarness {
	t.Helper()
	plugins := providerBinary(t)
	rc := filepath.Join(root, "cli.tfrc")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.opentofu.org/hostup/hostup" = %q
    "registry.terraform.io/hostup/hostup" = %q
  }
  direct {}
}
`, plugins, plugins)
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "TF_") && !strings.HasPrefix(k, "HOSTUP_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		provider.EnvAPIKey+"="+emulator.DefaultAPIKey, provider.EnvEndpoint+"="+e.APIURL())
	return &cliHarness{t: t, cli: cli, dir: dir, env: env}
}

// setEnv overrides one environment variable of the CLI process.
func (h *cliHarness) setEnv(key, value string) {
	h.env = append(h.env, key+"="+value)
}

// runFailing runs a command that must fail and returns its combined output.
func (h *cliHarness) runFailing(args ...string) string {
	h.t.Helper()
	cmd := exec.Command(h.cli, append([]string{"-chdir=" + h.dir}, args...)...)
	cmd.Env = h.env
	out, err := cmd.CombinedOutput()
	if err == nil {
		h.t.Fatalf("%s %s succeeded, want a failure:\n%s", filepath.Base(h.cli), strings.Join(args, " "), out)
	}
	return string(out)
}

// runCombined runs a command that must succeed and returns its combined
// output (stderr holds the logs).
func (h *cliHarness) runCombined(args ...string) string {
	h.t.Helper()
	cmd := exec.Command(h.cli, append([]string{"-chdir=" + h.dir}, args...)...)
	cmd.Env = h.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		h.t.Fatalf("%s %s: %v\n%s", filepath.Base(h.cli), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (h *cliHarness) run(args ...string) string {
	h.t.Helper()
	cmd := exec.Command(h.cli, append([]string{"-chdir=" + h.dir}, args...)...)
	cmd.Env = h.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(h.cli), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// assertNoSecrets fails when a file, or any member of a zip file (a saved
// plan), contains a presigned URL or a piece of one.
func (h *cliHarness) assertNoSecrets(path string, secrets ...string) {
	h.t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	contents := map[string][]byte{path: raw}
	if zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw))); err == nil {
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				h.t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				h.t.Fatal(err)
			}
			contents[path+"!"+f.Name] = b
		}
	}
	for name, b := range contents {
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				h.t.Errorf("%s contains %q", filepath.Base(name), s)
			}
		}
	}
}

// The instance-bootstrap module's user_data, run as an instance would run it,
// downloads the artifact through the data source's URL.
func TestExample_instanceBootstrap(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	artifact := []byte("#!/bin/sh\necho the real artifact\n")
	if err := e.PutObject("deploy-artifacts", "releases/app-1.4.2.tar.gz", artifact); err != nil {
		t.Fatal(err)
	}
	h := newCLIHarness(t, e, "instance-bootstrap", "1.5.0")
	target := filepath.Join(t.TempDir(), "instance", "opt", "app.tar.gz")
	h.run("get", "-no-color")
	h.run("apply", "-auto-approve", "-no-color", "-var", "install_path="+target)
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

// The module's precondition refuses a link that would expire too soon.
func TestExample_instanceBootstrapPrecondition(t *testing.T) {
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc(), ExpiresIn: time.Minute})
	h := newCLIHarness(t, e, "instance-bootstrap", "1.5.0")
	h.run("get", "-no-color")
	if out := h.runFailing("plan", "-no-color"); !strings.Contains(out, "The artifact link expires at") {
		t.Fatalf("plan with a 60 s link:\n%s", out)
	}
}

// The ephemeral flow: the provisioner downloads with one ephemeral URL and
// uploads its results with another, sending required_headers; neither the
// saved plan nor the state holds a URL or a signature.
func TestExample_ephemeralProvisioning(t *testing.T) {
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

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

// The function's registry example plans and applies as written.
func TestExample_parsePresignedURLFunction(t *testing.T) {
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
