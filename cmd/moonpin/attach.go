package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/moonpin/moonpin/internal/keyboard"
	"golang.org/x/term"
)

// serviceSocket is where the service's socket is when $RUNTIME_DIRECTORY is
// not set (in an ssh session it is not): systemd's RuntimeDirectory=moonpin.
const serviceSocket = "/run/moonpin/" + socketName

// runAttach is `moonpin attach [PATH]`: it bridges stdin and stdout to the
// REPL on a moonpin's socket, so that `ssh board moonpin attach` is a REPL
// over the network with no port of its own. It runs no Lua. On a terminal
// it puts it in raw mode (control keys reach the REPL) and Ctrl-] or Ctrl-X leaves;
// otherwise it ends when stdin ends. The end of stdin ends the session, as a
// client leaving does: what was sent but not yet answered is dropped, so a
// client waits for its answers first (moonctl does).
func runAttach(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) > 1 || (len(args) == 1 && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Fprintf(stderr, "usage: moonpin attach [SOCKET]\nBridges stdin and stdout to a moonpin's REPL socket (default %s, or $RUNTIME_DIRECTORY/%s).\n", serviceSocket, socketName)
		if len(args) == 1 {
			return 0
		}
		return 2
	}
	path := defaultSocket()
	if path == "" {
		path = serviceSocket
	}
	if len(args) == 1 {
		path = args[0]
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		hint := ""
		switch {
		case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED):
			hint = "; is moonpin running with --socket (the service has it under $RUNTIME_DIRECTORY)?"
		case errors.Is(err, os.ErrPermission):
			hint = "; is this user in the service's group?"
		}
		fmt.Fprintf(stderr, "moonpin attach: no REPL at %s: %v%s\n", path, err, hint)
		return 1
	}
	defer conn.Close()
	onTerminal := term.IsTerminal(int(stdin.Fd()))
	if onTerminal {
		state, err := term.MakeRaw(int(stdin.Fd()))
		if err != nil {
			fmt.Fprintf(stderr, "moonpin attach: %v\n", err)
			return 1
		}
		defer term.Restore(int(stdin.Fd()), state)
		fmt.Fprintf(stderr, "Connected to %s; Ctrl-] or Ctrl-X leaves.\r\n", path)
	}
	received := make(chan error, 1)
	go func() {
		_, err := io.Copy(stdout, conn)
		received <- err
	}()
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		// Ctrl-] leaves on a terminal, as in moonctl repl.
		_ = keyboard.Forward(conn, stdin, onTerminal)
	}()
	select {
	case err := <-received:
		// moonpin ended the session (stopped, or another client took it).
		if err != nil && !errors.Is(err, net.ErrClosed) {
			fmt.Fprintf(stderr, "moonpin attach: %v\n", err)
			return 1
		}
		return 0
	case <-sent:
	}
	if onTerminal {
		return 0
	}
	// The end of stdin: moonpin ends the session when it reads the end;
	// what it wrote before comes first.
	_ = conn.CloseWrite()
	if err := <-received; err != nil && !errors.Is(err, net.ErrClosed) {
		fmt.Fprintf(stderr, "moonpin attach: %v\n", err)
		return 1
	}
	return 0
}
