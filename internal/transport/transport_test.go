// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/transport"
)

// A transfer that keeps moving is never cut off, however long it takes in
// all; one that stops moving for the idle time fails.
func TestStallTimeoutTransport(t *testing.T) {
	const idle = 300 * time.Millisecond
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stall" {
			_, _ = io.CopyN(io.Discard, r.Body, 10)
			time.Sleep(3 * idle) // reads nothing more, answers nothing
			return
		}
		buf := make([]byte, 64<<10)
		for { // reads slowly but steadily: about 8 x idle in all
			n, err := r.Body.Read(buf)
			if n > 0 {
				time.Sleep(idle / 4)
			}
			if err != nil {
				break
			}
		}
		_, _ = io.WriteString(w, "done")
	}))
	// A small receive buffer on the server, as a slow link has in effect:
	// most of the body waits in the client's send buffer, not in the
	// server's, whatever loopback's defaults.
	srv.Listener = smallReceiveBuffer{srv.Listener}
	srv.Start()
	defer srv.Close()
	client := &http.Client{Transport: transport.StallTimeoutTransport(idle)}

	body := bytes.Repeat([]byte("x"), 32*64<<10)
	start := time.Now()
	resp, err := client.Post(srv.URL+"/slow", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("a transfer that progresses failed after %s: %v", time.Since(start), err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != "done" {
		t.Fatalf("answer %q", got)
	}

	_, err = client.Post(srv.URL+"/stall", "application/octet-stream", bytes.NewReader(body))
	var netErr net.Error
	if err == nil || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("a stalled transfer: %v, want a timeout", err)
	}
}

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&net.DNSError{Err: "no such host", Name: "s3.example.invalid", IsNotFound: true}, true},
		{&net.DNSError{Err: "server misbehaving", Name: "s3.example.invalid", IsTemporary: true}, false},
		{errors.New("http: server gave HTTP response to HTTPS client"), true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, false},
		{io.ErrUnexpectedEOF, false},
	} {
		if got := transport.Permanent(tc.err); got != tc.want {
			t.Errorf("Permanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if !strings.Contains(func() string { _, err := transport.ParseEndpoint("http://example.com"); return err.Error() }(), "plain http") {
		t.Error("plain http to a remote host is accepted")
	}
}

// smallReceiveBuffer gives every accepted connection a 64 KiB receive buffer.
type smallReceiveBuffer struct{ net.Listener }

func (l smallReceiveBuffer) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(64 << 10)
	}
	return c, err
}
