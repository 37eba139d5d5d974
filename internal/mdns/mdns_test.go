package mdns_test

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/mdns"
	"github.com/moonpin/moonpin/internal/mdns/mdnstest"
	"go.uber.org/goleak"
	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/ipv4"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var testBoard = mdns.Announcement{
	Instance: "testboard", Host: "testhost", Port: 2222,
	TXT: []string{"version=1.2.3", "board=Raspberry Pi 4"},
}

func start(t *testing.T, l mdnstest.Loopback, a mdns.Announcement) *mdns.Responder {
	t.Helper()
	r, err := mdns.Start(a, config(l))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func config(l mdnstest.Loopback) mdns.Config {
	return mdns.Config{Addr: l.Addr, Interfaces: []net.Interface{l.Interface}}
}

// TestBrowseFindsResponder: a board announced on the loopback interface is
// found, with everything the announcement said, and the browse ends as soon
// as the caller has what it wants.
func TestBrowseFindsResponder(t *testing.T) {
	l := mdnstest.New(t)
	start(t, l, testBoard)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	began := time.Now()
	var boards []mdns.Board
	var latency time.Duration
	err := mdns.Browse(ctx, config(l), func(b mdns.Board) {
		latency = time.Since(began)
		boards = append(boards, b)
		cancel()
	})
	if err != nil {
		t.Fatalf("Browse: %v", err)
	}
	if len(boards) != 1 {
		t.Fatalf("found %d boards, want 1: %+v", len(boards), boards)
	}
	b := boards[0]
	t.Logf("found on %v (multicast %v) in %v: %+v", l.Addr, l.Multicast, latency, b)
	if b.Instance != "testboard" || b.Host != "testhost.local" || b.Port != 2222 {
		t.Errorf("board %q on %s:%d, want testboard on testhost.local:2222", b.Instance, b.Host, b.Port)
	}
	if b.TXT["version"] != "1.2.3" || b.TXT["board"] != "Raspberry Pi 4" {
		t.Errorf("TXT %v, want version 1.2.3 and board Raspberry Pi 4", b.TXT)
	}
	if !b.From.IsLoopback() {
		t.Errorf("the answer came from %v, want a loopback address", b.From)
	}
	if !slices.Contains(b.Addrs, netip.MustParseAddr("127.0.0.1")) {
		t.Errorf("addresses %v, want 127.0.0.1 among them", b.Addrs)
	}
	if time.Since(began) > 2*time.Second {
		t.Errorf("Browse returned %v after it began, long after the board answered", time.Since(began))
	}
}

// TestBrowseFindsEachBoard: two boards, even with the same name, are two
// lines.
func TestBrowseFindsEachBoard(t *testing.T) {
	l := mdnstest.New(t)
	l.NeedMulticast(t) // two responders hear one query only where it is multicast
	start(t, l, testBoard)
	other := testBoard
	other.Instance = "other"
	start(t, l, other)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var names []string
	err := mdns.Browse(ctx, config(l), func(b mdns.Board) {
		names = append(names, b.Instance)
		if len(names) == 2 {
			cancel()
		}
	})
	if err != nil {
		t.Fatalf("Browse: %v", err)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"other", "testboard"}) {
		t.Errorf("found %v, want other and testboard", names)
	}
}

// query is a legacy unicast query: one question.
func query(t *testing.T, id uint16, name string, typ dnsmessage.Type) []byte {
	t.Helper()
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id})
	_ = b.StartQuestions()
	n, err := dnsmessage.NewName(name)
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Question(dnsmessage.Question{Name: n, Type: typ, Class: dnsmessage.ClassINET})
	msg, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// ask sends a legacy unicast question about something else, then the one
