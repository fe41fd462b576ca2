// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// A deploy of many small files, the way a static site or a set of
// artifacts is written: hostup_object with for_each = fileset(...).

// deployPhase is what one step of a deploy cost: wall time, the provider
// process's peak RSS, and the S3 requests the emulator saw.
type deployPhase struct {
	secs, rssKiB []float64
	requests     []float64 // all S3 requests
	puts, heads  []float64 // PutObject (and UploadPart), HeadObject
}

func (p *deployPhase) add(secs float64, rssKiB int64, before, after map[string]int) {
	p.secs, p.rssKiB = append(p.secs, secs), append(p.rssKiB, float64(rssKiB))
	var all int
	for op, n := range after {
		all += n - before[op]
	}
	delta := func(ops ...string) (n int) {
		for _, op := range ops {
			n += after[op] - before[op]
		}
		return n
	}
	p.requests = append(p.requests, float64(all))
	p.puts = append(p.puts, float64(delta(emulator.OpPutObject, emulator.OpUploadPart)))
	p.heads = append(p.heads, float64(delta(emulator.OpHeadObject)))
}

// deployRuns are one tool's phases: from empty, again with nothing changed,
// and after one file changed the plan (the CLI only) and its apply.
type deployRuns struct{ empty, noop, changedPlan, changedApply deployPhase }

// writeSite writes n files of 1-64 KiB in ten folders under dir, the same
// sizes every run (a fixed seed), and returns their total size.
func writeSite(dir string, n int) int64 {
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // sizes and filler, not secrets
	var total int64
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("section-%d", i%10))
		if err := os.MkdirAll(sub, 0o750); err != nil {
			log.Fatal(err)
		}
		b := make([]byte, 1024+rng.IntN(63*1024))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("page-%04d.html", i)), b, 0o600); err != nil {
			log.Fatal(err)
		}
		total += int64(len(b))
	}
	return total
}

// flipOneFile rewrites one file of the site with new bytes of the same
// size, as an edit would; a second call restores it.
func flipOneFile(dir string) {
	name := filepath.Join(dir, "section-0", "page-0000.html")
	b, err := os.ReadFile(name)
	if err != nil {
		log.Fatal(err)
	}
	for i := range b {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		log.Fatal(err)
	}
}

