// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The one place for masking: everything the provider writes to a log line or
// a diagnostic passes through secrets, so a credential never reaches the
// user's terminal, CI log or support ticket, even when an API message echoes
// it back.

// masked replaces every secret.
const masked = "***"

// presignedSecretPattern matches the credential parts of a SigV4 presigned
// URL (signature, access key credential, session token), in any case, in a
// raw URL (X-Amz-Signature=...), a percent-encoded one
// (X-Amz-Signature%3D...) or a doubly encoded one. The value runs to the
// next parameter, raw (&), encoded (%26) or doubly encoded (%2526).
var presignedSecretPattern = regexp.MustCompile(`(?i)(x-amz-(?:signature|credential|security-token)(?:=|%3d|%253d))` +
	`(?:[^&%\s"'<>]|%(?:[013-9a-f][0-9a-f]|2[0-47-9a-f])|%25(?:[013-9a-f][0-9a-f]|2[0-57-9a-f]))*`)

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
// in the provider's root logger and its API subsystem. Log contexts do not
// outlive a single RPC, so every Configure, Read and Open calls it.
func (s secrets) maskLogs(ctx context.Context) context.Context {
	ctx = newAPISubsystem(ctx)
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, apiSubsystem, secretFieldKeys...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, presignedSecretPattern)
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, apiSubsystem, presignedSecretPattern)
	ctx = tflog.MaskMessageRegexes(ctx, presignedSecretPattern)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, apiSubsystem, presignedSecretPattern)
	if len(s.values) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, s.values...)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, apiSubsystem, s.values...)
		ctx = tflog.MaskMessageStrings(ctx, s.values...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, apiSubsystem, s.values...)
	}
	return ctx
}

// maskText hides the secrets and presigned URL credentials in text, keeping
// the parameter names so the text still says what was there.
func (s secrets) maskText(text string) string {
	for _, v := range s.values {
		text = strings.ReplaceAll(text, v, masked)
	}
	return presignedSecretPattern.ReplaceAllString(text, "${1}"+masked)
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
