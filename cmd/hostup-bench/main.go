// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Command hostup-bench measures the provider against its floors, in one run,
// against a local HostUp emulator over TLS on loopback (make bench):
//
//  1. In process: a full ReadDataSource through the protocol-6 provider
//     server versus the same read of the framework floor (internal/floor: a
//     framework data source of the same schema that returns constants) and
//     versus the bare client's presign call (ns/op, allocs/op).
//  2. Through the CLI: wall time of plan for N presigned URLs (a for_each
//     data source) versus the same plan served by the framework floor, and
//     versus N built-in terraform_data nodes, interleaved runs.
//  3. New connections and TLS handshakes the emulator saw per CLI run.
//  4. Peak RSS of the provider process at the largest N.
//  5. Uploading a large file with hostup_object (apply) versus curl
//     --upload-file through a presigned PUT URL, and the provider's peak RSS.
//
// Every figure is the median of -runs runs.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hostup/terraform-provider-hostup/cmd/hostup-bench/internal/floor"
	"github.com/hostup/terraform-provider-hostup/internal/cliconfig"
	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

func main() {
	var (
		cli           = flag.String("cli", "bin/tofu", "terraform or tofu binary")
		runs          = flag.Int("runs", 5, "runs per figure (the median is reported)")
		sizes         = flag.String("n", "1,100,1000", "numbers of presigned URLs for the CLI runs (empty skips them)")
		plugin        = flag.String("provider", "", "provider binary (built from this module when empty)")
		prof          = flag.String("cpuprofile", "", "write a CPU profile of the in-process part here")
		inProcessOnly = flag.Bool("in-process-only", false, "skip the CLI runs")
		cliOnly       = flag.Bool("cli-only", false, "skip the in-process part")
		uploadMiB     = flag.Int("upload-mib", 1024, "size of the hostup_object upload compared with curl (0 skips it)")
		deployFiles   = flag.Int("deploy-files", 1000, "files in the deploy compared with the floor resource and rclone (0 skips it)")
		deployRuns    = flag.Int("deploy-runs", 3, "runs of the deploy (each is several minutes at 1000 files)")
		shapedMiB     = flag.Int("shaped-mib", 1024, "size of the uploads over the shaped link (0 skips them)")
		shapedRuns    = flag.Int("shaped-runs", 3, "runs of each upload over the shaped link")
		rclone        = flag.String("rclone", "bin/rclone", "rclone binary (make bench builds the one pinned in tools/rclone)")
		aws           = flag.String("aws", "/usr/bin/aws", "AWS CLI binary (Debian's awscli)")
		noopProfile   = flag.String("noop-profile", "", "write a CPU profile of the provider during the deploy's no-op plans here")
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
	if !*cliOnly {
		inProcess(e, *runs)
	}
	if *prof != "" {
		pprof.StopCPUProfile()
	}
	if *inProcessOnly {
		return
	}

	b := &bench{work: work, cli: absCLI, certFile: certFile, plugin: *plugin,
		floorPlugin: build(filepath.Join(work, "floor-plugins"), "./cmd/hostup-bench/floor"),
		rclone:      absPath(*rclone), aws: *aws}
	if b.plugin == "" {
		b.plugin = build(filepath.Join(work, "plugins"), ".")
	}
	var ns []int
	for _, s := range strings.FieldsFunc(*sizes, func(r rune) bool { return r == ',' }) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			log.Fatalf("bad -n %q", s)
		}
		ns = append(ns, n)
	}
	if len(ns) > 0 {
		throughCLI(e, b, ns, *runs)
	}
	if *uploadMiB > 0 {
		upload(e, b, *uploadMiB, *runs)
	}
	if *deployFiles > 0 {
		deploy(e, b, *deployFiles, *deployRuns, *noopProfile)
	}
	if *shapedMiB > 0 {
		shaped(e, b, *shapedMiB, *shapedRuns)
	}
}

