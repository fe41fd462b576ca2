// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

func objectClient(t *testing.T, e *emulator.Emulator, access, secret string) *hostups3.ObjectClient {
	t.Helper()
	c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region, AccessKeyID: access, SecretAccessKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The object client against the S3 target (the emulator, or RGW from make
// test-rgw), over http and https: put from a file, multipart (over https,
// where SDKs send checksum trailers), head, list with prefixes and pages,
// delete; each request header-signed.
func TestObjectsOnTarget(t *testing.T) {
	tgt := s3test.Start(t)
	t.Logf("S3 target: %s", tgt.Server)
	for _, ep := range []*s3test.Endpoint{tgt.Plain, tgt.TLS} {
		t.Run(strings.SplitN(ep.URL, ":", 2)[0], func(t *testing.T) { testObjectsOn(t, ep) })
	}
}

func testObjectsOn(t *testing.T, ep *s3test.Endpoint) {
	bucket := ep.Bucket(t, "client")
	c := ep.ObjectClient(t, 2)
	ctx := context.Background()

	path := filepath.Join(t.TempDir(), "artifact.bin")
	payload := make([]byte, 3<<20)
	_, _ = rand.Read(payload)
	if err := os.WriteFile(path, payload, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	obj, err := c.Put(ctx, hostups3.PutInput{Bucket: bucket, Key: "releases/app 1.bin", Body: f, Size: int64(len(payload)),
		ContentType: "application/octet-stream", CacheControl: "no-store", ContentDisposition: `attachment; filename="app.bin"`})
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size != int64(len(payload)) || obj.ETag == "" || obj.ContentType != "application/octet-stream" || obj.CacheControl != "no-store" {
		t.Fatalf("put: %+v", obj)
	}
	if got, _ := ep.Get(bucket, "releases/app 1.bin"); !bytes.Equal(got, payload) {
		t.Fatal("the stored bytes differ")
	}

	// Multipart: 20 MiB above a 10 MiB threshold, in 5 MiB parts; the ETag
	// is the one computed before uploading.
	hostups3.SetMultipartThreshold(c, 10<<20)
	big := make([]byte, 20<<20)
	_, _ = rand.Read(big)
	obj, err = c.Put(ctx, hostups3.PutInput{Bucket: bucket, Key: "releases/big.bin", Body: bytes.NewReader(big), Size: int64(len(big)),
		Tags: map[string]string{"release": "1.4.2"}})
	if err != nil {
		t.Fatal(err)
	}
	// RGW drops tags sent with CreateMultipartUpload; Put sets them after.
	if tags, err := c.Tags(ctx, bucket, "releases/big.bin"); err != nil || tags["release"] != "1.4.2" || len(tags) != 1 {
		t.Errorf("a multipart object's tags: %v (%v)", tags, err)
	}
	if want, _ := c.ETag(bytes.NewReader(big), int64(len(big))); obj.ETag != want || !strings.HasSuffix(want, "-4") {
		t.Errorf("multipart ETag %s, computed %s", obj.ETag, want)
	}
	if got, _ := ep.Get(bucket, "releases/big.bin"); !bytes.Equal(got, big) {
		t.Fatal("the multipart upload's bytes differ")
	}

	for _, k := range []string{"logs/a", "logs/b", "top.txt"} {
		if _, err := c.Put(ctx, hostups3.PutInput{Bucket: bucket, Key: k, Body: bytes.NewReader([]byte(k)), Size: int64(len(k))}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.List(ctx, hostups3.ListInput{Bucket: bucket, Delimiter: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Objects) != 1 || list.Objects[0].Key != "top.txt" || len(list.CommonPrefixes) != 2 {
		t.Fatalf("list with delimiter: %+v", list)
	}
	list, err = c.List(ctx, hostups3.ListInput{Bucket: bucket, Prefix: "logs/", MaxKeys: 1})
	if err != nil || len(list.Objects) != 1 || list.Objects[0].Key != "logs/a" {
		t.Fatalf("list with prefix and max: %+v %v", list, err)
	}

	if err := c.Delete(ctx, bucket, "top.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Head(ctx, bucket, "top.txt"); !errors.Is(err, hostups3.ErrNotFound) {
		t.Fatalf("head after delete: %v", err)
	}
	// A bucket that does not exist is not an object that does not exist.
	_, err = c.Head(ctx, bucket+"-missing", "x")
	if !hostups3.NotFound(err) {
		t.Fatalf("head in a missing bucket: %v", err)
	}
	if err := c.Delete(ctx, bucket+"-missing", "x"); err == nil {
		t.Error("deleting from a missing bucket succeeded")
	}
}

// A wrong secret or an unknown pair is refused by the S3 side.
func TestObjectsRefuseWrongKeys(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{Buckets: []string{"media"}})
	for name, c := range map[string]*hostups3.ObjectClient{
		"wrong secret": objectClient(t, e, emulator.DefaultAccessKeyID, "not-the-secret"),
		"unknown pair": objectClient(t, e, "HUNOSUCHKEY", "whatever"),
	} {
		_, err := c.Put(context.Background(), hostups3.PutInput{Bucket: "media", Key: "x", Body: bytes.NewReader([]byte("x")), Size: 1})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := e.GetObject("media", "x"); err == nil {
		t.Error("a refused upload was stored")
	}
}

// An upload whose answer is lost after the server stored it (the SDK's
// retry then finds nothing to complete, or stores it again) is reported as
// what it is: stored intact, with the ETag of its bytes.
func TestPutSurvivesALostAnswer(t *testing.T) {
	for name, tc := range map[string]struct {
		op   string
		size int
		// stream is a body that cannot seek, hashed as it is read.
		stream bool
	}{
		"single part":                {op: emulator.OpPutObject, size: 1 << 20},
		"complete multipart":         {op: emulator.OpCompleteMultipartUpload, size: 12 << 20},
		"complete multipart, stream": {op: emulator.OpCompleteMultipartUpload, size: 12 << 20, stream: true},
		"begin multipart":            {op: emulator.OpCreateMultipartUpload, size: 12 << 20},
		"upload part":                {op: emulator.OpUploadPart, size: 12 << 20},
		"upload part, stream":        {op: emulator.OpUploadPart, size: 12 << 20, stream: true},
	} {
		t.Run(name, func(t *testing.T) {
			e := emulatortest.Start(t, emulator.Options{Buckets: []string{"media"}})
			c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region,
				AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey, MaxRetries: 3})
			if err != nil {
				t.Fatal(err)
			}
			hostups3.SetMultipartThreshold(c, 8<<20)
			payload := make([]byte, tc.size)
			_, _ = rand.Read(payload)
			e.SetS3Faults(emulator.S3Faults{Operations: []string{tc.op}, LostAnswerNext: 1})
			var body io.Reader = bytes.NewReader(payload)
			if tc.stream {
				body = struct{ io.Reader }{body}
			}
			obj, err := c.Put(context.Background(), hostups3.PutInput{Bucket: "media", Key: "k.bin", Body: body, Size: int64(len(payload))})
			if err != nil {
				t.Fatalf("Put reported a failure for a stored object: %v", err)
			}
			want, _ := c.ETag(bytes.NewReader(payload), int64(len(payload)))
			if obj.ETag != want || obj.Size != int64(len(payload)) {
				t.Errorf("Put returned %+v, want ETag %s", obj, want)
			}
			if got, _ := e.GetObject("media", "k.bin"); !bytes.Equal(got, payload) {
				t.Error("the stored bytes differ")
			}
			if n := e.S3Requests()[tc.op]; n < 2 {
				t.Errorf("%d %s requests: the lost answer was not retried", n, tc.op)
			}
			// Nothing is left half-uploaded, not even the upload a lost
			// CreateMultipartUpload answer began.
			if n, err := s3test.ForEmulator(t, e).MultipartUploads("media"); err != nil || n != 0 {
				t.Errorf("%d multipart uploads left behind (%v)", n, err)
			}
		})
	}
}

// Under faults on every kind of request (500, 503 SlowDown, dropped and
// reset connections), bounded so that retries always get through, Put
// stores every object intact and leaves no multipart upload behind.
func TestPutUnderFaults(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{Buckets: []string{"media"}})
	c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region,
		AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey, MaxRetries: 4})
	if err != nil {
		t.Fatal(err)
	}
	hostups3.SetMultipartThreshold(c, 8<<20)
	e.SetS3Faults(emulator.S3Faults{InternalErrorRate: 0.1, SlowDownRate: 0.1, DropRate: 0.05, ResetRate: 0.05, LostAnswerRate: 0.05, MaxConsecutive: 2})
	for i, size := range []int{0, 1, 4 << 10, 1 << 20, 12 << 20} {
		payload := make([]byte, size)
		_, _ = rand.Read(payload)
		key := fmt.Sprintf("obj-%d", i)
		obj, err := c.Put(context.Background(), hostups3.PutInput{Bucket: "media", Key: key, Body: bytes.NewReader(payload), Size: int64(size)})
		if err != nil {
			t.Fatalf("%s (%d bytes): %v", key, size, err)
		}
		want, _ := c.ETag(bytes.NewReader(payload), int64(size))
		if obj.ETag != want {
			t.Errorf("%s: ETag %s, want %s", key, obj.ETag, want)
		}
		if got, _ := e.GetObject("media", key); !bytes.Equal(got, payload) {
			t.Errorf("%s: the stored bytes differ", key)
		}
	}
	e.SetS3Faults(emulator.S3Faults{})
	if n := e.S3Requests(); n[emulator.OpPutObject]+n[emulator.OpUploadPart] == 0 {
		t.Fatal("no uploads counted")
	}
}

// A configured part size and concurrency: the ETag computed before the
// upload is the one the object gets, in as many parts as that size makes,
// and a part size below S3's minimum is raised to it.
func TestPutWithConfiguredParts(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{Buckets: []string{"parts"}})
	for _, tc := range []struct {
		partSize int64
		parts    int
	}{{8 << 20, 3}, {1 << 20, 5}} {
		t.Run(fmt.Sprintf("%d", tc.partSize), func(t *testing.T) {
			c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region, AccessKeyID: emulator.DefaultAccessKeyID,
				SecretAccessKey: emulator.DefaultSecretAccessKey, PartSize: tc.partSize, PartConcurrency: 3})
			if err != nil {
				t.Fatal(err)
			}
			hostups3.SetMultipartThreshold(c, 10<<20)
			body := make([]byte, 21<<20)
			_, _ = rand.Read(body)
			want, err := c.ETag(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatal(err)
			}
			before := e.S3Requests()[emulator.OpUploadPart]
			obj, err := c.Put(context.Background(), hostups3.PutInput{Bucket: "parts", Key: "big.bin", Body: bytes.NewReader(body), Size: int64(len(body))})
			if err != nil {
				t.Fatal(err)
			}
			if obj.ETag != want || !strings.HasSuffix(want, fmt.Sprintf("-%d", tc.parts)) {
				t.Errorf("ETag %s, computed %s, want %d parts", obj.ETag, want, tc.parts)
			}
			if n := e.S3Requests()[emulator.OpUploadPart] - before; n != tc.parts {
				t.Errorf("%d parts uploaded, want %d", n, tc.parts)
			}
		})
	}
}

