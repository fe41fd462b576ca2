// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// The one place for masking: everything the provider writes to a log line or
// a diagnostic passes through secrets, so a credential never reaches the
// user's terminal, CI log or support ticket, even when an API message echoes
// it back.

// masked replaces every secret.
const masked = "***"

// secretFieldKeys are structured log fields whose values are always masked.
var secretFieldKeys = []string{"api_key", "url", "presigned_url", "x-api-key", "secret_access_key"}

// secrets is every credential one configured provider holds.
type secrets struct {
	values []string
}

func newSecrets(values ...string) secrets {
	var s secrets
	for _, v := range values {
		if v != "" {
			s.values = append(s.values, v)
		}
	}
	return s
}

// with returns s with more secrets, such as a key pair's secret learned
// after Configure.
func (s secrets) with(values ...string) secrets {
	return newSecrets(append(append([]string(nil), s.values...), values...)...)
}

// maskLogs returns ctx with the secrets and presigned URL credentials masked
// in the provider's root logger and its API and S3 subsystems. Log contexts do not
// outlive a single RPC, so every Configure, Read and Open calls it.
func (s secrets) maskLogs(ctx context.Context) context.Context {
	ctx = newSubsystems(ctx)
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, presignedurl.SecretPattern)
	ctx = tflog.MaskMessageRegexes(ctx, presignedurl.SecretPattern)
	if len(s.values) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, s.values...)
		ctx = tflog.MaskMessageStrings(ctx, s.values...)
	}
	for _, sub := range subsystems {
		ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, sub.name, secretFieldKeys...)
		ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, sub.name, presignedurl.SecretPattern)
		ctx = tflog.SubsystemMaskMessageRegexes(ctx, sub.name, presignedurl.SecretPattern)
		if len(s.values) > 0 {
			ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, sub.name, s.values...)
			ctx = tflog.SubsystemMaskMessageStrings(ctx, sub.name, s.values...)
		}
	}
	return ctx
}

// maskText hides the secrets and presigned URL credentials in text, keeping
// the parameter names so the text still says what was there.
func (s secrets) maskText(text string) string {
	for _, v := range s.values {
		text = strings.ReplaceAll(text, v, masked)
	}
	return presignedurl.SecretPattern.ReplaceAllString(text, "${1}"+masked)
}

// maskDiagnostics returns diags with every summary and detail masked,
// keeping severity and attribute path.
func (s secrets) maskDiagnostics(diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		summary, detail := s.maskText(d.Summary()), s.maskText(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			out = append(out, d)
			continue
		}
		withPath, hasPath := d.(diag.DiagnosticWithPath)
		switch {
		case hasPath && d.Severity() == diag.SeverityError:
			out = append(out, diag.NewAttributeErrorDiagnostic(withPath.Path(), summary, detail))
		case hasPath:
			out = append(out, diag.NewAttributeWarningDiagnostic(withPath.Path(), summary, detail))
		case d.Severity() == diag.SeverityError:
			out = append(out, diag.NewErrorDiagnostic(summary, detail))
		default:
			out = append(out, diag.NewWarningDiagnostic(summary, detail))
		}
	}
	return out
}
