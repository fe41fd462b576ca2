// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

const (
	// apiSubsystem is the tflog subsystem for HostUp API traffic.
	apiSubsystem = "hostup_api"
	// envAPILogLevel sets the subsystem's level on its own, for example
	// TF_LOG_PROVIDER_HOSTUP_API=DEBUG to see API calls without the rest of
	// the provider's debug output.
	envAPILogLevel = "TF_LOG_PROVIDER_HOSTUP_API"
)

// newAPISubsystem adds the API subsystem to ctx, at the level of
// TF_LOG_PROVIDER_HOSTUP_API when that is set, else the provider's.
func newAPISubsystem(ctx context.Context) context.Context {
	return tflog.NewSubsystem(ctx, apiSubsystem, tflog.WithLevelFromEnv(envAPILogLevel))
}

// logAPICall records one finished API call in the API subsystem.
func logAPICall(ctx context.Context, ev hostup.RequestEvent) {
	logCall(ctx, apiSubsystem, "HostUp API call", ev.Err, callFields(ev.Method, ev.Path, ev.StatusCode, ev.Duration, ev.RequestID, ev.Attempts))
}

// callFields are the fields every logged call of either client has.
func callFields(method, path string, status int, d time.Duration, requestID string, attempts int) map[string]any {
	return map[string]any{
		"method":      method,
		"path":        path,
		"status":      status,
		"duration_ms": d.Milliseconds(),
		"request_id":  requestID,
		"attempts":    attempts,
	}
}

// logCall writes one finished call of either client to its subsystem: a
// debug line, or a warning with the error when it failed.
func logCall(ctx context.Context, subsystem, what string, err error, fields map[string]any) {
	if err != nil {
		fields["error"] = err.Error()
		tflog.SubsystemWarn(ctx, subsystem, what+" failed", fields)
		return
	}
	tflog.SubsystemDebug(ctx, subsystem, what, fields)
}

const (
	// s3Subsystem is the tflog subsystem for HostUp S3 traffic.
	s3Subsystem = "hostup_s3"
	// envS3LogLevel sets the S3 subsystem's level on its own, for example
	// TF_LOG_PROVIDER_HOSTUP_S3=DEBUG.
	envS3LogLevel = "TF_LOG_PROVIDER_HOSTUP_S3"
)

// newS3Subsystem adds the S3 subsystem to ctx, at the level of
// TF_LOG_PROVIDER_HOSTUP_S3 when that is set, else the provider's.
func newS3Subsystem(ctx context.Context) context.Context {
	return tflog.NewSubsystem(ctx, s3Subsystem, tflog.WithLevelFromEnv(envS3LogLevel))
}

// logS3Call records one finished S3 call in the S3 subsystem.
func logS3Call(ctx context.Context, ev hostups3.RequestEvent) {
	fields := callFields(ev.Method, ev.Path, ev.StatusCode, ev.Duration, ev.RequestID, ev.Attempts)
	fields["operation"] = ev.Operation
	logCall(ctx, s3Subsystem, "HostUp S3 call", ev.Err, fields)
}
