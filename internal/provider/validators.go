// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/net/http/httpguts"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// stringCheck is a plan-time string validator made of one function, for the
// checks terraform-plugin-framework-validators has no validator for. Like
// every validator it skips null and unknown values.
type stringCheck struct {
	description string
	summary     string
	// problem returns the diagnostic's detail (what is wrong and how to fix
	// it), or "" when value is valid.
	problem func(value string) string
}

var _ validator.String = stringCheck{}

func (c stringCheck) Description(_ context.Context) string { return c.description }

func (c stringCheck) MarkdownDescription(_ context.Context) string { return c.description }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if detail := c.problem(req.ConfigValue.ValueString()); detail != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, detail)
	}
}

// mediaTypeValidator checks that a string is a media type ("type/subtype"
// with optional parameters) that an HTTP header can carry.
func mediaTypeValidator() validator.String {
	return stringCheck{
		description: "value must be a media type such as text/plain or application/octet-stream",
		summary:     "Invalid Content Type",
		problem: func(value string) string {
			mediaType, _, err := mime.ParseMediaType(value)
			switch {
			case err != nil:
			case !isTypeSlashSubtype(mediaType):
				err = errors.New("expected type/subtype")
			case !httpguts.ValidHeaderFieldValue(value):
				// ParseMediaType lets quoted parameters hold NUL or DEL, which
				// no HTTP client will send: the URL would be unusable.
				err = errors.New("it contains a control character, which an HTTP header cannot carry")
			}
			if err == nil {
				return ""
			}
			return fmt.Sprintf("%q is not a valid media type (%s). Use a type/subtype such as \"application/gzip\" or \"text/plain; charset=utf-8\".", value, err)
		},
	}
}

// isTypeSlashSubtype rejects what mime.ParseMediaType also accepts for
// Content-Disposition: a bare token with no subtype.
func isTypeSlashSubtype(mediaType string) bool {
	typ, sub, ok := strings.Cut(mediaType, "/")
	return ok && typ != "" && sub != ""
}

// endpointValidator checks the provider's endpoint at plan time with the same
// rule Configure applies to the environment fallback.
func endpointValidator() validator.String {
	return stringCheck{
		description: "value must be an absolute https URL (or http for this machine)",
		summary:     "Invalid HostUp API Endpoint",
		problem: func(value string) string {
			if _, err := hostup.ParseEndpoint(value); err != nil {
				return fmt.Sprintf("The endpoint is not usable: %s. Use an absolute URL such as %s.", err, hostup.DefaultEndpoint)
			}
			return ""
		},
	}
}

// s3EndpointValidator checks s3_endpoint at plan time with the rule
// Configure applies to HOSTUP_S3_ENDPOINT.
func s3EndpointValidator() validator.String {
	return stringCheck{
		description: "value must be an absolute https URL with no path (or http for this machine)",
		summary:     "Invalid HostUp S3 Endpoint",
		problem: func(value string) string {
			if _, err := hostups3.ParseEndpoint(value); err != nil {
				return s3EndpointProblem("s3_endpoint", err)
			}
			return ""
		},
	}
}

// requestTimeoutValidator checks request_timeout at plan time with the same
// rule Configure applies to HOSTUP_REQUEST_TIMEOUT, in one diagnostic on the
// attribute that says how to fix it.
func requestTimeoutValidator() validator.String {
	return stringCheck{
		description: fmt.Sprintf("value must be a duration with a unit, above 0 and at most %s, such as \"30s\"", maxRequestTimeout),
		summary:     "Invalid HostUp Request Timeout",
		problem: func(value string) string {
			if _, problem := parseRequestTimeout(value); problem != "" {
				return fmt.Sprintf("The value of request_timeout is %q: %s", value, problem)
			}
			return ""
		},
	}
}

// rotationPeriodValidator checks rotation_period: a duration of whole
// seconds, at least a minute and at most SigV4's 7 days.
func rotationPeriodValidator() validator.String {
	return stringCheck{
		description: "value must be a duration such as \"24h\", at least \"1m\" and at most \"168h\"",
		summary:     "Invalid Rotation Period",
		problem: func(value string) string {
			if _, problem := parseRotationPeriod(value); problem != "" {
				return fmt.Sprintf("The value of rotation_period is %q: %s", value, problem)
			}
			return ""
		},
	}
}

// parseRotationPeriod reads rotation_period; problem says what is wrong and
// how to fix it.
func parseRotationPeriod(raw string) (d time.Duration, problem string) {
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil:
		return 0, `it is not a duration. Use a number with a unit, such as "24h", "6h" or "30m".`
	case d < minRotationPeriod:
		return 0, `a period must be at least "1m", so a URL is not re-signed on nearly every read. Use "1m" or more, such as "24h".`
	case d > presignedurl.MaxLifetime:
		return 0, `a period must be at most "168h" (7 days), the longest a SigV4 URL can live. Use "24h" or another shorter period.`
	case d%time.Second != 0:
		return 0, `a period must be whole seconds, as SigV4 signing times are. Use a value such as "90s" or "1h30m".`
	}
	return d, ""
}

// headerValueValidator checks that a value can travel as an HTTP header.
func headerValueValidator() validator.String {
	return stringCheck{
		description: "value must be a valid HTTP header value",
		summary:     "Invalid Response Header Value",
		problem: func(value string) string {
			if !httpguts.ValidHeaderFieldValue(value) {
				return fmt.Sprintf("%q contains a control character, which an HTTP header cannot carry. Remove it.", value)
			}
			return ""
		},
	}
}

// base64Validator checks that a value is standard base64.
func base64Validator() validator.String {
	return stringCheck{
		description: "value must be standard base64",
		summary:     "Invalid Base64 Content",
		problem: func(value string) string {
			if _, err := base64.StdEncoding.DecodeString(value); err != nil {
				return fmt.Sprintf("The value is not standard base64 (%s). Use base64encode(...) or filebase64(...).", err)
			}
			return ""
		},
	}
}
