// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package transport holds what HostUp's two clients, the API (package
// hostup) and the S3 side (package hostups3), share about HTTP: which
// endpoints may carry credentials, which transport failures can never pass
// on their own, and connections that fail when they stall. It knows nothing
// about Terraform.
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// ParseEndpoint checks that raw is an absolute https URL with a host and no
// credentials, query or fragment, and returns it parsed. Plain http is
// accepted only for a loopback host (a local emulator): anywhere else a
// credential would cross the network in clear text. Its errors never quote
// the parts of raw that may hold a secret (user info, query, fragment).
func ParseEndpoint(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("endpoint is empty")
	}
	// url.Parse's own error quotes the whole value: not wrapped.
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("endpoint is not a valid URL")
	}
	shown := RedactURL(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q must be an absolute URL starting with https://", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q has no host", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("endpoint %q must not carry credentials in the URL; set them in the provider instead", shown)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q must not have a query or fragment", shown)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("endpoint %q uses plain http:// to a host that is not this machine, so credentials "+
			"would cross the network unencrypted; use https:// (plain http:// is accepted only for 127.0.0.0/8, ::1 "+
			"and localhost, such as a local emulator)", shown)
	}
	return u, nil
}

// IsLoopback reports whether host (a name or an IP address, without port)
// is this machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RedactURL is u without anything that may hold a secret: user info, query
// and fragment are dropped.
func RedactURL(u *url.URL) string {
	clean := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return clean.String()
}

// Permanent reports whether a transport error fails the same way every time,
// so retrying it only wastes the user's time: a name that does not resolve,
// a certificate problem, https spoken to a plain http server, absurd headers.
func Permanent(err error) bool {
	var (
		record tls.RecordHeaderError
		dns    *net.DNSError
	)
	switch {
	case CertificateProblem(err):
		return true
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return true
	case errors.As(err, &dns) && dns.IsNotFound:
		return true
	case strings.Contains(err.Error(), "server response headers exceeded"):
		return true
	}
	return false
}

// CertificateProblem reports whether err is a TLS certificate the client
// does not trust (unknown authority, wrong name, expired).
func CertificateProblem(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verify           *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// UnresolvedHost reports whether err is a host name that does not resolve.
func UnresolvedHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// StallTimeoutTransport returns a clone of the default transport (proxy
// settings and system certificates as the default's) whose connections fail
// when nothing moves either way for idle: a stalled server ends an attempt,
// however long a healthy large transfer takes. Dialing and the TLS handshake
// are bounded by idle too.
//
// "Moves" is measured on the wire where the system says (Linux): once a
// request body is written, it can sit in the socket's send buffer for a
// while on a slow link, and the wait for the answer starts only when the
// server has it all; bytes still leaving the send buffer count as progress.
func StallTimeoutTransport(idle time.Duration) *http.Transport {
	t := &http.Transport{}
	if d, ok := http.DefaultTransport.(*http.Transport); ok {
		t = d.Clone()
	}
	dialer := &net.Dialer{Timeout: idle, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &stallConn{Conn: conn, idle: idle}, nil
	}
	t.TLSHandshakeTimeout = idle
	// An idle pooled connection is closed before its read deadline can
	// fire under a request that just picked it up.
	t.IdleConnTimeout = idle / 2
	// HTTP/1.1 only: one request per connection, so a stall is that
	// request's alone.
	t.ForceAttemptHTTP2 = false
	t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	return t
}

// stallConn pushes both deadlines forward on every read and write: while a
// large body goes out, the transport's read of the answer is already
// waiting, and must not time out as long as the upload progresses.
type stallConn struct {
	net.Conn
	idle time.Duration
	// queued is the send queue's length after the last write or check.
	queued atomic.Int64
}

func (c *stallConn) Read(b []byte) (int, error) {
	for {
		if err := c.SetDeadline(time.Now().Add(c.idle)); err != nil {
			return 0, err
		}
		n, err := c.Conn.Read(b)
		var netErr net.Error
		if n == 0 && errors.As(err, &netErr) && netErr.Timeout() && c.draining() {
			continue // still sending: no stall
		}
		return n, err
	}
}

func (c *stallConn) Write(b []byte) (int, error) {
	written := 0
	for {
		if err := c.SetDeadline(time.Now().Add(c.idle)); err != nil {
			return written, err
		}
		n, err := c.Conn.Write(b[written:])
		written += n
		var netErr net.Error
		// A write blocks while the send buffer is full; it times out on a
		// slow link although the buffer drains: still no stall.
		if errors.As(err, &netErr) && netErr.Timeout() && written < len(b) && c.draining() {
			continue
		}
		if q, ok := sendQueue(c.Conn); ok {
			c.queued.Store(int64(q))
		}
		return written, err
	}
}

// draining reports whether bytes left the send queue since the last write
// or check.
func (c *stallConn) draining() bool {
	q, ok := sendQueue(c.Conn)
	return ok && int64(q) < c.queued.Swap(int64(q))
}