// bench is what the CLI runs share: the CLI, the provider and floor
// plugins, the peers' binaries, and the work folder.
type bench struct {
	cli, plugin, floorPlugin, rclone, aws string
	work, certFile                        string
}

// build builds pkg as a provider plugin in dir and returns its path.
func build(dir, pkg string) string {
	out := filepath.Join(dir, "terraform-provider-hostup")
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("building %s: %v", pkg, err)
	}
	return out
}

func absPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		log.Fatal(err)
	}
	return abs
}

// cliEnv is the environment of a CLI run that uses the provider plugin at
// pluginPath (dev overrides in a CLI config of its own), plus extra.
func (b *bench) cliEnv(name, pluginPath string, extra ...string) []string {
	rc := filepath.Join(b.work, name+".tfrc")
	if err := os.WriteFile(rc, []byte(cliconfig.DevOverrides(filepath.Dir(pluginPath))), 0o600); err != nil {
		log.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "SSL_CERT_FILE="+b.certFile)
	return append(env, extra...)
}

// s3Env configures the provider's key pair and S3 endpoint.
func (b *bench) s3Env(endpoint string) []string {
	return []string{"HOSTUP_S3_ACCESS_KEY_ID=" + emulator.DefaultAccessKeyID, "HOSTUP_S3_SECRET_ACCESS_KEY=" + emulator.DefaultSecretAccessKey,
		"HOSTUP_S3_ENDPOINT=" + endpoint}
}

