// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package emulator is a local HostUp: the object-storage API (presign, bucket
// listing, overview) and an S3 side that stores objects and accepts only
// requests with a valid SigV4 signature (presigned or header-signed) from
// one of its key pairs. The S3 side is meant to be as strict as HostUp's
// Ceph RGW 16.2, so that what RGW refuses fails here first. Tests run it
// in-process; cmd/hostup-emulator serves it on loopback for demos.
package emulator

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

const (
	// Region is the AWS region HostUp reports for its S3 endpoint.
	Region = hostups3.DefaultRegion
	// DefaultExpiresIn is HostUp's presigned URL lifetime.
	DefaultExpiresIn = hostup.DefaultExpiresIn
	// DefaultAccessKeyID and DefaultSecretAccessKey are the emulator's own S3
	// credentials, used to sign and verify presigned URLs.
	DefaultAccessKeyID     = "HOSTUPEMULATORKEY01"
	DefaultSecretAccessKey = "emulator-secret-access-key-not-a-real-one"
)

// Options configures an Emulator. The zero value is usable: one API key
// ("test-api-key"), no buckets, 900 s URLs, the system clock.
type Options struct {
	// APIKeys are the keys the API accepts in X-API-Key.
	APIKeys []string
	// Buckets are created empty at start.
	Buckets []string
	// ExpiresIn is the lifetime of issued URLs (HostUp's is 900 s).
	ExpiresIn time.Duration
	// Envelope is the error shape the API answers with.
	Envelope Envelope
	// Now is the emulator's clock, for API timestamps, signing and expiry
	// checks; nil means time.Now. Advance moves it forward.
	Now func() time.Time
	// Dir, when set, stores objects under this directory instead of memory,
	// with bucket settings (CORS, lifecycle, policy) beside them; such an
	// emulator refuses versioning (NotImplemented), files holding one
	// version each.
	Dir string
	// AccessKeyID and SecretAccessKey sign URLs; empty means the defaults.
	AccessKeyID, SecretAccessKey string
	// TLS serves both sides over HTTPS with a generated self-signed
	// certificate (see CertPEM).
	TLS bool
	// Unverified answers bucket creation 403, as HostUp does for an account
	// whose identity is not verified.
	Unverified bool
	// Addr is the API listener's address for Start; empty means a free
	// loopback port. S3Addr is the same for the S3 side.
	Addr, S3Addr string
	// RequestLog, when set, receives one line per request on either side,
	// with its answer's status; API keys and signatures never appear in it.
	RequestLog io.Writer
}

// DefaultAPIKey is the key accepted when Options.APIKeys is empty.
const DefaultAPIKey = "test-api-key"

// Emulator is a running (or ready to run) local HostUp.
type Emulator struct {
	opts Options

	mu       sync.Mutex
	saveMu   sync.Mutex // serializes saveState
	createMu sync.Mutex // makes a bucket's exists-check and creation one step
	apiKeys  map[string]struct{}
	keys     map[string]keyPair   // S3 key pairs by access key ID
	created  map[string]time.Time // bucket creation times
	// bucketSettings are CORS, lifecycle and policy by bucket.
	bucketSettings map[string]bucketSettings
	requests       []RecordedRequest
	offset         time.Duration
	faults         faultState
	s3faults       s3FaultState
	s3Counts       map[string]int // S3 requests by operation

	completeMu sync.Mutex // one CompleteMultipartUpload at a time

	store   *objectStore
	started time.Time

	api, s3       *http.Server
	apiURL, s3URL string
	certPEM       []byte
	signer        *hostups3.Signer
	counters      counters
}

