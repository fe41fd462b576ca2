// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// A bucket's CORS configuration: which web origins may call it from a
// browser, and how.

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	// ID names the rule; empty for none.
	ID string
	// AllowedMethods are HTTP methods: GET, PUT, POST, DELETE, HEAD.
	AllowedMethods []string
	AllowedOrigins []string
	AllowedHeaders []string
	ExposeHeaders  []string
	// MaxAgeSeconds is how long a browser may cache a preflight answer; nil
	// for none.
	MaxAgeSeconds *int32
}

// PutBucketCORS replaces a bucket's CORS configuration with rules.
func (c *ObjectClient) PutBucketCORS(ctx context.Context, bucket string, rules []CORSRule) error {
	cfg := &types.CORSConfiguration{}
	for _, r := range rules {
		cfg.CORSRules = append(cfg.CORSRules, types.CORSRule{
			ID: optional(r.ID), AllowedMethods: r.AllowedMethods, AllowedOrigins: r.AllowedOrigins,
			AllowedHeaders: r.AllowedHeaders, ExposeHeaders: r.ExposeHeaders, MaxAgeSeconds: r.MaxAgeSeconds,
		})
	}
	_, err := c.s3.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket), CORSConfiguration: cfg})
	return err
}

// BucketCORS returns a bucket's CORS rules; a bucket without any answers an
// error for which NoSuchCORSConfiguration is true.
func (c *ObjectClient) BucketCORS(ctx context.Context, bucket string) ([]CORSRule, error) {
	out, err := c.s3.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(bucket)})
	if err != nil {
		return nil, err
	}
	rules := make([]CORSRule, 0, len(out.CORSRules))
	for _, r := range out.CORSRules {
		rules = append(rules, CORSRule{
			ID: aws.ToString(r.ID), AllowedMethods: r.AllowedMethods, AllowedOrigins: r.AllowedOrigins,
			AllowedHeaders: r.AllowedHeaders, ExposeHeaders: r.ExposeHeaders, MaxAgeSeconds: r.MaxAgeSeconds,
		})
	}
	return rules, nil
}

// DeleteBucketCORS removes a bucket's CORS configuration; a bucket without
// one is not an error.
func (c *ObjectClient) DeleteBucketCORS(ctx context.Context, bucket string) error {
	_, err := c.s3.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String(bucket)})
	if NoSuchCORSConfiguration(err) {
		return nil
	}
	return err
}
