// Package mdnstest gives tests of mDNS an address on the loopback interface
// only, so no test sends anything to the network around the machine.
package mdnstest

import (
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/ipv4"
)

// Loopback is where a test's responder and browser meet.
type Loopback struct {
	// Addr is the mDNS group on a port of the test's own, where the
	// loopback interface carries multicast, else a unicast loopback
	// address and port: the responder listens there and the browser's
	// questions and the answers take the same code paths, by unicast.
	Addr      netip.AddrPort
	Multicast bool
	Interface net.Interface // lo
	IfaceName string
}

// New finds out whether multicast works on the loopback interface, by
// sending a datagram to a group on it and reading it back.
// MDNSTEST_UNICAST=1 runs the unicast way where multicast works too.
func New(t testing.TB) Loopback {
	t.Helper()
	lo := loopbackInterface(t)
	port := freePort(t)
	group := netip.AddrPortFrom(netip.MustParseAddr("224.0.0.251"), port)
	l := Loopback{Interface: lo, IfaceName: lo.Name}
	if os.Getenv("MDNSTEST_UNICAST") != "1" && multicastWorks(lo, group) {
		l.Addr, l.Multicast = group, true
		return l
	}
	t.Logf("no multicast on %s here: mDNS runs by unicast on 127.0.0.1", lo.Name)
	l.Addr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
	return l
}

// NeedMulticast skips a test that only multicast can run (an announcement
// nobody asked for), except in CI, where it fails.
func (l Loopback) NeedMulticast(t testing.TB) {
	t.Helper()
	if l.Multicast {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("multicast does not work on %s, and CI must run this test", l.IfaceName)
	}
	t.Skipf("multicast does not work on %s here", l.IfaceName)
}

func loopbackInterface(t testing.TB) net.Interface {
	t.Helper()
	all, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifi := range all {
		if ifi.Flags&net.FlagLoopback != 0 && ifi.Flags&net.FlagUp != 0 {
			return ifi
		}
	}
	t.Fatal("no loopback interface is up")
	return net.Interface{}
}

// freePort is a UDP port free on the loopback address a moment ago.
func freePort(t testing.TB) uint16 {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return uint16(c.LocalAddr().(*net.UDPAddr).Port)
}

func multicastWorks(lo net.Interface, group netip.AddrPort) bool {
	addr := net.UDPAddrFromAddrPort(group)
	rc, err := net.ListenMulticastUDP("udp4", &lo, addr)
	if err != nil {
		return false
	}
	defer rc.Close()
	sc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return false
	}
	defer sc.Close()
	if ipv4.NewPacketConn(sc).SetMulticastInterface(&lo) != nil {
		return false
	}
	if _, err := sc.WriteToUDP([]byte("probe"), addr); err != nil {
		return false
	}
	_ = rc.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 16)
	n, _, err := rc.ReadFromUDP(buf)
	return err == nil && string(buf[:n]) == "probe"
}

// Listener hears what is sent to the group on the loopback interface.
type Listener struct {
	t     testing.TB
	conn  *net.UDPConn
	group *net.UDPAddr
}

// Listen joins the group on the loopback interface, sharing its port with
// the responder under test. It needs multicast.
func (l Loopback) Listen(t testing.TB) *Listener {
	t.Helper()
	l.NeedMulticast(t)
	group := net.UDPAddrFromAddrPort(l.Addr)
	c, err := net.ListenMulticastUDP("udp4", &l.Interface, group)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Listener{t: t, conn: c, group: group}
}

// Response waits for a response to the group whose records all have the
// TTL ttl and one of which is named name (case aside), and returns it.
func (g *Listener) Response(name string, ttl uint32, within time.Duration) dnsmessage.Message {
	g.t.Helper()
	_ = g.conn.SetReadDeadline(time.Now().Add(within))
	buf := make([]byte, 9000)
	for {
		n, err := g.conn.Read(buf)
		if err != nil {
			g.t.Fatalf("no response about %s with TTL %d within %v: %v", name, ttl, within, err)
		}
		var m dnsmessage.Message
		if m.Unpack(buf[:n]) != nil || !m.Header.Response {
			continue
		}
		all := append(append([]dnsmessage.Resource{}, m.Answers...), m.Additionals...)
		named, ttls := false, true
		for _, r := range all {
			named = named || strings.EqualFold(r.Header.Name.String(), name)
			ttls = ttls && r.Header.TTL == ttl
		}
		if named && ttls {
			return m
		}
	}
}

// Ask sends a query from the group's port, as a full mDNS querier
// (avahi-browse, macOS's dns-sd) does: the answer goes to the group.
func (g *Listener) Ask(name string, typ dnsmessage.Type) {
	g.t.Helper()
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{})
	_ = b.StartQuestions()
	n, err := dnsmessage.NewName(name)
	if err != nil {
		g.t.Fatal(err)
	}
	_ = b.Question(dnsmessage.Question{Name: n, Type: typ, Class: dnsmessage.ClassINET})
	msg, err := b.Finish()
	if err != nil {
		g.t.Fatal(err)
	}
	// The connection's multicast interface is the loopback interface.
	if _, err := g.conn.WriteToUDP(msg, g.group); err != nil {
		g.t.Fatal(err)
	}
}
