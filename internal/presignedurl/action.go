// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package presignedurl

import (
	"net/http"
	"time"
)

// Action is what a presigned URL allows, in HostUp's words: the one action
// type of the API client, the local signer and the provider.
type Action string

const (
	Download Action = "download"
	Upload   Action = "upload"
)

// Actions lists every valid Action.
var Actions = []Action{Download, Upload}

// HTTPMethod is the method a consumer must use with a URL for this action.
func (a Action) HTTPMethod() string {
	switch a {
	case Download:
		return http.MethodGet
	case Upload:
		return http.MethodPut
	}
	return ""
}

// MaxLifetime is MaxExpires as a duration.
const MaxLifetime = MaxExpires * time.Second