// New builds an Emulator without starting it.
func New(opts Options) (*Emulator, error) {
	if opts.ExpiresIn == 0 {
		opts.ExpiresIn = DefaultExpiresIn
	}
	if opts.ExpiresIn < time.Second || opts.ExpiresIn > 7*24*time.Hour {
		return nil, fmt.Errorf("emulator: expiry %s is outside 1s..7d", opts.ExpiresIn)
	}
	if len(opts.APIKeys) == 0 {
		opts.APIKeys = []string{DefaultAPIKey}
	}
	if opts.AccessKeyID == "" {
		opts.AccessKeyID = DefaultAccessKeyID
	}
	if opts.SecretAccessKey == "" {
		opts.SecretAccessKey = DefaultSecretAccessKey
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Emulator{
		opts:    opts,
		apiKeys: map[string]struct{}{},
		keys:    map[string]keyPair{opts.AccessKeyID: {secret: opts.SecretAccessKey, label: "emulator"}},
		created: map[string]time.Time{},

		bucketSettings: map[string]bucketSettings{},
	}
	e.started = e.now()
	for _, k := range opts.APIKeys {
		e.apiKeys[k] = struct{}{}
	}
	store, err := newObjectStore(opts.Dir, e.now)
	if err != nil {
		return nil, err
	}
	e.store = store
	if err := e.loadState(); err != nil {
		return nil, err
	}
	for _, b := range opts.Buckets {
		if err := e.AddBucket(b); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Start listens on loopback (or the configured addresses) and serves the API
// and the S3 side until Close.
func (e *Emulator) Start() error {
	apiLn, err := listen(e.opts.Addr)
	if err != nil {
		return err
	}
	s3Ln, err := listen(e.opts.S3Addr)
	if err != nil {
		_ = apiLn.Close()
		return err
	}
	scheme := "http"
	if e.opts.TLS {
		cfg, certPEM, err := newTLSConfig(e.now(), func() { e.counters.tlsHandshakes.Add(1) })
		if err != nil {
			_ = apiLn.Close()
			_ = s3Ln.Close()
			return err
		}
		e.certPEM = certPEM
		apiLn, s3Ln = tls.NewListener(apiLn, cfg), tls.NewListener(s3Ln, cfg)
		scheme = "https"
	}
	e.apiURL = scheme + "://" + apiLn.Addr().String() + apiPrefix
	e.s3URL = scheme + "://" + s3Ln.Addr().String()
	if e.signer, err = hostups3.NewSigner(hostups3.Config{Endpoint: e.s3URL, Region: Region, AccessKeyID: e.opts.AccessKeyID, SecretAccessKey: e.opts.SecretAccessKey}); err != nil {
		_ = apiLn.Close()
		_ = s3Ln.Close()
		return err
	}
	// Handshake failures from untrusting clients are expected in tests.
	quiet := log.New(io.Discard, "", 0)
	e.api = &http.Server{Handler: e.logRequests("API", e.apiHandler()), ReadHeaderTimeout: 10 * time.Second, ConnState: e.counters.connState, ErrorLog: quiet}
	e.s3 = &http.Server{Handler: e.logRequests("S3 ", e.s3Handler()), ReadHeaderTimeout: 10 * time.Second, ConnState: e.counters.connState, ErrorLog: quiet}
	go func() { _ = e.api.Serve(apiLn) }()
	go func() { _ = e.s3.Serve(s3Ln) }()
	return nil
}

func listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Close stops both servers at once, closing open connections: a graceful
// shutdown would wait for idle keep-alive connections clients never used.
func (e *Emulator) Close() error {
	var errs []error
	for _, s := range []*http.Server{e.api, e.s3} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

// APIURL is the API base URL to configure the provider with
// (http://127.0.0.1:PORT/api).
func (e *Emulator) APIURL() string { return e.apiURL }

// S3URL is the S3 endpoint presigned URLs point at.
func (e *Emulator) S3URL() string { return e.s3URL }

// CertPEM is the PEM certificate clients must trust when Options.TLS is set,
// nil otherwise.
func (e *Emulator) CertPEM() []byte { return e.certPEM }

// AddBucket creates an empty bucket (nothing happens when it exists).
func (e *Emulator) AddBucket(name string) error {
	if e.bucketExists(name) {
		return nil
	}
	if err := e.store.createBucket(name); err != nil {
		return err
	}
	created := e.now().UTC().Truncate(time.Second)
	e.mu.Lock()
	e.created[name] = created
	e.mu.Unlock()
	return e.saveState()
}

// bucketCreatedOverS3 records when a bucket made through the S3 API was
// made, as one made through the API is.
func (e *Emulator) bucketCreatedOverS3(name string) {
	created := e.now().UTC().Truncate(time.Second)
	e.mu.Lock()
	if _, ok := e.created[name]; !ok {
		e.created[name] = created
	}
	e.mu.Unlock()
	_ = e.saveState()
}

// bucketDeletedOverS3 forgets a bucket deleted through the S3 API.
func (e *Emulator) bucketDeletedOverS3(name string) {
	e.mu.Lock()
	delete(e.created, name)
	delete(e.bucketSettings, name)
	e.mu.Unlock()
	_ = e.saveState()
}

// PutObject stores an object directly, bypassing presigned URLs, to seed
// tests and demos.
func (e *Emulator) PutObject(bucket, key string, data []byte) error {
	if !e.bucketExists(bucket) {
		return fmt.Errorf("emulator: no bucket %q", bucket)
	}
	return e.store.put(bucket, key, data)
}

// GetObject returns an object's bytes, bypassing presigned URLs, so tests
// can check what arrived.
func (e *Emulator) GetObject(bucket, key string) ([]byte, error) {
	return e.store.get(bucket, key)
}

// Advance moves the emulator's clock forward by d.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.offset += d
}

// Now is the emulator's clock: Options.Now moved by every Advance.
func (e *Emulator) Now() time.Time { return e.now() }

func (e *Emulator) now() time.Time {
	e.mu.Lock()
	off := e.offset
	e.mu.Unlock()
	return e.opts.Now().Add(off)
}

func (e *Emulator) expires() time.Duration { return e.opts.ExpiresIn }

func (e *Emulator) envelope() Envelope { return e.opts.Envelope }

func (e *Emulator) record(r RecordedRequest) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = append(e.requests, r)
}

// Requests returns a copy of every API request received so far.
func (e *Emulator) Requests() []RecordedRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]RecordedRequest(nil), e.requests...)
}
