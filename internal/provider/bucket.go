// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// What every block that names a bucket shares: the bucket name rule and its
// validators, the descriptions of bucket attributes, and the mapping of a
// bucket to its attributes.

const (
	descBucketName = "Name of the bucket: 3 to 63 characters of lowercase letters, digits and hyphens, unique " +
		"across HostUp. It is the first path segment of every URL into the bucket."
	descBucketCreated    = "When the bucket was created, as an RFC 3339 timestamp; null when HostUp does not say."
	descBucketSizeBytes  = "Bytes stored in the bucket, as HostUp reports it when the bucket is read."
	descBucketNumObjects = "Number of objects in the bucket, as HostUp reports it when the bucket is read."
	descBucketOwner      = "The storage backend's owner of the bucket (for example `client_204$main`); null when HostUp does not say."
)

// rfc3339OrNull is a time as an attribute value: null for the zero time,
// which is what the clients return when HostUp or S3 gave none.
func rfc3339OrNull(t time.Time) timetypes.RFC3339 {
	if t.IsZero() {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC())
}

// bucketOwner is a bucket's owner as an attribute value.
func bucketOwner(b *hostup.Bucket) types.String {
	if b.Owner == "" {
		return types.StringNull()
	}
	return types.StringValue(b.Owner)
}

// bucketNamePattern is HostUp's bucket rule, and bucketEndsPattern S3's
// (which Ceph RGW enforces: InvalidBucketName); the length bound (3-63) is
// a separate validator, so each failure names its own fix.
var (
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9-]+$`)
	bucketEndsPattern = regexp.MustCompile(`^[a-z0-9](.*[a-z0-9])?$`)
	// bucketReservedPattern are S3's reserved prefixes and suffixes.
	bucketReservedPattern = regexp.MustCompile(`^(xn--|sthree-)|(-s3alias|--ol-s3|--x-s3)$`)
)

// bucketValidators check a bucket name at plan time, each rule with its own fix.
func bucketValidators() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(3, 63),
		stringvalidator.RegexMatches(bucketNamePattern, "must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)"),
		stringvalidator.RegexMatches(bucketEndsPattern, "must start and end with a lowercase letter or a digit, not a hyphen"),
		bucketReservedValidator(),
	}
}

// bucketReservedValidator refuses the prefixes and suffixes S3 reserves.
func bucketReservedValidator() validator.String {
	return stringCheck{
		description: "value must not start with xn-- or sthree-, nor end with -s3alias, --ol-s3 or --x-s3",
		summary:     "Invalid Bucket Name",
		problem: func(value string) string {
			if m := bucketReservedPattern.FindString(value); m != "" {
				return fmt.Sprintf("The bucket name %q uses %q, which S3 reserves: S3 servers refuse such names. Choose another name.", value, m)
			}
			return ""
		},
	}
}
