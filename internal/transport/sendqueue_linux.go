// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package transport

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// sendQueue is how many bytes this side wrote to conn that the peer has not
// acknowledged yet (SIOCOUTQ).
func sendQueue(conn net.Conn) (int, bool) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return 0, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var (
		n    int
		qErr error
	)
	if err := raw.Control(func(fd uintptr) { n, qErr = unix.IoctlGetInt(int(fd), unix.SIOCOUTQ) }); err != nil || qErr != nil {
		return 0, false
	}
	return n, true
}
