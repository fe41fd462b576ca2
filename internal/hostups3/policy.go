// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A bucket's policy: the JSON document that grants access to the bucket and
// its objects, to other accounts or to anyone.

// PutBucketPolicy replaces a bucket's policy with the JSON document policy.
func (c *ObjectClient) PutBucketPolicy(ctx context.Context, bucket, policy string) error {
	_, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)})
	return err
}

// BucketPolicy returns a bucket's policy as the server holds it; a bucket
// without one answers an error for which NoSuchBucketPolicy is true.
func (c *ObjectClient) BucketPolicy(ctx context.Context, bucket string) (string, error) {
	out, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Policy), nil
}

// DeleteBucketPolicy removes a bucket's policy; a bucket without one is not
// an error.
func (c *ObjectClient) DeleteBucketPolicy(ctx context.Context, bucket string) error {
	_, err := c.s3.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String(bucket)})
	if NoSuchBucketPolicy(err) {
		return nil
	}
	return err
}