// given, and returns the first answer, which must be to the second: the
// first gets none.
func ask(t *testing.T, l mdnstest.Loopback, id uint16, name string, typ dnsmessage.Type) (dnsmessage.Header, []dnsmessage.Resource, []dnsmessage.Resource) {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if l.Multicast {
		if err := ipv4.NewPacketConn(c).SetMulticastInterface(&l.Interface); err != nil {
			t.Fatal(err)
		}
	}
	for _, msg := range [][]byte{query(t, id+1000, "_other._tcp.local.", dnsmessage.TypePTR), query(t, id, name, typ)} {
		if _, err := c.WriteToUDPAddrPort(msg, l.Addr); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 9000)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no answer to %s %v: %v", name, typ, err)
	}
	var p dnsmessage.Parser
	h, err := p.Start(buf[:n])
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	if h.ID != id {
		t.Fatalf("the first answer has ID %d, want %d: a question about another service was answered", h.ID, id)
	}
	qs, _ := p.AllQuestions()
	if len(qs) != 1 || qs[0].Name.String() != name {
		t.Errorf("answer repeats questions %v, want the one asked (RFC 6762 6.7)", qs)
	}
	answers, err := p.AllAnswers()
	if err != nil {
		t.Fatal(err)
	}
	_ = p.SkipAllAuthorities()
	extra, err := p.AllAdditionals()
	if err != nil {
		t.Fatal(err)
	}
	return h, answers, extra
}

func withoutAAAA(list []string) []string {
	return slices.DeleteFunc(list, func(s string) bool { return strings.HasPrefix(s, "TypeAAAA ") })
}

// types2 names the records, whatever their TTLs.
func types2(rs []dnsmessage.Resource) []string {
	var list []string
	for _, r := range rs {
		list = append(list, r.Header.Type.String()+" "+r.Header.Name.String())
	}
	slices.Sort(list)
	return list
}

func types(rs []dnsmessage.Resource) []string {
	var list []string
	for _, r := range rs {
		list = append(list, r.Header.Type.String()+" "+r.Header.Name.String())
		if r.Header.TTL > 10 {
			list = append(list, "a legacy answer's TTL over 10 s")
		}
	}
	slices.Sort(list)
	return list
}

// TestAnswers: each question about the board gets its records, and what a
// browser would ask next comes with them.
func TestAnswers(t *testing.T) {
	l := mdnstest.New(t)
	start(t, l, testBoard)
	const inst = "testboard._moonpin._tcp.local."
	cases := []struct {
		name          string
		typ           dnsmessage.Type
		answers, more []string
	}{
		{"_moonpin._tcp.local.", dnsmessage.TypePTR,
			[]string{"TypePTR _moonpin._tcp.local."},
			[]string{"TypeA testhost.local.", "TypeSRV " + inst, "TypeTXT " + inst}},
		{"_services._dns-sd._udp.local.", dnsmessage.TypePTR, []string{"TypePTR _services._dns-sd._udp.local."}, nil},
		{inst, dnsmessage.TypeSRV, []string{"TypeSRV " + inst}, []string{"TypeA testhost.local."}},
		{"TESTBOARD._moonpin._tcp.local.", dnsmessage.TypeTXT, []string{"TypeTXT " + inst}, nil},
		{"testhost.local.", dnsmessage.TypeA, []string{"TypeA testhost.local."}, nil},
	}
	for i, c := range cases {
		h, answers, extra := ask(t, l, uint16(i+1), c.name, c.typ)
		if !h.Response || !h.Authoritative {
			t.Errorf("%s: header %+v, want an authoritative response", c.name, h)
		}
		// Loopback has IPv6 (::1) too where it is configured: only the
		// IPv4 record is compared.
		if got := withoutAAAA(types(answers)); !slices.Equal(got, c.answers) {
			t.Errorf("%s %v: answers %v, want %v", c.name, c.typ, got, c.answers)
		}
		if got := withoutAAAA(types(extra)); !slices.Equal(got, c.more) {
			t.Errorf("%s %v: additional %v, want %v", c.name, c.typ, got, c.more)
		}
	}
}

