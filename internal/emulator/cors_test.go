// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
)

// A CORS configuration answers preflights and actual requests, is counted
// by operation, and survives a restart on a directory.
func TestCORS(t *testing.T) {
	dir := t.TempDir()
	e := emulatortest.Start(t, emulator.Options{Dir: dir})
	ctx := context.Background()
	rules := []types.CORSRule{{AllowedOrigins: []string{"http://127.0.0.1:*"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}}}
	if _, err := s3Client(t, e).PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("media"), CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}}); err != nil {
		t.Fatal(err)
	}
	preflight := func(e *emulator.Emulator, origin string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodOptions, e.S3URL()+"/media/up.bin", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res := preflight(e, "http://127.0.0.1:5173")
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" || res.Header.Get("Access-Control-Allow-Headers") != "content-type" ||
		res.Header.Get("Access-Control-Allow-Methods") != "PUT" || res.Header.Get("Access-Control-Expose-Headers") != "ETag" {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
	if res := preflight(e, "http://localhost:5173"); res.StatusCode != 403 || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d %v", res.StatusCode, res.Header)
	}
	if n := e.S3Requests(); n[emulator.OpPreflight] != 2 || n["PutBucketCors"] != 1 {
		t.Errorf("counted %v", n)
	}
	// A presigned upload from the allowed origin carries the headers.
	url := presignURL(t, e, "up.bin", "upload", "text/plain")
	req, _ := http.NewRequest(http.MethodPut, url, nil)
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", "http://127.0.0.1:5173")
	put, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	put.Body.Close()
	if put.StatusCode != 200 || put.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" || put.Header.Get("Vary") != "Origin" {
		t.Errorf("presigned PUT: %d %v", put.StatusCode, put.Header)
	}
	// A PUT whose signature does not verify (another Content-Type than the
	// signed one) gets no CORS headers, as on RGW: the browser reports it
	// as a CORS failure.
	req, _ = http.NewRequest(http.MethodPut, url, nil)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://127.0.0.1:5173")
	bad, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	bad.Body.Close()
	if bad.StatusCode != 403 || bad.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("PUT with another Content-Type: %d %v", bad.StatusCode, bad.Header)
	}
	_ = e.Close()
	again := emulatortest.Start(t, emulator.Options{Dir: dir})
	out, err := s3Client(t, again).GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("media")})
	if err != nil || len(out.CORSRules) != 1 || out.CORSRules[0].AllowedOrigins[0] != "http://127.0.0.1:*" {
		t.Fatalf("after a restart: %+v %v", out, err)
	}
	if _, err := s3Client(t, again).DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("media")}); err != nil {
		t.Fatal(err)
	}
	if res := preflight(again, "http://127.0.0.1:5173"); res.StatusCode != 403 {
		t.Errorf("preflight after DeleteBucketCors: %d", res.StatusCode)
	}
}
