// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Command floor serves the benchmark's framework floor (package
// internal/floor) as a provider plugin, for the CLI runs of make bench.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hostup/terraform-provider-hostup/cmd/hostup-bench/internal/floor"
)

func main() {
	err := providerserver.Serve(context.Background(), floor.New, providerserver.ServeOpts{Address: "registry.terraform.io/hostup/hostup"})
	if err != nil {
		log.Fatal(err)
	}
}
