// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"context"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// envChromium names the Chromium binary the browser tests run;
// scripts/chromium.sh installs one and the test scripts set it.
const envChromium = "HOSTUP_TEST_CHROMIUM"

// noChromium is why a browser test skips without Chromium. make test always
// gives one, and fails a run in which a test skips for want of a tool.
const noChromium = "this test runs Chromium, and there is none: run make test (or set " + envChromium + " to one)"

// requireChromium returns the Chromium to run, or skips the test.
func requireChromium(t *testing.T) string {
	t.Helper()
	if path := os.Getenv(envChromium); path != "" {
		return path
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip(noChromium)
	}
	return path
}

// The browser-upload example in a real browser: the page, served from a
// loopback origin the CORS rule allows, uploads through the presigned PUT
// URL with fetch and reads the object back; the bytes arrive with the bound
// content type. With the CORS rule removed the browser refuses the same
// upload and nothing is stored. Against the emulator, or a real Ceph RGW
// when make test-rgw names one (HOSTUP_TEST_S3_*); RGW has no HostUp API in
// front of it, so there the test makes the bucket through S3 and the example
// takes it with create_bucket = false.
func TestCLI_exampleBrowserUpload(t *testing.T) {
	chromium := requireChromium(t)
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	ep := tgt.Plain // http: Chromium does not trust the test certificate

	page := &pageServer{}
	origin := page.start(t)
	vars := []string{"-var", "origin=" + origin}
	bucket := "browser-uploads"
	var h *cliHarness
	puts := func() int { return -1 }
	if e := tgt.PlainEmulator; e != nil {
		h = newCLIHarness(t, e, "browser-upload", "1.5.0")
		h.useKeyPair(e)
		puts = func() int { return e.S3Requests()[emulator.OpPutObject] }
	} else {
		bucket = ep.Bucket(t, "browser")
		h = newCLIHarness(t, startEmulator(t, emulator.Options{Now: nowFunc()}), "browser-upload", "1.5.0")
		h.setEnv(provider.EnvS3Endpoint, ep.URL)
		h.setEnv(provider.EnvS3AccessKeyID, ep.AccessKey)
		h.setEnv(provider.EnvS3SecretAccessKey, ep.SecretKey)
		vars = append(vars, "-var", "create_bucket=false")
	}
	vars = append(vars, "-var", "bucket="+bucket)
	const key = "uploads/hello.txt"

	h.run(append([]string{"apply", "-auto-approve", "-no-color"}, vars...)...)
	page.set(h.run("output", "-raw", "page"))

	const first = "hello from the browser"
	dom := openInChromium(t, chromium, origin+"/?auto="+strings.ReplaceAll(first, " ", "+"))
	if got := elementText(dom, "result"); got != "uploaded 200" {
		t.Fatalf("with CORS: the page says %q, want %q\n%s", got, "uploaded 200", dom)
	}
	if got := elementText(dom, "readback"); got != first {
		t.Errorf("with CORS: the page read back %q, want %q", got, first)
	}
	if got, err := ep.Get(bucket, key); err != nil || string(got) != first {
		t.Fatalf("with CORS: stored %q (%v), want %q", got, err, first)
	}
	if ct := contentType(t, ep, bucket, key); ct != "text/plain" {
		t.Errorf("stored content type %q, want the bound text/plain", ct)
	}

	// Without the CORS rule the preflight is refused, so the browser never
	// sends the PUT.
	h.run(append([]string{"apply", "-auto-approve", "-no-color", "-var", "enable_cors=false"}, vars...)...)
	page.set(h.run("output", "-raw", "page"))
	before := puts()
	dom = openInChromium(t, chromium, origin+"/?auto=second+upload")
	if got, want := elementText(dom, "result"), "failed: TypeError: Failed to fetch"; got != want {
		t.Errorf("without CORS: the page says %q, want %q\n%s", got, want, dom)
	}
	if got, err := ep.Get(bucket, key); err != nil || string(got) != first {
		t.Errorf("without CORS: stored %q (%v), want the first upload %q unchanged", got, err, first)
	}
	if after := puts(); after != before {
		t.Errorf("without CORS: %d PUTs reached the server", after-before)
	}
}

// pageServer serves one HTML page at / on a free loopback port.
type pageServer struct {
	mu   sync.Mutex
	html string
}

// start serves the page until the test ends and returns its origin.
func (p *pageServer) start(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		p.mu.Lock()
		body := p.html
		p.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(body))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

func (p *pageServer) set(html string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.html = html
}

// openInChromium loads url in a fresh headless Chromium and returns the DOM
// once the page's scripts and their requests are done. The flags keep
// Chromium off the network but for the page's own requests.
func openInChromium(t *testing.T, chromium, url string) string {
	t.Helper()
	profile := t.TempDir() // a fresh profile: no preflight cached by an earlier run
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--virtual-time-budget=10000", "--dump-dom", url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", url, err, stderr.String())
	}
	return stdout.String()
}

// elementText is the text of the element with the given id in a dumped DOM.
func elementText(dom, id string) string {
	m := regexp.MustCompile(`<[a-z]+ id="` + regexp.QuoteMeta(id) + `">([^<]*)</`).FindStringSubmatch(dom)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// contentType is the Content-Type an object is stored with.
func contentType(t *testing.T, ep *s3test.Endpoint, bucket, key string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := ep.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("head %s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.ContentType)
}
