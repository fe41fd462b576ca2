// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Command hostup-bench measures the provider against its floors, in one run,
// against a local HostUp emulator over TLS on loopback (make bench):
//
//  1. In process: a full ReadDataSource through the protocol-6 provider
//     server versus the bare client's presign call (ns/op, allocs/op).
//  2. Through the CLI: wall time of plan for N presigned URLs (a for_each
//     data source) versus N terraform_data nodes, interleaved runs.
//  3. New connections and TLS handshakes the emulator saw per CLI run.
//  4. Peak RSS of the provider process at the largest N.
//
// Every figure is the median of -runs runs.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

func main() {
	var (
		cli    = flag.String("cli", "bin/tofu", "terraform or tofu binary")
		runs   = flag.Int("runs", 5, "runs per figure (the median is reported)")
		sizes  = flag.String("n", "1,100,1000", "numbers of presigned URLs for the CLI runs")
		plugin = flag.String("provider", "", "provider binary (built from this module when empty)")
		prof   = flag.String("cpuprofile", "", "write a CPU profile of the in-process part here")
		only   = flag.Bool("in-process-only", false, "skip the CLI runs")
		skipIn = flag.Bool("cli-only", false, "skip the in-process part")
	)
	flag.Parse()
	log.SetFlags(0)

	work, err := os.MkdirTemp("", "hostup-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	e, err := emulator.New(emulator.Options{TLS: true, Buckets: []string{"bench"}})
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(); err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	certFile := filepath.Join(work, "emulator-ca.pem")
	if err := os.WriteFile(certFile, e.CertPEM(), 0o600); err != nil {
		log.Fatal(err)
	}
	// Before any TLS connection of this process: Go reads it once.
	os.Setenv("SSL_CERT_FILE", certFile)

	absCLI, err := filepath.Abs(*cli)
	if err != nil {
		log.Fatal(err)
	}
	version := firstLine(exec.Command(absCLI, "version"))
	fmt.Printf("HostUp provider benchmark, %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Printf("CLI: %s; machine: %s, %d cores, %s/%s; emulator over TLS on loopback; medians of %d runs\n\n",
		version, cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, *runs)

	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	if !*skipIn {
		inProcess(e, *runs)
	}
	if *prof != "" {
		pprof.StopCPUProfile()
	}
	if *only {
		return
	}

	if *plugin == "" {
		*plugin = filepath.Join(work, "plugins", "terraform-provider-hostup")
		build := exec.Command("go", "build", "-o", *plugin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			log.Fatalf("building the provider: %v", err)
		}
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			log.Fatalf("bad -n %q", s)
		}
		ns = append(ns, n)
	}
	throughCLI(e, absCLI, *plugin, certFile, work, ns, *runs)
}

