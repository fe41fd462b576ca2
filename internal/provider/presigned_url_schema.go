// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// What the data source and the ephemeral resource hostup_presigned_url
// share: the description of every attribute and the validators of every
// argument. Each block kind writes its schema out in full from these, in its
// own file, because the framework's schema types differ per kind.

// bucketNamePattern is HostUp's bucket rule; its length bound (3-63) is a
// separate validator so each failure names its own fix.
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9-]+$`)

const (
	maxKeyBytes = 1024

	descBucket = "Name of the HostUp object-storage bucket: 3 to 63 characters of lowercase letters, digits and hyphens."
	descKey    = "Object key inside the bucket: 1 to 1024 bytes of UTF-8. Any characters are allowed, including " +
		"spaces, slashes, unicode, `+`, `%` and `?`; the key is sent in the request body, never in a URL path."
	descAction      = "What the URL allows: `download` (an HTTP `GET` of the object) or `upload` (an HTTP `PUT` of the object)."
	descContentType = "Media type the upload URL binds, for example `application/gzip`. Only valid with " +
		"`action = \"upload\"`. When set, the uploader must send exactly this `Content-Type` header or storage refuses the upload."
	descURL = "The presigned URL, exactly as HostUp issued it. It is a bearer credential: anyone holding it can " +
		"read (or write) the object until it expires, so it is marked sensitive."
	descExpiresIn       = "Lifetime of the URL in seconds, as reported by HostUp (currently 900)."
	descExpiresAt       = "When the URL stops working, as an RFC 3339 timestamp: the API response time plus `expires_in`."
	descHTTPMethod      = "HTTP method the URL must be used with: `GET` for downloads, `PUT` for uploads."
	descRequestID       = "HostUp's ID for the API request that issued the URL; quote it to HostUp support."
	descRequiredHeaders = "Headers the client must send with the request for the signature to verify, derived from " +
		"the URL's signed headers: `Content-Type` for an upload with `content_type`, otherwise empty. For example " +
		"`curl -X PUT -H \"Content-Type: ...\"`. The `Host` header is signed too, and every HTTP client sends it."
)

func bucketValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(3, 63),
		stringvalidator.RegexMatches(bucketNamePattern, "must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)"),
	}
}

func keyValidators() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, maxKeyBytes)}
}

func actionValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf(string(hostup.ActionDownload), string(hostup.ActionUpload))}
}

func contentTypeValidators() []validator.String {
	return []validator.String{mediaTypeValidator()}
}