// deploy compares, for n files: the provider's apply from empty, no-op
// plan, and plan and apply after one file changed, with the framework
// floor's resource (same schema, stores nothing) through the same CLI and
// configuration, and with rclone copy of the same directory (one process).
// With profile set, it then writes there a CPU profile of the provider
// processes of three more no-op plans.
func deploy(e *emulator.Emulator, b *bench, n, runs int, profile string) {
	site := filepath.Join(b.work, "site")
	total := writeSite(site, n)
	hcl := func(bucket string) string {
		return fmt.Sprintf(configHeader+`resource "hostup_object" "site" {
  for_each = fileset(%[1]q, "**")
  bucket   = %[2]q
  key      = "site/${each.value}"
  source   = "%[1]s/${each.value}"
}
`, site, bucket)
	}
	s3env := b.s3Env(e.S3URL())
	providerEnv, floorEnv := b.cliEnv("deploy-provider", b.plugin, s3env...), b.cliEnv("deploy-floor", b.floorPlugin, s3env...)

	var prov, fl, rc deployRuns
	measure := func(p *deployPhase, cmd *exec.Cmd, env []string, okCodes ...int) {
		before := e.S3Requests()
		secs, rss := timed(cmd, env, okCodes...)
		p.add(secs, rss, before, e.S3Requests())
	}
	// The CLI's three phases in dir: apply from empty, a plan that must
	// find nothing to do (then afterNoop, when set), and after one file
	// changed a plan that must find it, then its apply.
	cliPhases := func(r *deployRuns, dir string, env []string, floor bool, afterNoop func()) {
		measure(&r.empty, exec.Command(b.cli, "-chdir="+dir, "apply", "-auto-approve", "-no-color", "-lock=false"), env)
		measure(&r.noop, exec.Command(b.cli, "-chdir="+dir, "plan", "-detailed-exitcode", "-no-color", "-lock=false"), env)
		if afterNoop != nil {
			afterNoop()
		}
		flipOneFile(site)
		defer flipOneFile(site)
		// The floor reads no file, so it sees no change: its figure is the
		// cost of the same plan with nothing to do.
		changed := 2
		if floor {
			changed = 0
		}
		measure(&r.changedPlan, exec.Command(b.cli, "-chdir="+dir, "plan", "-detailed-exitcode", "-no-color", "-lock=false", "-out=changed.tfplan"), env, changed)
		measure(&r.changedApply, exec.Command(b.cli, "-chdir="+dir, "apply", "-no-color", "-lock=false", "changed.tfplan"), env)
	}
	for r := 0; r < runs; r++ { // interleaved, so drift affects all alike
		bucket := fmt.Sprintf("deploy-%d", r)
		if err := e.AddBucket(bucket); err != nil {
			log.Fatal(err)
		}
		dir := writeConfig(b.work, fmt.Sprintf("deploy-provider-%d", r), hcl(bucket))
		var afterNoop func()
		if profile != "" && r == runs-1 {
			afterNoop = func() { profileNoopPlans(b, dir, s3env, profile) }
		}
		cliPhases(&prov, dir, providerEnv, false, afterNoop)
		cliPhases(&fl, writeConfig(b.work, fmt.Sprintf("deploy-floor-%d", r), hcl(bucket)), floorEnv, true, nil)

		env, dest := b.rcloneEnv(e.S3URL()), fmt.Sprintf("hostup:%s/rclone/", bucket)
		measure(&rc.empty, exec.Command(b.rclone, "copy", site, dest), env)
		measure(&rc.noop, exec.Command(b.rclone, "copy", site, dest), env)
		flipOneFile(site)
		measure(&rc.changedApply, exec.Command(b.rclone, "copy", site, dest), env)
		flipOneFile(site)
	}

	fmt.Printf("\n6. Deploying %d files of 1-64 KiB (%.1f MiB) with hostup_object and for_each = fileset(), through the CLI,\n", n, float64(total)/(1<<20))
	fmt.Println("   vs the framework floor resource (same schema, stores nothing, reads no file) and rclone copy of the same")
	fmt.Println("   directory (one process); seconds, then S3 requests as the emulator saw them (all/PUT/HEAD) and the provider's peak RSS")
	fmt.Printf("   %-36s %9s %9s %8s %9s %11s   %-16s %-16s %12s\n", "", "provider", "fw floor", "ratio", "rclone", "prov/rclone", "provider req", "rclone req", "provider RSS")
	requests := func(p *deployPhase) string {
		return fmt.Sprintf("%.0f/%.0f/%.0f", median(p.requests), median(p.puts), median(p.heads))
	}
	row := func(name string, p, f, c *deployPhase) {
		ps, fs := median(p.secs), median(f.secs)
		rclone, ratio, creq := "", "", ""
		if len(c.secs) > 0 {
			rclone, ratio, creq = fmt.Sprintf("%.2f", median(c.secs)), fmt.Sprintf("%.1fx", ps/median(c.secs)), requests(c)
		}
		fmt.Printf("   %-36s %9.2f %9.2f %7.3fx %9s %11s   %-16s %-16s %8.1f MiB\n", name, ps, fs, ps/fs, rclone, ratio, requests(p), creq, median(p.rssKiB)/1024)
	}
	row("apply from empty (target 1.3x)", &prov.empty, &fl.empty, &rc.empty)
	row("plan, nothing changed (target 1.15x)", &prov.noop, &fl.noop, &rc.noop)
	row("plan, one file changed", &prov.changedPlan, &fl.changedPlan, &rc.changedPlan)
	row("apply of that plan (rclone: copy)", &prov.changedApply, &fl.changedApply, &rc.changedApply)
	fmt.Println("   (rclone's second row is a copy with nothing changed; the floor sees no changed file, so it plans nothing)")
}

// profileNoopPlans runs three no-op plans in dir with the provider built
// to profile itself, and merges the profiles of its processes into profile.
func profileNoopPlans(b *bench, dir string, s3env []string, profile string) {
	profiles := filepath.Join(b.work, "profiles")
	if err := os.MkdirAll(profiles, 0o750); err != nil {
		log.Fatal(err)
	}
	env := b.cliEnv("deploy-profiled", build(filepath.Join(b.work, "profiled-plugins"), "./cmd/hostup-bench/profiled"),
		append(s3env, "HOSTUP_BENCH_CPUPROFILE_DIR="+profiles)...)
	for range 3 {
		timed(exec.Command(b.cli, "-chdir="+dir, "plan", "-detailed-exitcode", "-no-color", "-lock=false"), env)
	}
	files, _ := filepath.Glob(filepath.Join(profiles, "*.pprof"))
	merge := exec.Command("go", append([]string{"tool", "pprof", "-proto", "-output", profile}, files...)...)
	if out, err := merge.CombinedOutput(); err != nil {
		log.Fatalf("merging %d profiles: %v\n%s", len(files), err, out)
	}
}
