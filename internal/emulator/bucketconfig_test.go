// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// A public-read policy opens anonymous GET of its prefix only, and it and
// a lifecycle configuration survive a restart on a directory.
func TestPolicyAndLifecycle(t *testing.T) {
	dir := t.TempDir()
	e := emulatortest.Start(t, emulator.Options{Dir: dir})
	c := s3Client(t, e)
	ctx := context.Background()
	b := aws.String("media")
	if _, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}); errorCode(err) != "NoSuchBucketPolicy" {
		t.Fatalf("no policy: %v", err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[`)}); errorCode(err) != "InvalidArgument" {
		t.Errorf("broken policy: %v, want InvalidArgument", err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::media/pub/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"pub/a", "priv/a"} {
		if err := e.PutObject("media", k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range map[string]int{"pub/a": 200, "pub/missing": 403, "priv/a": 403} {
		if status, _, err := emulatortest.Do(http.MethodGet, e.S3URL()+"/media/"+k, "", nil); err != nil || status != want {
			t.Errorf("anonymous GET %s: %d %v, want %d", k, status, err, want)
		}
	}
	if status, _, _ := emulatortest.Do(http.MethodPut, e.S3URL()+"/media/pub/new", "", []byte("x")); status != 403 {
		t.Errorf("anonymous PUT: %d", status)
	}
	rules := []types.LifecycleRule{{ID: aws.String("all"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(3)}}}
	if _, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b, LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}}}}}); errorCode(err) != "InvalidArgument" {
		t.Errorf("PutBucketEncryption: %v", err)
	}
	n := e.S3Requests()
	if n["PutBucketPolicy"] != 2 || n["PutBucketLifecycle"] != 1 || n["PutBucketEncryption"] != 1 {
		t.Errorf("counted %v", n)
	}
	_ = e.Close()
	again := emulatortest.Start(t, emulator.Options{Dir: dir})
	c = s3Client(t, again)
	got, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if err != nil || aws.ToString(got.Policy) != policy {
		t.Errorf("policy after a restart: %v %v", got, err)
	}
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if err != nil || len(lc.Rules) != 1 || lc.Rules[0].Filter != nil || lc.Rules[0].Prefix == nil { //nolint:staticcheck // RGW answers the legacy Prefix
		t.Errorf("lifecycle after a restart: %+v %v", lc, err)
	}
	// Deleting the bucket over the API forgets its settings.
	mem := emulatortest.Start(t, emulator.Options{})
	c = s3Client(t, mem)
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	if status, _ := apiCall(t, mem, http.MethodDelete, "/object-storage/buckets/media", nil); status != 200 {
		t.Fatal(status)
	}
	if err := mem.AddBucket("media"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}); errorCode(err) != "NoSuchBucketPolicy" {
		t.Errorf("policy of a recreated bucket: %v", err)
	}
}
