// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hostup/terraform-provider-hostup/internal/provider"
)

// version is set by the release build (goreleaser, -ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/hostup/hostup",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