// inProcess compares ReadDataSource through the provider server with the
// bare client call, each against the emulator, each URL distinct (no cache).
func inProcess(e *emulator.Emulator, runs int) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		log.Fatal(err)
	}
	providerType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"api_key": tftypes.String, "endpoint": tftypes.String, "max_retries": tftypes.Number, "request_timeout": tftypes.String,
	}}
	cfg, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, map[string]tftypes.Value{
		"api_key":         tftypes.NewValue(tftypes.String, emulator.DefaultAPIKey),
		"endpoint":        tftypes.NewValue(tftypes.String, e.APIURL()),
		"max_retries":     tftypes.NewValue(tftypes.Number, nil),
		"request_timeout": tftypes.NewValue(tftypes.String, nil),
	}))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.12.6", Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		log.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}

	dsType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"bucket": tftypes.String, "key": tftypes.String, "action": tftypes.String, "content_type": tftypes.String,
		"url": tftypes.String, "expires_in": tftypes.Number, "expires_at": tftypes.String, "http_method": tftypes.String,
		"required_headers": tftypes.Map{ElementType: tftypes.String}, "request_id": tftypes.String,
	}}
	var seq atomic.Int64
	config := func(key string) *tfprotov6.DynamicValue {
		null := func(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, nil) }
		dv, err := tfprotov6.NewDynamicValue(dsType, tftypes.NewValue(dsType, map[string]tftypes.Value{
			"bucket": tftypes.NewValue(tftypes.String, "bench"), "key": tftypes.NewValue(tftypes.String, key),
			"action": tftypes.NewValue(tftypes.String, "download"), "content_type": null(tftypes.String),
			"url": null(tftypes.String), "expires_in": null(tftypes.Number), "expires_at": null(tftypes.String),
			"http_method": null(tftypes.String), "required_headers": null(tftypes.Map{ElementType: tftypes.String}),
			"request_id": null(tftypes.String),
		}))
		if err != nil {
			log.Fatal(err)
		}
		return &dv
	}
	readDataSource := func(b *testing.B) {
		configs := make([]*tfprotov6.DynamicValue, b.N)
		for i := range configs {
			configs[i] = config(fmt.Sprintf("objects/read-%d-%d.bin", seq.Add(1), i))
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hostup_presigned_url", Config: configs[i]})
			if err != nil || len(r.Diagnostics) > 0 {
				b.Fatalf("read: %v %v", err, r.Diagnostics)
			}
		}
	}

	// The same URL every time: the client's cache answers, so this is the
	// framework's and the provider's own cost per read, without the API.
	cachedRead := func(b *testing.B) {
		cfg := config("objects/cached.bin")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hostup_presigned_url", Config: cfg})
			if err != nil || len(r.Diagnostics) > 0 {
				b.Fatalf("read: %v %v", err, r.Diagnostics)
			}
		}
	}

	client, err := hostup.NewClient(hostup.Config{Endpoint: e.APIURL(), APIKey: emulator.DefaultAPIKey})
	if err != nil {
		log.Fatal(err)
	}
	bareClient := func(b *testing.B) {
		keys := make([]string, b.N)
		for i := range keys {
			keys[i] = fmt.Sprintf("objects/bare-%d-%d.bin", seq.Add(1), i)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := client.Presign(ctx, hostup.PresignInput{Bucket: "bench", Key: keys[i], Action: hostup.ActionDownload}); err != nil {
				b.Fatal(err)
			}
		}
	}

	var readNs, readAllocs, bareNs, bareAllocs, cachedNs, cachedAllocs []float64
	for r := 0; r < runs; r++ { // interleaved, so drift affects both alike
		rd := testing.Benchmark(readDataSource)
		bc := testing.Benchmark(bareClient)
		cr := testing.Benchmark(cachedRead)
		cachedNs, cachedAllocs = append(cachedNs, float64(cr.NsPerOp())), append(cachedAllocs, float64(cr.AllocsPerOp()))
		readNs, readAllocs = append(readNs, float64(rd.NsPerOp())), append(readAllocs, float64(rd.AllocsPerOp()))
		bareNs, bareAllocs = append(bareNs, float64(bc.NsPerOp())), append(bareAllocs, float64(bc.AllocsPerOp()))
	}
	fmt.Println("1. In process (target: ReadDataSource at most 1.5x the bare client)")
	fmt.Printf("   %-44s %12s %12s\n", "", "ns/op", "allocs/op")
	fmt.Printf("   %-44s %12.0f %12.0f\n", "ReadDataSource via the protocol-6 server", median(readNs), median(readAllocs))
	fmt.Printf("   %-44s %12.0f %12.0f\n", "bare client Presign", median(bareNs), median(bareAllocs))
	fmt.Printf("   %-44s %12.2fx %11.2fx\n", "ratio", median(readNs)/median(bareNs), median(readAllocs)/median(bareAllocs))
	fmt.Printf("   %-44s %12.0f %12.0f\n\n", "ReadDataSource of a cached URL (no API call)", median(cachedNs), median(cachedAllocs))
}

type cliResult struct {
	ds, floor         []float64 // seconds
	conns, handshakes []float64
	providerPeakRSS   []float64 // KiB
	apiRequests       []float64
}

