// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// What blocks that name an object share: the key rule and its validators,
// and the default content type of a key.

// maxKeyBytes is S3's limit on a key's length.
const maxKeyBytes = 1024

// keyValidators check an object key at plan time.
func keyValidators() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, maxKeyBytes)}
}

// keyLeadingSlashValidator refuses an object key that starts with "/": S3
// stores the slash as part of the key, so the object's URLs carry "//" and
// "x.txt" and "/x.txt" are two objects. Almost always a path joined by hand.
func keyLeadingSlashValidator() validator.String {
	return stringCheck{
		description: "value must not start with /",
		summary:     "Object Key Starts With a Slash",
		problem: func(value string) string {
			if strings.HasPrefix(value, "/") {
				return fmt.Sprintf("The key %q starts with \"/\". S3 keeps the slash as part of the key, so the object would be a "+
					"different one from %q, and its URLs would carry \"//\". Remove the leading slash (for example with "+
					"trimprefix(..., \"/\")).", value, strings.TrimLeft(value, "/"))
			}
			return ""
		},
	}
}

// contentTypes is the provider's own table of default content types by
// extension. It is not the host's MIME tables (mime.TypeByExtension reads
// /etc/mime.types and friends), so a plan made on one machine means the same
// on every other: a saved plan applied elsewhere, or a CI runner with other
// packages installed, never finds a different content_type.
var contentTypes = map[string]string{
	".7z":    "application/x-7z-compressed",
	".avif":  "image/avif",
	".bin":   "application/octet-stream",
	".bz2":   "application/x-bzip2",
	".conf":  "text/plain; charset=utf-8",
	".crt":   "application/x-x509-ca-cert",
	".css":   "text/css; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".deb":   "application/vnd.debian.binary-package",
	".env":   "text/plain; charset=utf-8",
	".gif":   "image/gif",
	".gz":    "application/gzip",
	".htm":   "text/html; charset=utf-8",
	".html":  "text/html; charset=utf-8",
	".ico":   "image/vnd.microsoft.icon",
	".ini":   "text/plain; charset=utf-8",
	".iso":   "application/x-iso9660-image",
	".jar":   "application/java-archive",
	".jpeg":  "image/jpeg",
	".jpg":   "image/jpeg",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".log":   "text/plain; charset=utf-8",
	".map":   "application/json",
	".md":    "text/markdown; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".mp3":   "audio/mpeg",
	".mp4":   "video/mp4",
	".pdf":   "application/pdf",
	".pem":   "application/x-pem-file",
	".png":   "image/png",
	".ps1":   "text/plain; charset=utf-8",
	".py":    "text/x-python; charset=utf-8",
	".rpm":   "application/x-rpm",
	".sh":    "text/x-shellscript; charset=utf-8",
	".svg":   "image/svg+xml",
	".tar":   "application/x-tar",
	".tf":    "text/plain; charset=utf-8",
	".tgz":   "application/gzip",
	".toml":  "application/toml",
	".ttf":   "font/ttf",
	".txt":   "text/plain; charset=utf-8",
	".wasm":  "application/wasm",
	".webm":  "video/webm",
	".webp":  "image/webp",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".xml":   "application/xml",
	".xz":    "application/x-xz",
	".yaml":  "application/yaml",
	".yml":   "application/yaml",
	".zip":   "application/zip",
	".zst":   "application/zstd",
}

// defaultContentType is the type of the key's extension in contentTypes
// (case-insensitive; `.tar.gz` is gzip), else application/octet-stream.
func defaultContentType(key string) string {
	if t, ok := contentTypes[path.Ext(strings.ToLower(path.Base(key)))]; ok {
		return t
	}
	return "application/octet-stream"
}
