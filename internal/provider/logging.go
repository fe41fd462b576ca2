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

// The provider's tflog subsystems, one for each client's traffic.
const (
	apiSubsystem = "hostup_api"
	s3Subsystem  = "hostup_s3"
)

// subsystems are the tflog subsystems with the variable that sets each
// one's level on its own, for example TF_LOG_PROVIDER_HOSTUP_API=DEBUG to
// see API calls without the rest of the provider's debug output.
var subsystems = []struct{ name, levelEnv string }{
	{apiSubsystem, "TF_LOG_PROVIDER_HOSTUP_API"},
	{s3Subsystem, "TF_LOG_PROVIDER_HOSTUP_S3"},
}

// newSubsystems adds the subsystems to ctx, each at the level its variable
// sets when that is set, else the provider's.
func newSubsystems(ctx context.Context) context.Context {
	for _, sub := range subsystems {
		ctx = tflog.NewSubsystem(ctx, sub.name, tflog.WithLevelFromEnv(sub.levelEnv))
	}
	return ctx
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

// logS3Call records one finished S3 call in the S3 subsystem.
func logS3Call(ctx context.Context, ev hostups3.RequestEvent) {
	fields := callFields(ev.Method, ev.Path, ev.StatusCode, ev.Duration, ev.RequestID, ev.Attempts)
	fields["operation"] = ev.Operation
	logCall(ctx, s3Subsystem, "HostUp S3 call", ev.Err, fields)
}
