// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// The per-read work of the provider besides the API call and the framework
// (make bench measures the whole read).

func BenchmarkMaskSecrets(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = newSecrets("an-api-key").maskLogs(ctx)
	}
}

func BenchmarkSetResult(b *testing.B) {
	ctx := context.Background()
	p := &hostup.PresignedURL{
		URL:       "https://s3.hostup.se/media/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260210T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=00ff&x-id=PutObject",
		ExpiresIn: 900, IssuedAt: time.Now(), RequestID: "r", Method: "PUT",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var m presignedURLModel
		_ = m.setResult(ctx, issued{url: p.URL, method: p.Method, expiresIn: p.ExpiresIn, expiresAt: p.ExpiresAt(), requestID: p.RequestID})
	}
}
