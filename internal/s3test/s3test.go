// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package s3test is the S3 server a test runs against: a real one (Ceph RGW
// started by scripts/rgw.sh, named by the HOSTUP_TEST_S3_* environment
// variables), or else the project's emulator, in process. Either way it
// offers an http and an https endpoint, a key pair, the certificate to
// trust, and an SDK client to seed and check buckets with.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// The environment variables scripts/rgw.sh writes, naming an external S3
// server.
const (
	EnvEndpoint    = "HOSTUP_TEST_S3_ENDPOINT"
	EnvTLSEndpoint = "HOSTUP_TEST_S3_TLS_ENDPOINT"
	EnvCAFile      = "HOSTUP_TEST_S3_CA_FILE"
	EnvAccessKey   = "HOSTUP_TEST_S3_ACCESS_KEY_ID"
	EnvSecretKey   = "HOSTUP_TEST_S3_SECRET_ACCESS_KEY"
	EnvServer      = "HOSTUP_TEST_S3_SERVER"
)

// Region is HostUp's; RGW accepts any region in a signature.
const Region = "eu-north-1"

// External reports whether the environment names an external S3 server.
func External() bool { return os.Getenv(EnvEndpoint) != "" }

// Endpoint is one S3 base URL and what a client needs to use it.
type Endpoint struct {
	// URL is scheme://host:port.
	URL                  string
	AccessKey, SecretKey string
	// CAFile is a PEM file of the certificate to trust (https only): set
	// SSL_CERT_FILE to it for a process that must trust the endpoint.
	CAFile string
	// S3 is an SDK client for seeding and checking, checksums only where
	// required.
	S3 *s3.Client
	// HTTP trusts the endpoint's certificate and follows no redirects.
	HTTP *http.Client
	// rootCAs is the endpoint's certificate, nil for http.
	rootCAs *x509.CertPool
}

// ObjectClient is the provider's own S3 client for the endpoint, with
// maxRetries retries.
func (ep *Endpoint) ObjectClient(t testing.TB, maxRetries int) *hostups3.ObjectClient {
	t.Helper()
	c, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: ep.URL, Region: hostups3.DefaultRegion,
		AccessKeyID: ep.AccessKey, SecretAccessKey: ep.SecretKey, MaxRetries: maxRetries, RootCAs: ep.rootCAs})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Target is the server under test.
type Target struct {
	// Server is "emulator", or HOSTUP_TEST_S3_SERVER ("rgw").
	Server     string
	Plain, TLS *Endpoint
	// Emulators are the in-process emulators behind Plain and TLS (nil
	// for an external server), each with its own store.
	PlainEmulator, TLSEmulator *emulator.Emulator
}

// Start returns the target for one test: the external server, or two
// emulators (http, https) that stop when the test ends.
func Start(t testing.TB) *Target {
	t.Helper()
	if External() {
		tgt := &Target{Server: os.Getenv(EnvServer)}
		if tgt.Server == "" {
			tgt.Server = "external"
		}
		for _, k := range []string{EnvTLSEndpoint, EnvCAFile, EnvAccessKey, EnvSecretKey} {
			if os.Getenv(k) == "" {
				t.Fatalf("%s is set but %s is not", EnvEndpoint, k)
			}
		}
		caPEM, err := os.ReadFile(os.Getenv(EnvCAFile))
		if err != nil {
			t.Fatal(err)
		}
		tgt.Plain = newEndpoint(t, os.Getenv(EnvEndpoint), nil, "", os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey))
		tgt.TLS = newEndpoint(t, os.Getenv(EnvTLSEndpoint), caPEM, os.Getenv(EnvCAFile), os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey))
		return tgt
	}
	tgt := &Target{Server: "emulator"}
	for _, useTLS := range []bool{false, true} {
		e, err := emulator.New(emulator.Options{TLS: useTLS})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.Close() })
		if !useTLS {
			tgt.PlainEmulator = e
			tgt.Plain = ForEmulator(t, e)
			continue
		}
		tgt.TLSEmulator = e
		tgt.TLS = ForEmulator(t, e)
	}
	return tgt
}

// ForEmulator is the S3 endpoint of an emulator a test already runs, with
// the emulator's key pair.
func ForEmulator(t testing.TB, e *emulator.Emulator) *Endpoint {
	t.Helper()
	caFile := ""
	if pem := e.CertPEM(); pem != nil {
		caFile = filepath.Join(t.TempDir(), "emulator-ca.pem")
		if err := os.WriteFile(caFile, pem, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return newEndpoint(t, e.S3URL(), e.CertPEM(), caFile, emulator.DefaultAccessKeyID, emulator.DefaultSecretAccessKey)
}

func newEndpoint(t testing.TB, url string, caPEM []byte, caFile, access, secret string) *Endpoint {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's
	var pool *x509.CertPool
	if caPEM != nil {
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			t.Fatalf("no certificate in the CA file for %s", url)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	hc := &http.Client{Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	client := s3.New(s3.Options{
		Region: Region, BaseEndpoint: aws.String(url), UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: access, SecretAccessKey: secret}, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		HTTPClient:                 hc,
	})
	return &Endpoint{URL: url, AccessKey: access, SecretKey: secret, CAFile: caFile, S3: client, HTTP: hc, rootCAs: pool}
}

// Bucket creates a bucket with a fresh name through S3 and removes it,
// with everything in it, when the test ends.
func (ep *Endpoint) Bucket(t testing.TB, prefix string) string {
	t.Helper()
	name := prefix + "-" + randomHex()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := ep.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("creating bucket %s at %s: %v", name, ep.URL, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := ep.RemoveBucket(ctx, name); err != nil {
			t.Errorf("removing bucket %s: %v", name, err)
		}
	})
	return name
}

// RemoveBucket aborts a bucket's multipart uploads, deletes its objects,
// then the bucket.
func (ep *Endpoint) RemoveBucket(ctx context.Context, bucket string) error {
	if ups, err := ep.S3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)}); err == nil {
		for _, u := range ups.Uploads {
			_, _ = ep.S3.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId})
		}
	}
	p := s3.NewListObjectsV2Paginator(ep.S3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, o := range page.Contents {
			if _, err := ep.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key}); err != nil {
				return err
			}
		}
	}
	_, err := ep.S3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	return err
}

// Put stores an object, as a change made outside Terraform would.
func (ep *Endpoint) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := ep.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
		t.Fatalf("putting %s/%s: %v", bucket, key, err)
	}
}

// Get returns an object's bytes, or an error when it does not exist.
func (ep *Endpoint) Get(bucket, key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := ep.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// Head returns an object's ETag (unquoted) and size.
func (ep *Endpoint) Head(bucket, key string) (etag string, size int64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := ep.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", 0, err
	}
	e := aws.ToString(out.ETag)
	if len(e) >= 2 && e[0] == '"' {
		e = e[1 : len(e)-1]
	}
	return e, aws.ToInt64(out.ContentLength), nil
}

// MultipartUploads counts a bucket's multipart uploads in progress.
func (ep *Endpoint) MultipartUploads(bucket string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := ep.S3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		return 0, err
	}
	return len(out.Uploads), nil
}

// Download fetches a presigned URL as a booting instance would.
func (ep *Endpoint) Download(url string) ([]byte, error) {
	resp, err := ep.HTTP.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	return b, err
}

func randomHex() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
