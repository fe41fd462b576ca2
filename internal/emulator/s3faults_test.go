// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// freshClient opens a connection per request, so Go's transport never
// retries a request on its own after a dropped connection.
var freshClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func send(method, rawURL string, body []byte) (*http.Response, string, error) {
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	resp, err := freshClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestS3FaultAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults emulator.S3Faults
		status int
		code   string
	}{
		{"slow down", emulator.S3Faults{SlowDownNext: 1, RetryAfter: 2, Operations: []string{emulator.OpPutObject}}, 503, "SlowDown"},
		{"internal error", emulator.S3Faults{InternalErrorNext: 1, RetryAfter: 2, Operations: []string{emulator.OpPutObject}}, 500, "InternalError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, emulator.Options{})
			if err := e.PutObject("media", "other.txt", []byte("o")); err != nil {
				t.Fatal(err)
			}
			e.SetS3Faults(tc.faults)
			// Another operation is not hit.
			if resp, body, err := send(http.MethodGet, presignURL(t, e, "other.txt", "download", ""), nil); err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET: %v %s", err, body)
			}
			put := presignURL(t, e, "f.txt", "upload", "")
			resp, body, err := send(http.MethodPut, put, []byte("v"))
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, "PUT", resp.StatusCode, body, tc.status, tc.code)
			if resp.Header.Get("Retry-After") != "2" || !strings.Contains(body, "<Message></Message>") {
				t.Fatalf("answer: %v %s", resp.Header, body)
			}
			if _, err := e.GetObject("media", "f.txt"); err == nil {
				t.Fatal("a faulted PUT was stored")
			}
			if resp, body, err := send(http.MethodPut, put, []byte("v")); err != nil || resp.StatusCode != 200 {
				t.Fatalf("PUT again: %v %s", err, body)
			}
		})
	}
}

func TestS3FaultDropAndReset(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults emulator.S3Faults
	}{
		{"drop", emulator.S3Faults{DropNext: 1}},
		{"reset mid-body", emulator.S3Faults{ResetNext: 1, ResetAfter: 64 << 10}},
		{"reset, default half", emulator.S3Faults{ResetNext: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, emulator.Options{})
			e.SetS3Faults(tc.faults)
			put := presignURL(t, e, "f.bin", "upload", "")
			if resp, body, err := send(http.MethodPut, put, bytes.Repeat([]byte("x"), 1<<20)); err == nil {
				t.Fatalf("PUT answered: %d %s", resp.StatusCode, body)
			}
			if _, err := e.GetObject("media", "f.bin"); err == nil {
				t.Fatal("stored")
			}
			if resp, body, err := send(http.MethodPut, put, []byte("x")); err != nil || resp.StatusCode != 200 {
				t.Fatalf("PUT again: %v %s", err, body)
			}
		})
	}
}

// A lost answer is a request that was processed: the upload is there,
// the client does not know.
func TestS3FaultLostAnswer(t *testing.T) {
	e := start(t, emulator.Options{})
	e.SetS3Faults(emulator.S3Faults{LostAnswerNext: 1, Operations: []string{emulator.OpPutObject}})
	if resp, body, err := send(http.MethodPut, presignURL(t, e, "f.txt", "upload", ""), []byte("kept")); err == nil {
		t.Fatalf("PUT answered: %d %s", resp.StatusCode, body)
	}
	if got, err := e.GetObject("media", "f.txt"); err != nil || string(got) != "kept" {
		t.Fatalf("after a lost answer: %q %v", got, err)
	}

	e.SetS3Faults(emulator.S3Faults{LostAnswerNext: 1, Operations: []string{emulator.OpCompleteMultipartUpload}})
	c := s3Client(t, e, func(o *s3.Options) { o.HTTPClient = freshClient })
	ctx := context.Background()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("mp.bin")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("media"), Key: aws.String("mp.bin"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("only part")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("media"), Key: aws.String("mp.bin"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
	if err == nil {
		t.Fatal("CompleteMultipartUpload answered")
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("mp.bin")})
	if err != nil || aws.ToString(h.ETag) != multipartETag([]byte("only part")) {
		t.Fatalf("after a lost completion: %v %v", aws.ToString(h.ETag), err)
	}
	if got := e.S3Requests()[emulator.OpCompleteMultipartUpload]; got != 1 {
		t.Fatalf("completions counted: %d", got)
	}
}

// With MaxConsecutive, a request always hit by a rate fault passes on the
// attempt after that many.
func TestS3FaultMaxConsecutive(t *testing.T) {
	e := start(t, emulator.Options{})
	e.SetS3Faults(emulator.S3Faults{SlowDownRate: 1, MaxConsecutive: 2})
	put := presignURL(t, e, "f.txt", "upload", "")
	for i, want := range []int{503, 503, 200, 503, 503, 200} {
		resp, body, err := send(http.MethodPut, put, []byte("v"))
		if err != nil || resp.StatusCode != want {
			t.Fatalf("attempt %d: %v %v %s, want %d", i+1, err, resp, body, want)
		}
	}
	// An SDK with three attempts gets through (re-signed each time: the
	// same request all the same).
	e.SetS3Faults(emulator.S3Faults{InternalErrorRate: 1, MaxConsecutive: 2})
	c := s3Client(t, e, func(o *s3.Options) { o.RetryMaxAttempts = 3 })
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("g.txt"), Body: strings.NewReader("g")}); err != nil {
		t.Fatal(err)
	}
	if got := e.S3Requests()[emulator.OpPutObject]; got != 6+3 {
		t.Fatalf("PutObject requests: %d, want 9", got)
	}
}

func TestS3Operation(t *testing.T) {
	for _, tc := range []struct {
		method, target string
		header         string
		want           string
	}{
		{"GET", "/", "", emulator.OpListBuckets},
		{"PUT", "/b", "", emulator.OpCreateBucket},
		{"HEAD", "/b", "", emulator.OpHeadBucket},
		{"DELETE", "/b", "", emulator.OpDeleteBucket},
		{"GET", "/b?list-type=2&prefix=a", "", emulator.OpListObjectsV2},
		{"GET", "/b?prefix=a", "", emulator.OpListObjects},
		{"GET", "/b?uploads", "", emulator.OpListMultipartUploads},
		{"GET", "/b?location", "", "GetBucketLocation"},
		{"PUT", "/b?cors", "", "PutBucketCors"},
		{"POST", "/b?delete", "", emulator.OpDeleteObjects},
		{"GET", "/b/k", "", emulator.OpGetObject},
		{"HEAD", "/b/k", "", emulator.OpHeadObject},
		{"PUT", "/b/k?x-id=PutObject", "", emulator.OpPutObject},
		{"PUT", "/b/k", "/b/src", emulator.OpCopyObject},
		{"DELETE", "/b/k", "", emulator.OpDeleteObject},
		{"POST", "/b/k?uploads", "", emulator.OpCreateMultipartUpload},
		{"PUT", "/b/k?partNumber=1&uploadId=1", "", emulator.OpUploadPart},
		{"PUT", "/b/k?partNumber=1&uploadId=1", "/b/src", emulator.OpUploadPartCopy},
		{"POST", "/b/k?uploadId=1", "", emulator.OpCompleteMultipartUpload},
		{"DELETE", "/b/k?uploadId=1", "", emulator.OpAbortMultipartUpload},
		{"GET", "/b/k?uploadId=1", "", emulator.OpListParts},
	} {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		if tc.header != "" {
			r.Header.Set("X-Amz-Copy-Source", tc.header)
		}
		if got := emulator.S3Operation(r); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.method, tc.target, got, tc.want)
		}
	}
}
