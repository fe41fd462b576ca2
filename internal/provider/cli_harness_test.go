// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/hostup/terraform-provider-hostup/internal/cliconfig"
	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// The harness for tests that run the CLI as a separate process against the
// provider built as a binary (tests named TestCLI_*, so `go test -run` and
// `-skip` can select them): the build, the CLI configuration and environment,
// and running commands.

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
	t       *testing.T
	cli     string
	dir     string // the example's working directory
	env     []string
	logFile string // where the CLI logs, after traceLog
}

func cliUnderTest(t *testing.T) string {
	t.Helper()
	requireCLI(t)
	return os.Getenv("TF_ACC_TERRAFORM_PATH")
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

// providerHeader is the terraform block every test configuration starts with.
const providerHeader = "terraform {\n  required_providers {\n    hostup = { source = \"hostup/hostup\" }\n  }\n}\n"

// newConfigHarness prepares the CLI to run one configuration against e.
func newConfigHarness(t *testing.T, e *emulator.Emulator, config string) *cliHarness {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "config")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	config = providerHeader + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return newHarnessIn(t, e, cliUnderTest(t), root, dir)
}

func newHarnessIn(t *testing.T, e *emulator.Emulator, cli, root, dir string) *cliHarness {
	t.Helper()
	plugins := providerBinary(t)
	rc := filepath.Join(root, "cli.tfrc")
	if err := os.WriteFile(rc, []byte(cliconfig.DevOverrides(plugins)), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		provider.EnvAPIKey+"="+emulator.DefaultAPIKey, provider.EnvEndpoint+"="+e.APIURL())
	return &cliHarness{t: t, cli: cli, dir: dir, env: env}
}

// cleanEnv is this process's environment without any TF_ or HOSTUP_
// variable, so a CLI process sees only what a test gives it.
func cleanEnv() []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "TF_") && !strings.HasPrefix(k, "HOSTUP_") {
			env = append(env, kv)
		}
	}
	return env
}

// useKeyPair configures the emulator's own S3 key pair for local signing.
func (h *cliHarness) useKeyPair(e *emulator.Emulator) {
	h.setEnv(provider.EnvS3AccessKeyID, emulator.DefaultAccessKeyID)
	h.setEnv(provider.EnvS3SecretAccessKey, emulator.DefaultSecretAccessKey)
	h.setEnv(provider.EnvS3Endpoint, e.S3URL())
}

// setEnv overrides one environment variable of the CLI process.
func (h *cliHarness) setEnv(key, value string) {
	h.env = append(h.env, key+"="+value)
}

// traceLog has the CLI log at TRACE to a file of its own, which logs reads
// back, and returns the file's path.
func (h *cliHarness) traceLog() string {
	h.logFile = filepath.Join(h.t.TempDir(), "trace.log")
	h.setEnv("TF_LOG", "TRACE")
	h.setEnv("TF_LOG_PATH", h.logFile)
	return h.logFile
}

// logs is what the CLI has logged since traceLog.
func (h *cliHarness) logs() []byte {
	h.t.Helper()
	b, err := os.ReadFile(h.logFile)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// command is the CLI command args, in the working directory with the
// harness's environment.
func (h *cliHarness) command(args ...string) *exec.Cmd {
	cmd := exec.Command(h.cli, append([]string{"-chdir=" + h.dir}, args...)...)
	cmd.Env = h.env
	return cmd
}

func (h *cliHarness) run(args ...string) string {
	h.t.Helper()
	cmd := h.command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(h.cli), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// runCombined runs a command that must succeed and returns its combined
// output (stderr holds the logs).
func (h *cliHarness) runCombined(args ...string) string {
	h.t.Helper()
	out, err := h.command(args...).CombinedOutput()
	if err != nil {
		h.t.Fatalf("%s %s: %v\n%s", filepath.Base(h.cli), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// runFailing runs a command that must fail and returns its combined output.
func (h *cliHarness) runFailing(args ...string) string {
	h.t.Helper()
	out, err := h.command(args...).CombinedOutput()
	if err == nil {
		h.t.Fatalf("%s %s succeeded, want a failure:\n%s", filepath.Base(h.cli), strings.Join(args, " "), out)
	}
	return string(out)
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

// stateValuesJSON is the part of a state's values in `show -json` these
// tests read: the root module's resources.
type stateValuesJSON struct {
	RootModule struct {
		Resources []struct {
			Address         string         `json:"address"`
			Mode            string         `json:"mode"`
			Values          map[string]any `json:"values"`
			SensitiveValues map[string]any `json:"sensitive_values"`
		} `json:"resources"`
	} `json:"root_module"`
}

// planJSON is the part of `show -json <plan>` these tests read.
type planJSON struct {
	PriorState struct {
		Values stateValuesJSON `json:"values"`
	} `json:"prior_state"`
}

// showState is the state's values, from `show -json`.
func (h *cliHarness) showState() stateValuesJSON {
	h.t.Helper()
	var s struct {
		Values stateValuesJSON `json:"values"`
	}
	if err := json.Unmarshal([]byte(h.run("show", "-json")), &s); err != nil {
		h.t.Fatal(err)
	}
	return s.Values
}

func (h *cliHarness) showPlan(file string) planJSON {
	h.t.Helper()
	var p planJSON
	if err := json.Unmarshal([]byte(h.run("show", "-json", file)), &p); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

const presignedURLBlock = `
data "hostup_presigned_url" "test" {
  bucket = "media"
  key    = "k"
  action = "download"
}
`

// attemptsPattern finds a mention of retries in a diagnostic.
var attemptsPattern = regexp.MustCompile(`after\s+\d+\s+attempts|attempts:\s+\d+`)
