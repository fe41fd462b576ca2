// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net"
	"net/http"
	"sync/atomic"
)

// Counters are what the emulator has seen since it started.
type Counters struct {
	APIRequests int64
	// Connections counts accepted TCP connections on both sides.
	Connections int64
	// TLSHandshakes counts TLS handshakes (full or resumed) when TLS is on.
	TLSHandshakes int64
}

type counters struct {
	apiRequests, connections, tlsHandshakes atomic.Int64
}

func (c *counters) connState(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.connections.Add(1)
	}
}

// Counters returns a snapshot of the request and connection counters.
func (e *Emulator) Counters() Counters {
	return Counters{
		APIRequests:   e.counters.apiRequests.Load(),
		Connections:   e.counters.connections.Load(),
		TLSHandshakes: e.counters.tlsHandshakes.Load(),
	}
}
