// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// What hostup_bucket (resource and data source) and hostup_buckets share:
// descriptions, and the mapping of a bucket to its attributes.

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
