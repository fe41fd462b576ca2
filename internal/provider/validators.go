// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/net/http/httpguts"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// mediaTypeValidator checks that a string parses as a media type
// ("type/subtype" with optional parameters).
type mediaTypeValidator struct{}

var _ validator.String = mediaTypeValidator{}

func (mediaTypeValidator) Description(_ context.Context) string {
	return "value must be a media type such as text/plain or application/octet-stream"
}

func (v mediaTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (mediaTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	mediaType, _, err := mime.ParseMediaType(value)
	switch {
	case err != nil:
	case !isTypeSlashSubtype(mediaType):
		err = errors.New("expected type/subtype")
	case !httpguts.ValidHeaderFieldValue(value):
		// ParseMediaType lets quoted parameters hold NUL or DEL, which no
		// HTTP client will send: the URL would be unusable.
		err = errors.New("it contains a control character, which an HTTP header cannot carry")
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Content Type",
			fmt.Sprintf("%q is not a valid media type (%s). Use a type/subtype such as \"application/gzip\" or \"text/plain; charset=utf-8\".", value, err))
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
type endpointValidator struct{}

var _ validator.String = endpointValidator{}

func (endpointValidator) Description(_ context.Context) string {
	return "value must be an absolute https URL (or http for this machine)"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := hostup.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid HostUp API Endpoint",
			fmt.Sprintf("The endpoint is not usable: %s. Use an absolute URL such as %s.", err, hostup.DefaultEndpoint))
	}
}

// requestTimeoutValidator checks request_timeout at plan time with the same
// rule Configure applies to HOSTUP_REQUEST_TIMEOUT, in one diagnostic on the
// attribute that says how to fix it.
type requestTimeoutValidator struct{}

var _ validator.String = requestTimeoutValidator{}

func (requestTimeoutValidator) Description(_ context.Context) string {
	return fmt.Sprintf("value must be a duration with a unit, above 0 and at most %s, such as \"30s\"", maxRequestTimeout)
}

func (v requestTimeoutValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (requestTimeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if _, problem := parseRequestTimeout(value); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid HostUp Request Timeout",
			fmt.Sprintf("The value of request_timeout is %q: %s", value, problem))
	}
}
