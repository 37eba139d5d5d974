package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/mdns"
	"github.com/moonpin/moonpin/internal/mdns/mdnstest"
)

// TestPortsListsBoardsOnLAN: a moonpin serving its REPL announces itself,
// and moonctl ports lists it by its ssh:// address beside the serial ports;
// with --no-mdns it lists the serial ports alone.
func TestPortsListsBoardsOnLAN(t *testing.T) {
	l := mdnstest.New(t)
	t.Setenv(mdns.TestAddrEnv, l.Addr.String())
	b := startBoardArgs(t, nil, "--ssh-port", "2222")
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ = strings.Cut(host, ".")
	want := fmt.Sprintf("* ssh://%s.local:2222  moonpin dev on \"sim\" (mDNS 127.0.0.1)\n", host)
	began := time.Now()
	out := b.ok("ports")
	t.Logf("moonctl ports took %v (it browses for %v):\n%s", time.Since(began), browseFor, out)
	if !strings.Contains(out, want) {
		t.Errorf("moonctl ports printed\n%s\nwant a line %q", out, want)
	}
	if strings.Count(out, "ssh://") != 1 {
		t.Errorf("moonctl ports printed\n%s\nwant the board once", out)
	}
	out = b.ok("ports", "--no-mdns")
	if strings.Contains(out, "ssh://") || strings.Contains(out, "mDNS") {
		t.Errorf("moonctl ports --no-mdns printed\n%s\nwant the serial ports only", out)
	}
}
