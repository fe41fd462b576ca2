// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// A bucket's lifecycle configuration: rules that expire objects, old
// versions and unfinished multipart uploads.

// LifecycleRule is one rule of a bucket's lifecycle configuration. A rule
// with no action (every field below Prefix zero) is refused by servers.
type LifecycleRule struct {
	ID      string
	Enabled bool
	// Prefix limits the rule to keys that start with it; "" is the whole
	// bucket.
	Prefix string
	// ExpirationDays and ExpirationDate (midnight UTC) expire current
	// objects; at most one is set.
	ExpirationDays int32
	ExpirationDate time.Time
	// NoncurrentVersionExpirationDays expires versions that are no longer
	// current, that many days after they stopped being so.
	NoncurrentVersionExpirationDays int32
	// AbortIncompleteMultipartUploadDays aborts multipart uploads not
	// completed within that many days of starting.
	AbortIncompleteMultipartUploadDays int32
}

// PutBucketLifecycle replaces a bucket's lifecycle configuration with rules.
// Each rule is sent with a Filter, the current form.
func (c *ObjectClient) PutBucketLifecycle(ctx context.Context, bucket string, rules []LifecycleRule) error {
	cfg := &types.BucketLifecycleConfiguration{}
	for _, r := range rules {
		rule := types.LifecycleRule{
			ID:     aws.String(r.ID),
			Status: types.ExpirationStatusDisabled,
			Filter: &types.LifecycleRuleFilter{Prefix: aws.String(r.Prefix)},
		}
		if r.Enabled {
			rule.Status = types.ExpirationStatusEnabled
		}
		switch {
		case r.ExpirationDays > 0:
			rule.Expiration = &types.LifecycleExpiration{Days: aws.Int32(r.ExpirationDays)}
		case !r.ExpirationDate.IsZero():
			d := r.ExpirationDate.UTC().Truncate(24 * time.Hour)
			rule.Expiration = &types.LifecycleExpiration{Date: &d}
		}
		if r.NoncurrentVersionExpirationDays > 0 {
			rule.NoncurrentVersionExpiration = &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(r.NoncurrentVersionExpirationDays)}
		}
		if r.AbortIncompleteMultipartUploadDays > 0 {
			rule.AbortIncompleteMultipartUpload = &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(r.AbortIncompleteMultipartUploadDays)}
		}
		cfg.Rules = append(cfg.Rules, rule)
	}
	_, err := c.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String(bucket), LifecycleConfiguration: cfg,
	})
	return err
}

// BucketLifecycle returns a bucket's lifecycle rules in the order the server
// gives them; a bucket without any answers an error for which
// NoSuchLifecycleConfiguration is true. A rule's prefix is read from its
// Filter or, where the server answers in the legacy form (Ceph RGW does for
// a rule sent with an empty Filter prefix), from the rule's own Prefix, so
// both read the same.
func (c *ObjectClient) BucketLifecycle(ctx context.Context, bucket string) ([]LifecycleRule, error) {
	out, err := c.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(bucket)})
	if err != nil {
		return nil, err
	}
	rules := make([]LifecycleRule, 0, len(out.Rules))
	for _, r := range out.Rules {
		rule := LifecycleRule{ID: aws.ToString(r.ID), Enabled: r.Status == types.ExpirationStatusEnabled, Prefix: aws.ToString(r.Prefix)} //nolint:staticcheck // the legacy form some servers answer in
		if f := r.Filter; f != nil {
			switch {
			case f.Prefix != nil:
				rule.Prefix = aws.ToString(f.Prefix)
			case f.And != nil && f.And.Prefix != nil:
				rule.Prefix = aws.ToString(f.And.Prefix)
			}
		}
		if e := r.Expiration; e != nil {
			rule.ExpirationDays = aws.ToInt32(e.Days)
			if e.Date != nil {
				rule.ExpirationDate = e.Date.UTC()
			}
		}
		if n := r.NoncurrentVersionExpiration; n != nil {
			rule.NoncurrentVersionExpirationDays = aws.ToInt32(n.NoncurrentDays)
		}
		if a := r.AbortIncompleteMultipartUpload; a != nil {
			rule.AbortIncompleteMultipartUploadDays = aws.ToInt32(a.DaysAfterInitiation)
		}
		rules = append(rules, rule)
	}
	return rules, nil
}

// DeleteBucketLifecycle removes a bucket's lifecycle configuration; a bucket
// without one is not an error.
func (c *ObjectClient) DeleteBucketLifecycle(ctx context.Context, bucket string) error {
	_, err := c.s3.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: aws.String(bucket)})
	if NoSuchLifecycleConfiguration(err) {
		return nil
	}
	return err
}
