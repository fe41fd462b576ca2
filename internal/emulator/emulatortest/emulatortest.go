// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package emulatortest starts a HostUp emulator for the length of one test.
package emulatortest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// Start runs an emulator until the test ends; with no buckets configured it
// has one, "media".
func Start(t testing.TB, opts emulator.Options) *emulator.Emulator {
	t.Helper()
	if opts.Buckets == nil {
		opts.Buckets = []string{"media"}
	}
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// Log is a request log (emulator.Options.RequestLog) that a test reads while
// the emulator's handlers write to it.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything logged so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Do sends one request with a presigned URL, the way a consumer would (or
// to the API, with header pairs such as "X-API-Key", key), and returns the
// status and body.
func Do(method, url, contentType string, body []byte, header ...string) (int, string, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// Tamper changes one character of a presigned URL's signature.
func Tamper(url string) string {
	i := strings.Index(url, "X-Amz-Signature=") + len("X-Amz-Signature=")
	if i < len("X-Amz-Signature=") || i >= len(url) {
		return url + "0"
	}
	c := byte('a')
	if url[i] == 'a' {
		c = 'b'
	}
	return url[:i] + string(c) + url[i+1:]
}
