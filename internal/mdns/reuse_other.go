//go:build !unix

package mdns

import "syscall"

// shareAddr does nothing where moonpin does not run as a service.
func shareAddr(_, _ string, _ syscall.RawConn) error { return nil }