// The ETag of a file is the same whether its parts are hashed in parallel
// (a body that can be read at offsets) or in one pass as it streams, at and
// around part boundaries.
func TestETagInParallelIsTheStreamedOne(t *testing.T) {
	e := emulatortest.Start(t, emulator.Options{})
	c := objectClient(t, e, emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey)
	hostups3.SetMultipartThreshold(c, 6<<20)
	payload := make([]byte, 20<<20+1)
	_, _ = rand.Read(payload)
	for _, size := range []int{6<<20 + 1, 10 << 20, 10<<20 + 1, 20<<20 + 1} {
		parallel, err := c.ETag(bytes.NewReader(payload[:size]), int64(size))
		if err != nil {
			t.Fatal(err)
		}
		streamed, err := c.ETag(struct{ io.Reader }{bytes.NewReader(payload[:size])}, int64(size))
		if err != nil {
			t.Fatal(err)
		}
		if parallel != streamed || !strings.Contains(parallel, "-") {
			t.Errorf("%d bytes: in parallel %s, streamed %s", size, parallel, streamed)
		}
	}
	// A file shorter than it was said to be is an error, not an ETag.
	if _, err := c.ETag(bytes.NewReader(payload[:8<<20]), 10<<20); err == nil {
		t.Error("no error for a short body")
	}
}
