// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"
)

// responseMeta is what every successful or failed call learns besides data.
type responseMeta struct {
	StatusCode int
	RequestID  string
	Timestamp  time.Time // zero when the response carried none
	Attempts   int
}

type successEnvelope struct {
	Success   *bool           `json:"success"`
	Timestamp string          `json:"timestamp"`
	RequestID string          `json:"requestId"`
	Data      json.RawMessage `json:"data"`
}

// decodeResponse turns one HTTP answer into data or a typed error. It is
// pure (no I/O), so it can be fuzzed; raw may be up to MaxResponseBytes+1
// long, the extra byte meaning "too large".
func decodeResponse(status int, header http.Header, raw []byte, out any, attempts int, now time.Time) (responseMeta, error) {
	meta := responseMeta{StatusCode: status, RequestID: header.Get("X-Request-Id"), Attempts: attempts}
	fail := func(reason string) (responseMeta, error) {
		return meta, &ResponseError{StatusCode: status, RequestID: meta.RequestID, Reason: reason, Attempts: attempts}
	}
	if len(raw) > MaxResponseBytes {
		return fail(fmt.Sprintf("response body is larger than %d bytes", MaxResponseBytes))
	}

	if status < 200 || status > 299 {
		apiErr := decodeAPIError(status, header, raw, now)
		apiErr.Attempts = attempts
		if apiErr.RequestID == "" {
			apiErr.RequestID = meta.RequestID
		}
		meta.RequestID = apiErr.RequestID
		return meta, apiErr
	}

	// encoding/json would silently replace invalid UTF-8, altering a URL.
	if !utf8.Valid(raw) {
		return fail("response body is not valid UTF-8")
	}
	var env successEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fail("response body is not a JSON object (" + describeContentType(header) + ")")
	}
	if env.RequestID != "" {
		meta.RequestID = env.RequestID
	}
	if env.Success != nil && !*env.Success {
		return fail(`response envelope says "success": false`)
	}
	if out != nil { // nil: the call needs no data (a delete)
		if len(env.Data) == 0 || string(env.Data) == "null" {
			return fail(`response envelope has no "data"`)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fail(`response "data" has an unexpected shape`)
		}
	}
	if env.Timestamp != "" {
		if t, err := time.Parse(time.RFC3339Nano, env.Timestamp); err == nil {
			meta.Timestamp = t
		}
	}
	return meta, nil
}

func describeContentType(header http.Header) string {
	ct := header.Get("Content-Type")
	if ct == "" {
		return "no Content-Type"
	}
	return "Content-Type " + ct
}

// unwrapURLError drops net/http's *url.Error wrapper, whose text repeats the
// full request URL; RequestError names the endpoint instead.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
