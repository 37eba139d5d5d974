package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// Network ports: -p unix:///run/moonpin/repl.sock is the socket of a
// moonpin on this machine.
const unixScheme = "unix://"

// isNetworkPort reports whether port names a socket rather than a serial
// port.
func isNetworkPort(port string) bool {
	return strings.HasPrefix(port, unixScheme)
}

// dialUnix connects to a moonpin's socket.
func dialUnix(port string) (io.ReadWriteCloser, error) {
	path := strings.TrimPrefix(port, unixScheme)
	c, err := net.Dial("unix", path)
	if err != nil {
		hint := ""
		switch {
		case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED):
			hint = "; is moonpin running with --socket " + path + "?"
		case errors.Is(err, os.ErrPermission):
			hint = "; is this user in the moonpin service's group?"
		}
		return nil, fmt.Errorf("%s: %w%s", port, err, hint)
	}
	return c, nil
}
