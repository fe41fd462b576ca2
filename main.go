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

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(provider.MemoryLimit)
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
