package main

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/mdns"
	"github.com/moonpin/moonpin/internal/mdns/mdnstest"
	"github.com/moonpin/moonpin/repl/client"
	"golang.org/x/net/dns/dnsmessage"
)

// instanceName is the name moonpin announces: the host's name.
func instanceName(t *testing.T) string {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ = strings.Cut(host, ".")
	return host
}

// TestAnnouncesWhileServing: moonpin serving its REPL announces the board
// (its SSH port, version and board name, and nothing else) when it starts,
// and says goodbye when it is stopped.
func TestAnnouncesWhileServing(t *testing.T) {
	l := mdnstest.New(t)
	group := l.Listen(t)
	b := launchBoard(t, t.TempDir(), []string{mdns.TestAddrEnv + "=" + l.Addr.String()}, "--pty", "--root", t.TempDir(), "--ssh-port", "2222")
	inst := instanceName(t) + "." + mdns.Service
	m := group.Response(inst, 120, waitLimit)
	var txt []string
	port := 0
	for _, r := range append(m.Answers, m.Additionals...) {
		switch body := r.Body.(type) {
		case *dnsmessage.SRVResource:
			port = int(body.Port)
		case *dnsmessage.TXTResource:
			txt = body.TXT
		}
	}
	if port != 2222 {
		t.Errorf("announced SSH port %d, want 2222 (--ssh-port)", port)
	}
	slices.Sort(txt)
	if want := []string{"board=sim", "version=dev"}; !slices.Equal(txt, want) {
		t.Errorf("TXT %q, want %q and nothing more", txt, want)
	}
	b.stop()
	group.Response(inst, 0, waitLimit)
	if !strings.Contains(b.out.String(), "announcing ssh://") {
		t.Errorf("stderr does not say what is announced: %s", b.out.String())
	}
}

// found browses the loopback interface for a while, or until a board
// answers, and returns what answered.
func found(t *testing.T, l mdnstest.Loopback, within time.Duration) []mdns.Board {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var boards []mdns.Board
	err := mdns.Browse(ctx, mdns.Config{Addr: l.Addr, Interfaces: []net.Interface{l.Interface}}, func(b mdns.Board) {
		boards = append(boards, b)
		cancel()
	})
	if err != nil {
		t.Fatalf("Browse: %v", err)
	}
	return boards
}

// TestNoAnnouncement: --mdns=false, and a script that moonpin only runs,
// announce nothing; the same browse finds a board that serves its REPL.
func TestNoAnnouncement(t *testing.T) {
	l := mdnstest.New(t)
	env := []string{mdns.TestAddrEnv + "=" + l.Addr.String()}
	off := launchBoard(t, t.TempDir(), env, "--pty", "--root", t.TempDir(), "--mdns=false")
	script := exec.Command(moonpinBin, "--root", t.TempDir(), "-e", `print("running") time.sleep(60)`)
	script.Env = append(os.Environ(), env...)
	out, err := script.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := script.Start(); err != nil {
		t.Fatal(err)
	}
	defer killIfRunning(script)
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "running\n" {
		t.Fatalf("the script printed %q", line)
	}
	if boards := found(t, l, 500*time.Millisecond); len(boards) != 0 {
		t.Errorf("found %+v; want nothing from --mdns=false or a script", boards)
	}
	script.Process.Signal(syscall.SIGTERM)
	off.stop()
	launchBoard(t, t.TempDir(), env, "--pty", "--root", t.TempDir())
	if boards := found(t, l, waitLimit); len(boards) == 0 {
		t.Error("the control board serving its REPL was not found")
	}
}

// TestAnnouncementFailureIsAWarning: with the mDNS port held by a socket
// that does not share it (a responder without SO_REUSEADDR), moonpin says
// so and serves its REPL all the same.
func TestAnnouncementFailureIsAWarning(t *testing.T) {
	l := mdnstest.New(t)
	bind := l.Addr
	if l.Multicast {
		bind = netip.AddrPortFrom(netip.IPv4Unspecified(), l.Addr.Port())
	}
	held, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(bind))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	b := launchBoard(t, t.TempDir(), []string{mdns.TestAddrEnv + "=" + l.Addr.String()}, "--pty", "--root", t.TempDir())
	c := b.client(client.Options{})
	defer c.Close()
	if v, err := c.Eval(ctx(t), "1 + 1"); err != nil || v != "2" {
		t.Fatalf("eval: %q, %v", v, err)
	}
	b.stop()
	if !strings.Contains(b.out.String(), "moonpin: not announcing the board on the LAN: ") {
		t.Errorf("stderr does not warn of the failure: %s", b.out.String())
	}
}
