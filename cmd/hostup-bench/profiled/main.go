// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Command profiled serves the real provider, as the release binary does,
// and writes a CPU profile of the whole process to
// $HOSTUP_BENCH_CPUPROFILE_DIR/<pid>.pprof when the CLI shuts it down. make
// bench uses it to see where a plan's provider time goes; it is never
// shipped.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

func main() {
	debug.SetMemoryLimit(provider.MemoryLimit)
	f, err := os.Create(filepath.Join(os.Getenv("HOSTUP_BENCH_CPUPROFILE_DIR"), fmt.Sprintf("%d.pprof", os.Getpid())))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	err = providerserver.Serve(context.Background(), provider.New("profiled"), providerserver.ServeOpts{Address: "registry.terraform.io/hostup/hostup"})
	pprof.StopCPUProfile()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Fatal(err)
	}
}