// TestAnnounceAndGoodbye: the board tells the group about itself when it
// starts, unasked, and takes it back (TTL 0) when it stops.
func TestAnnounceAndGoodbye(t *testing.T) {
	l := mdnstest.New(t)
	l.NeedMulticast(t)
	group, err := net.ListenMulticastUDP("udp4", &l.Interface, net.UDPAddrFromAddrPort(l.Addr))
	if err != nil {
		t.Fatal(err)
	}
	defer group.Close()
	r, err := mdns.Start(testBoard, config(l))
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	records := func(wantTTL uint32) []string {
		t.Helper()
		_ = group.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 9000)
		for {
			n, err := group.Read(buf)
			if err != nil {
				t.Fatalf("no announcement with TTL %d: %v", wantTTL, err)
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil || !h.Response {
				continue
			}
			_ = p.SkipAllQuestions()
			answers, _ := p.AllAnswers()
			_ = p.SkipAllAuthorities()
			extra, _ := p.AllAdditionals()
			all := append(answers, extra...)
			if len(all) == 0 || all[0].Header.TTL != wantTTL {
				continue
			}
			for _, rr := range all {
				if rr.Header.TTL != wantTTL {
					t.Errorf("%v TTL %d, want %d", rr.Header.Name, rr.Header.TTL, wantTTL)
				}
			}
			return withoutAAAA(types2(all))
		}
	}
	want := []string{"TypeA testhost.local.", "TypePTR _moonpin._tcp.local.", "TypeSRV testboard._moonpin._tcp.local.", "TypeTXT testboard._moonpin._tcp.local."}
	if got := records(120); !slices.Equal(got, want) {
		t.Errorf("announcement %v, want %v", got, want)
	}
	t.Logf("announced %v after Start", time.Since(began))
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if got := records(0); !slices.Equal(got, want) {
		t.Errorf("goodbye %v, want %v", got, want)
	}
}

// TestPortTaken: a port held by a socket that does not share it is an
// error from Start, not a hang or a panic.
func TestPortTaken(t *testing.T) {
	l := mdnstest.New(t)
	bind := l.Addr
	if l.Multicast {
		bind = netip.AddrPortFrom(netip.IPv4Unspecified(), l.Addr.Port())
	}
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(bind))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r, err := mdns.Start(testBoard, config(l)); err == nil {
		r.Close()
		t.Fatalf("Start on %v held by another socket succeeded", l.Addr)
	}
}

// TestAnswersFullQuerier: a query from the group's port (avahi-browse,
// dns-sd) is answered to the group, for every browser there to hear.
func TestAnswersFullQuerier(t *testing.T) {
	l := mdnstest.New(t)
	group := l.Listen(t)
	start(t, l, testBoard)
	// Service enumeration: what no announcement carries.
	const services = "_services._dns-sd._udp.local."
	group.Ask(services, dnsmessage.TypePTR)
	m := group.Response(services, 120, 5*time.Second)
	if m.Header.ID != 0 || len(m.Questions) != 0 {
		t.Errorf("multicast answer with ID %d and %d questions; want neither (RFC 6762 18.1, 6)", m.Header.ID, len(m.Questions))
	}
	if len(m.Answers) != 1 || m.Answers[0].Body.(*dnsmessage.PTRResource).PTR.String() != mdns.Service {
		t.Errorf("answers %v, want the PTR to %s", m.Answers, mdns.Service)
	}
}

// TestInterfaces: --mdns-iface names interfaces; a name that is none is an
// error that names it.
func TestInterfaces(t *testing.T) {
	l := mdnstest.New(t)
	list, err := mdns.Interfaces(" " + l.IfaceName + ", ")
	if err != nil || len(list) != 1 || list[0].Index != l.Interface.Index {
		t.Errorf("Interfaces(%q) = %v, %v; want %s", l.IfaceName, list, err, l.IfaceName)
	}
	if _, err := mdns.Interfaces(l.IfaceName + ",nosuch0"); err == nil || !strings.Contains(err.Error(), "nosuch0") {
		t.Errorf("Interfaces with nosuch0: %v, want an error naming it", err)
	}
}
