// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// version is set by the release build (goreleaser, -ldflags "-X main.version=...").
var version = "dev"

// memoryLimit is the provider's soft memory limit, unless GOMEMLIMIT sets
// another. When a CLI validates and reads a thousand data sources at once,
// the plugin libraries' per-call logging contexts briefly hold tens of MiB,
// and with Go's default the heap then doubles before the next collection
// (measured: 77 MiB peak RSS at 1000 URLs). With this limit the collector
// runs earlier instead (about 55 MiB); a lower one made the plan slower.
const memoryLimit = 52 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	var debugFlag bool
	flag.BoolVar(&debugFlag, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/hostup/hostup",
		Debug:   debugFlag,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
