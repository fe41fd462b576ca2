// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// What the data source and the ephemeral resource hostup_presigned_url
// share: the description of every attribute and the validators of every
// argument. Each block kind writes its schema out in full from these, in its
// own file, because the framework's schema types differ per kind.

// bucketNamePattern is HostUp's bucket rule, and bucketEndsPattern S3's
// (which Ceph RGW enforces: InvalidBucketName); the length bound (3-63) is
// a separate validator, so each failure names its own fix.
var (
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9-]+$`)
	bucketEndsPattern = regexp.MustCompile(`^[a-z0-9](.*[a-z0-9])?$`)
	// bucketReservedPattern are S3's reserved prefixes and suffixes.
	bucketReservedPattern = regexp.MustCompile(`^(xn--|sthree-)|(-s3alias|--ol-s3|--x-s3)$`)
)

const (
	maxKeyBytes = 1024

	descBucket = "Name of the HostUp object-storage bucket: 3 to 63 characters of lowercase letters, digits and hyphens."
	descKey    = "Object key inside the bucket: 1 to 1024 bytes of UTF-8. Any characters are allowed, including " +
		"spaces, slashes, unicode, `+`, `%` and `?`; the URL carries it escaped. Avoid `.` and `..` path segments and `//`: " +
		"HTTP clients that normalise paths (browsers, curl) change them, and the signature no longer verifies."
	descAction      = "What the URL allows: `download` (an HTTP `GET` of the object) or `upload` (an HTTP `PUT` of the object)."
	descContentType = "Media type the upload URL binds, for example `application/gzip`. Only valid with " +
		"`action = \"upload\"`. When set, the uploader must send exactly this `Content-Type` header or storage refuses the upload."
	descURL = "The presigned URL, exactly as HostUp issued it or as the provider signed it with the key pair. It is a " +
		"bearer credential: anyone holding it can read (or write) the object until it expires, so it is marked sensitive."
	descExpiresIn = "How long the URL works after it is read, in seconds: 1 to 604800 (7 days). Without `rotation_period` it " +
		"is the URL's lifetime; with it, the least time the URL still has after any read. Setting it needs an S3 key pair " +
		"in the provider (`s3_access_key_id`, `s3_secret_access_key`): HostUp's API issues only 900-second URLs, which is " +
		"also the value when it is unset."
	descRotationPeriod = "Makes the URL stable: it is signed at the start of the current period (UTC, periods aligned to " +
		"the Unix epoch), so every plan and apply within one period reads the byte-identical URL, and a new URL appears " +
		"when the next period starts (`rotates_at`). A duration such as `\"24h\"` or `\"1h30m\"`, at least `\"1m\"`; " +
		"`rotation_period` plus `expires_in` must be at most 7 days, the SigV4 limit. Needs an S3 key pair in the provider."
	descRotatesAt = "With `rotation_period`, when the current period ends and the next read returns a new URL, as an RFC 3339 " +
		"timestamp; null without it."
	descExpiresAt = "When the URL stops working, as an RFC 3339 timestamp: its signing time plus its lifetime (with " +
		"`rotation_period`, `rotates_at` plus `expires_in`)."
	descHTTPMethod = "HTTP method the URL must be used with: `GET` for downloads, `PUT` for uploads."
	descRequestID  = "HostUp's ID for the API request that issued the URL; quote it to HostUp support. Null for a URL " +
		"the provider signed locally with the key pair, which makes no API request."
	descResponseContentDisposition = "`Content-Disposition` that storage answers the download with, signed into the URL " +
		"(`response-content-disposition`), for example `attachment; filename=\"report.pdf\"` so a browser saves the file " +
		"under that name. Downloads only; needs an S3 key pair in the provider."
	descResponseContentType = "`Content-Type` that storage answers the download with, signed into the URL " +
		"(`response-content-type`), whatever type the object was stored with. Downloads only; needs an S3 key pair in the provider."
	descResponseCacheControl = "`Cache-Control` that storage answers the download with, signed into the URL " +
		"(`response-cache-control`), for example `no-store`. Downloads only; needs an S3 key pair in the provider."
	descRequiredHeaders = "Headers the client must send with the request for the signature to verify, derived from " +
		"the URL's signed headers: `Content-Type` for an upload with `content_type`, otherwise empty. For example " +
		"`curl -X PUT -H \"Content-Type: ...\"`. The `Host` header is signed too, and every HTTP client sends it."
)

func bucketValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(3, 63),
		stringvalidator.RegexMatches(bucketNamePattern, "must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)"),
		stringvalidator.RegexMatches(bucketEndsPattern, "must start and end with a lowercase letter or a digit, not a hyphen"),
		bucketReservedValidator(),
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

const (
	defaultExpiresIn  = 900
	maxExpiresIn      = 7 * 24 * 60 * 60
	minRotationPeriod = time.Minute
)

func expiresInValidators() []validator.Int64 {
	return []validator.Int64{int64validator.Between(1, maxExpiresIn)}
}

func rotationPeriodValidators() []validator.String {
	return []validator.String{rotationPeriodValidator()}
}

// headerValueValidators check a response override: a value an HTTP header
// can carry.
func headerValueValidators() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1), headerValueValidator()}
}