// inProcess compares ReadDataSource through the provider server with the
// bare client call, each against the emulator, each URL distinct (no cache).
func inProcess(e *emulator.Emulator, runs int) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		log.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		log.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	// The value types come from the provider's own schema, so the bench never
	// drifts from it.
	cfg := objectValue(schemas.Provider, map[string]tftypes.Value{
		"api_key":  tftypes.NewValue(tftypes.String, emulator.DefaultAPIKey),
		"endpoint": tftypes.NewValue(tftypes.String, e.APIURL()),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "bench", Config: cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		log.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}

	// The same provider with an S3 key pair: it signs locally, no API call.
	localServer, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		log.Fatal(err)
	}
	localCfg := objectValue(schemas.Provider, map[string]tftypes.Value{
		"s3_access_key_id":     tftypes.NewValue(tftypes.String, emulator.DefaultAccessKeyID),
		"s3_secret_access_key": tftypes.NewValue(tftypes.String, emulator.DefaultSecretAccessKey),
		"s3_endpoint":          tftypes.NewValue(tftypes.String, e.S3URL()),
	})
	if r, err := localServer.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "bench", Config: localCfg}); err != nil || len(r.Diagnostics) > 0 {
		log.Fatalf("configure with a key pair: %v %v", err, r.Diagnostics)
	}

	floorServer, err := providerserver.NewProtocol6WithError(floor.New())()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := floorServer.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "bench", Config: cfg}); err != nil {
		log.Fatal(err)
	}

	var seq atomic.Int64
	config := func(key string) *tfprotov6.DynamicValue {
		return objectValue(schemas.DataSourceSchemas["hostup_presigned_url"], map[string]tftypes.Value{
			"bucket": tftypes.NewValue(tftypes.String, "bench"),
			"key":    tftypes.NewValue(tftypes.String, key),
			"action": tftypes.NewValue(tftypes.String, "download"),
		})
	}
	reads := func(server tfprotov6.ProviderServer) func(b *testing.B) {
		return func(b *testing.B) {
			configs := make([]*tfprotov6.DynamicValue, b.N)
			for i := range configs {
				configs[i] = config(fmt.Sprintf("objects/read-%d-%d.bin", seq.Add(1), i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hostup_presigned_url", Config: configs[i]})
				if err != nil || len(r.Diagnostics) > 0 {
					log.Fatalf("read: %v %s", err, describe(r.Diagnostics))
				}
			}
		}
	}
	readDataSource, readFloor, readLocal := reads(server), reads(floorServer), reads(localServer)

	// The same URL every time: the client's cache answers, so this is the
	// framework's and the provider's own cost per read, without the API.
	cachedRead := func(b *testing.B) {
		cfg := config("objects/cached.bin")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hostup_presigned_url", Config: cfg})
			if err != nil || len(r.Diagnostics) > 0 {
				log.Fatalf("read: %v %s", err, describe(r.Diagnostics))
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
			if _, err := client.Presign(ctx, hostup.PresignInput{Bucket: "bench", Key: keys[i], Action: presignedurl.Download}); err != nil {
				log.Fatal(err)
			}
		}
	}

	var readNs, readAllocs, bareNs, bareAllocs, cachedNs, cachedAllocs, floorNs, floorAllocs, localNs, localAllocs []float64
	for r := 0; r < runs; r++ { // interleaved, so drift affects all alike
		fl := testing.Benchmark(readFloor)
		floorNs, floorAllocs = append(floorNs, float64(fl.NsPerOp())), append(floorAllocs, float64(fl.AllocsPerOp()))
		lo := testing.Benchmark(readLocal)
		localNs, localAllocs = append(localNs, float64(lo.NsPerOp())), append(localAllocs, float64(lo.AllocsPerOp()))
		rd := testing.Benchmark(readDataSource)
		bc := testing.Benchmark(bareClient)
		cr := testing.Benchmark(cachedRead)
		cachedNs, cachedAllocs = append(cachedNs, float64(cr.NsPerOp())), append(cachedAllocs, float64(cr.AllocsPerOp()))
		readNs, readAllocs = append(readNs, float64(rd.NsPerOp())), append(readAllocs, float64(rd.AllocsPerOp()))
		bareNs, bareAllocs = append(bareNs, float64(bc.NsPerOp())), append(bareAllocs, float64(bc.AllocsPerOp()))
	}
	fmt.Println("1. In process: one ReadDataSource through the protocol-6 server")
	fmt.Printf("   %-52s %12s %12s\n", "", "ns/op", "allocs/op")
	fmt.Printf("   %-52s %12.0f %12.0f\n", "framework floor (same schema, constant result)", median(floorNs), median(floorAllocs))
	fmt.Printf("   %-52s %12.0f %12.0f\n", "provider, cached URL (no API call)", median(cachedNs), median(cachedAllocs))
	fmt.Printf("   %-52s %12.2fx %11.2fx\n", "  provider (cached) / framework floor", median(cachedNs)/median(floorNs), median(cachedAllocs)/median(floorAllocs))
	fmt.Printf("   %-52s %12.0f %12.0f\n", "provider, signed locally (key pair, every URL distinct)", median(localNs), median(localAllocs))
	fmt.Printf("   %-52s %12.2fx %11.2fx\n", "  provider (local) / framework floor (target 1.2x)", median(localNs)/median(floorNs), median(localAllocs)/median(floorAllocs))
	fmt.Printf("   %-52s %12.0f %12.0f\n", "provider, every URL distinct (API call to the emulator)", median(readNs), median(readAllocs))
	fmt.Printf("   %-52s %12.0f %12.0f\n", "bare client Presign (the API call alone)", median(bareNs), median(bareAllocs))
	fmt.Printf("   %-52s %12.2fx %11.2fx\n", "  provider / (framework floor + bare client)", median(readNs)/(median(floorNs)+median(bareNs)),
		median(readAllocs)/(median(floorAllocs)+median(bareAllocs)))
	fmt.Println()
}

// objectValue is a block's value of schema's type: the given attributes, and
// null for every other one.
func objectValue(schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	typ, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		log.Fatalf("schema type %s is not an object", schema.ValueType())
	}
	values := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(t, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		log.Fatal(err)
	}
	return &dv
}

