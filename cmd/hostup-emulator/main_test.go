// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

func TestCheckExpiresIn(t *testing.T) {
	for _, ok := range []time.Duration{time.Second, 15 * time.Minute, 7 * 24 * time.Hour} {
		if err := checkExpiresIn(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []time.Duration{0, -time.Second, 500 * time.Millisecond, 1500 * time.Millisecond, 7*24*time.Hour + time.Second} {
		if err := checkExpiresIn(bad); err == nil || !strings.Contains(err.Error(), "whole seconds from 1s to 168h") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// The banner names everything a provider configuration needs.
func TestBanner(t *testing.T) {
	for _, buckets := range [][]string{nil, {"demo", "logs"}} {
		opts := emulator.Options{Buckets: buckets, ExpiresIn: 15 * time.Minute}
		e := emulatortest.Start(t, opts)
		var out bytes.Buffer
		printBanner(&out, e, opts)
		for _, want := range []string{e.APIURL(), "HOSTUP_ENDPOINT", e.S3URL(), emulator.DefaultAPIKey, emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("banner lacks %q:\n%s", want, out.String())
			}
		}
		wantBuckets := "demo, logs"
		if buckets == nil {
			wantBuckets = "every presign request answers 404 until one is created"
		}
		if !strings.Contains(out.String(), wantBuckets) {
			t.Errorf("banner lacks %q:\n%s", wantBuckets, out.String())
		}
	}
}
