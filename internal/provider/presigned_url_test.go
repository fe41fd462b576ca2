// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// A content type the URL does not sign is reported, so nobody believes the
// URL enforces it.
func TestSetResultWarnsWhenContentTypeIsNotBound(t *testing.T) {
	for signed, wantWarning := range map[string]bool{"host": true, "content-type%3Bhost": false} {
		m := presignedURLModel{Action: types.StringValue("upload"), ContentType: types.StringValue("application/gzip")}
		p := &hostup.PresignedURL{
			URL: "https://s3.hostup.se/media/a.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260210%2Feu-north-1%2Fs3%2Faws4_request" +
				"&X-Amz-Date=20260210T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=" + signed + "&X-Amz-Signature=00ff&x-id=PutObject",
			ExpiresIn: 900, IssuedAt: time.Now(), RequestID: "r-1", Method: "PUT",
		}
		diags := m.setResult(context.Background(), issued{url: p.URL, method: p.Method, expiresIn: p.ExpiresIn, expiresAt: p.ExpiresAt(), requestID: p.RequestID})
		var warned bool
		for _, d := range diags {
			if d.Severity() == diag.SeverityWarning && strings.Contains(d.Summary(), "Does Not Bind the Content Type") {
				warned = true
			}
		}
		if warned != wantWarning || diags.HasError() {
			t.Errorf("signed headers %q: warning %v, want %v (%v)", signed, warned, wantWarning, diags)
		}
	}
}