func throughCLI(e *emulator.Emulator, cli, plugin, certFile, work string, ns []int, runs int) {
	rc := filepath.Join(work, "cli.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.opentofu.org/hostup/hostup\" = %q\n    \"registry.terraform.io/hostup/hostup\" = %q\n  }\n  direct {}\n}\n",
		filepath.Dir(plugin), filepath.Dir(plugin))
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		log.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"HOSTUP_API_KEY="+emulator.DefaultAPIKey, "HOSTUP_ENDPOINT="+e.APIURL(), "SSL_CERT_FILE="+certFile)

	fmt.Println("2-4. Through the CLI: plan wall time, data source vs terraform_data (targets at N=1000: <= 1.05x, <= 10 new connections, provider peak RSS <= 64 MiB)")
	fmt.Printf("   %6s %12s %12s %8s %14s %8s %10s %12s %14s\n", "N", "data (s)", "floor (s)", "ratio", "ms/URL extra", "API req", "new conns", "handshakes", "provider RSS")
	for _, n := range ns {
		dsDir := writeConfig(work, fmt.Sprintf("ds-%d", n), fmt.Sprintf(`terraform {
  required_providers {
    hostup = { source = "hostup/hostup" }
  }
}
provider "hostup" {}
data "hostup_presigned_url" "u" {
  for_each = toset([for i in range(%d) : tostring(i)])
  bucket   = "bench"
  key      = "artifacts/${each.key}.tar.gz"
  action   = "download"
}
`, n))
		floorDir := writeConfig(work, fmt.Sprintf("floor-%d", n), fmt.Sprintf(`resource "terraform_data" "u" {
  for_each = toset([for i in range(%d) : tostring(i)])
  input    = "artifacts/${each.key}.tar.gz"
}
`, n))
		var res cliResult
		for r := 0; r < runs; r++ {
			before := e.Counters()
			secs, rss := plan(cli, dsDir, env)
			after := e.Counters()
			res.ds = append(res.ds, secs)
			res.providerPeakRSS = append(res.providerPeakRSS, float64(rss))
			res.conns = append(res.conns, float64(after.Connections-before.Connections))
			res.handshakes = append(res.handshakes, float64(after.TLSHandshakes-before.TLSHandshakes))
			res.apiRequests = append(res.apiRequests, float64(after.APIRequests-before.APIRequests))
			fsecs, _ := plan(cli, floorDir, env)
			res.floor = append(res.floor, fsecs)
		}
		ds, floor := median(res.ds), median(res.floor)
		fmt.Printf("   %6d %12.3f %12.3f %7.3fx %14.3f %8.0f %10.0f %12.0f %11.1f MiB\n",
			n, ds, floor, ds/floor, (ds-floor)*1000/float64(n), median(res.apiRequests), median(res.conns), median(res.handshakes), median(res.providerPeakRSS)/1024)
	}
}

func writeConfig(work, name, hcl string) string {
	dir := filepath.Join(work, name)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		log.Fatal(err)
	}
	return dir
}

// plan runs `plan` once and returns its wall time and the provider
// process's peak RSS in KiB (0 when no provider ran).
func plan(cli, dir string, env []string) (float64, int64) {
	cmd := exec.Command(cli, "-chdir="+dir, "plan", "-no-color", "-refresh=false", "-lock=false")
	cmd.Env = env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() { peak <- watchProviderRSS(done) }()
	err := cmd.Wait()
	elapsed := time.Since(start).Seconds()
	close(done)
	if err != nil {
		log.Fatalf("plan in %s: %v\n%s", dir, err, out.String())
	}
	return elapsed, <-peak
}

// watchProviderRSS samples the peak RSS (VmHWM) of any running
// terraform-provider-hostup process until done, and returns the largest.
func watchProviderRSS(done <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if v := providerHWM(); v > peak {
			peak = v
		}
		select {
		case <-done:
			return peak
		case <-tick.C:
		}
	}
}

func providerHWM() int64 {
	entries, _ := os.ReadDir("/proc")
	var peak int64
	for _, d := range entries {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", d.Name(), "comm"))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "terraform-provi") {
			continue
		}
		f, err := os.Open(filepath.Join("/proc", d.Name(), "status"))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				peak = max(peak, kb)
			}
		}
		f.Close()
	}
	return peak
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func firstLine(cmd *exec.Cmd) string {
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null")
	out, _ := cmd.Output()
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}
