// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

// The default content type comes from the provider's own table, so these
// hold on every machine, whatever MIME tables it has installed.
func TestDefaultContentType(t *testing.T) {
	for key, want := range map[string]string{
		"releases/app-1.4.2.tar.gz": "application/gzip",
		"README.md":                 "text/markdown; charset=utf-8",
		"config/app.YAML":           "application/yaml",
		"pyproject.toml":            "application/toml",
		"site/index.html":           "text/html; charset=utf-8",
		"data.json":                 "application/json",
		"noext":                     "application/octet-stream",
		"archive.unknownext":        "application/octet-stream",
		"dir.d/file":                "application/octet-stream",
	} {
		if got := defaultContentType(key); got != want {
			t.Errorf("defaultContentType(%q) = %q, want %q", key, got, want)
		}
	}
}
