// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package emulatortest starts a HostUp emulator for the length of one test.
package emulatortest

import (
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// Start runs an emulator until the test ends; with no buckets configured it
// has one, "media".
func Start(t testing.TB, opts emulator.Options) *emulator.Emulator {
	t.Helper()
	if opts.Buckets == nil {
		opts.Buckets = []string{"media"}
	}
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}
