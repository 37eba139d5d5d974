//go:build unix

package mdns

import (
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// shareAddr lets the responder share its port with the others on the host
// (avahi-daemon, mDNSResponder), as Go's ListenMulticastUDP does: with
// SO_REUSEADDR on Linux, with SO_REUSEPORT as well on the BSDs and macOS.
func shareAddr(_, _ string, c syscall.RawConn) error {
	var err error
	cerr := c.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
		if err == nil && runtime.GOOS != "linux" {
			err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
		}
	})
	if cerr != nil {
		return cerr
	}
	return err
}
