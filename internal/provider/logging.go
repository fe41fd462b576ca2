// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// apiSubsystem is the tflog subsystem for HostUp API traffic. Enable it with
// TF_LOG_PROVIDER_HOSTUP_API=DEBUG.
const apiSubsystem = "hostup_api"

// presignedSecretPattern matches the credential parts of a SigV4 presigned
// URL (signature, access key credential, session token), in any case, raw or
// percent-encoded.
var presignedSecretPattern = regexp.MustCompile(`(?i)x-amz-(?:signature|credential|security-token)=[^&\s"'<>]*`)

// secretFieldKeys are structured log fields whose values are always masked.
var secretFieldKeys = []string{"api_key", "url", "presigned_url", "x-api-key"}

// maskSecrets returns ctx with the API key and presigned URL secrets masked
// in the provider's root logger and its API subsystem. Log contexts do not
// outlive a single RPC, so every Configure, Read and Open calls it.
func maskSecrets(ctx context.Context, apiKey string) context.Context {
	ctx = tflog.NewSubsystem(ctx, apiSubsystem)
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, apiSubsystem, secretFieldKeys...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, presignedSecretPattern)
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, apiSubsystem, presignedSecretPattern)
	ctx = tflog.MaskMessageRegexes(ctx, presignedSecretPattern)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, apiSubsystem, presignedSecretPattern)
	if apiKey != "" {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, apiKey)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, apiSubsystem, apiKey)
		ctx = tflog.MaskMessageStrings(ctx, apiKey)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, apiSubsystem, apiKey)
	}
	return ctx
}

// logAPICall records one finished API call in the API subsystem.
func logAPICall(ctx context.Context, ev hostup.RequestEvent) {
	fields := map[string]any{
		"method":      ev.Method,
		"path":        ev.Path,
		"status":      ev.StatusCode,
		"duration_ms": ev.Duration.Milliseconds(),
		"request_id":  ev.RequestID,
		"attempts":    ev.Attempts,
	}
	if ev.Err != nil {
		fields["error"] = ev.Err.Error()
		tflog.SubsystemWarn(ctx, apiSubsystem, "HostUp API call failed", fields)
		return
	}
	tflog.SubsystemDebug(ctx, apiSubsystem, "HostUp API call", fields)
}
