// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A bucket's versioning state. HostUp sets it through its API
// (hostup.Client.SetBucketVersioning); S3 reads it back.

// The versioning states S3 reports. A bucket that was never versioned
// reports neither: BucketVersioning returns "".
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// BucketVersioning returns a bucket's versioning state: VersioningEnabled,
// VersioningSuspended, or "" for a bucket that was never versioned.
func (c *ObjectClient) BucketVersioning(ctx context.Context, bucket string) (string, error) {
	out, err := c.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", err
	}
	return string(out.Status), nil
}