type cliResult struct {
	ds, local, fw     []float64 // seconds: provider through the API, provider signing locally, framework floor
	floor             []float64 // seconds: terraform_data
	conns, handshakes []float64
	providerPeakRSS   []float64 // KiB
	apiRequests       []float64
}

func throughCLI(e *emulator.Emulator, b *bench, ns []int, runs int) {
	api := []string{"HOSTUP_API_KEY=" + emulator.DefaultAPIKey, "HOSTUP_ENDPOINT=" + e.APIURL()}
	env, floorEnv := b.cliEnv("provider", b.plugin, api...), b.cliEnv("floor", b.floorPlugin, api...)
	localEnv := b.cliEnv("local", b.plugin, append(api, b.s3Env(e.S3URL())...)...)
	cli, work := b.cli, b.work

	fmt.Println("2-4. Through the CLI: plan wall time of N URLs, the provider vs the framework floor (same schema, constant")
	fmt.Println("     result) and vs N built-in terraform_data nodes; connections, handshakes and API requests as the emulator saw them")
	fmt.Println("     (provider: through the API; local: signing with a key pair; ratios to the framework floor)")
	fmt.Printf("   %6s %10s %10s %8s %12s %10s %8s %10s %8s %8s %6s %11s %12s\n", "N", "provider", "fw floor", "ratio", "ms/URL extra", "local", "ratio", "tf_data", "ratio", "API req", "conns", "handshakes", "provider RSS")
	for _, n := range ns {
		dsDir := writeConfig(work, fmt.Sprintf("ds-%d", n), fmt.Sprintf(configHeader+`data "hostup_presigned_url" "u" {
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
			wsecs, _ := plan(cli, dsDir, floorEnv)
			res.fw = append(res.fw, wsecs)
			lsecs, _ := plan(cli, dsDir, localEnv)
			res.local = append(res.local, lsecs)
			fsecs, _ := plan(cli, floorDir, env)
			res.floor = append(res.floor, fsecs)
		}
		ds, local, fw, floor := median(res.ds), median(res.local), median(res.fw), median(res.floor)
		fmt.Printf("   %6d %10.3f %10.3f %7.3fx %12.3f %10.3f %7.3fx %10.3f %7.3fx %8.0f %6.0f %11.0f %8.1f MiB\n",
			n, ds, fw, ds/fw, (ds-fw)*1000/float64(n), local, local/fw, floor, ds/floor, median(res.apiRequests), median(res.conns), median(res.handshakes), median(res.providerPeakRSS)/1024)
	}
}

// configHeader starts every configuration of the provider the bench runs.
const configHeader = `terraform {
  required_providers {
    hostup = { source = "hostup/hostup" }
  }
}
provider "hostup" {}
`

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
	return timed(exec.Command(cli, "-chdir="+dir, "plan", "-no-color", "-refresh=false", "-lock=false"), env)
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

// describe prints diagnostics for a fatal log line.
func describe(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s: %s] ", d.Summary, d.Detail)
	}
	return b.String()
}

// randomFile writes sizeMiB of random bytes to name and returns name.
func randomFile(name string, sizeMiB int) string {
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < sizeMiB; i++ {
		_, _ = rand.Read(chunk)
		if _, err := f.Write(chunk); err != nil {
			log.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	return name
}

// timed runs cmd to completion and returns its wall time and the provider
// process's peak RSS in KiB. An exit code other than okCodes (0 when none
// is given) is fatal.
func timed(cmd *exec.Cmd, env []string, okCodes ...int) (float64, int64) {
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
	if len(okCodes) == 0 {
		okCodes = []int{0}
	}
	if code := cmd.ProcessState.ExitCode(); !slices.Contains(okCodes, code) {
		log.Fatalf("%s %s: exit code %d (%v), want %v\n%s", filepath.Base(cmd.Args[0]), cmd.Args[1], code, err, okCodes, out.String()) // later arguments may hold a presigned URL
	}
	return elapsed, <-peak
}
