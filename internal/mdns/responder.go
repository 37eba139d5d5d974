package mdns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/ipv4"
)

// Announcement is what a board says about itself. Nothing in it may be
// secret: anyone on the LAN can ask.
type Announcement struct {
	Instance string   // the instance's name ("raspberrypi"): one DNS label
	Host     string   // the host's name ("raspberrypi"); Host.local is the SRV target
	Port     int      // the port to reach the board on: its SSH port
	TXT      []string // "key=value" strings ("version=1.2.3", "board=Raspberry Pi 4")
}

// TTLs: 120 s for records about the host, as RFC 6762 section 10
// recommends; a legacy unicast answer's are 10 s at most (section 6.7).
const (
	ttl       = 120
	ttlLegacy = 10
)

// rescanEvery is how often the responder looks at the interfaces: one that
// came up (Wi-Fi joining its network after the service started at boot) or
// whose addresses changed (a DHCP lease) is announced on; and each
// announcement goes out a second time, as RFC 6762 section 8.3 asks.
var rescanEvery = 2 * time.Second

// Responder answers queries for one announcement. Its methods are safe to
// call from any goroutine.
type Responder struct {
	a         Announcement
	conn      *ipv4.PacketConn
	addr      *net.UDPAddr
	multicast bool
	list      func() ([]net.Interface, error) // the interfaces to be on now

	inst, host, svc dnsmessage.Name

	stop chan struct{} // closed by Close, ends watch
	wg   sync.WaitGroup

	mu     sync.Mutex // guards what follows, and the multicast interface while sending
	closed bool
	ifaces map[int]*iface // by index: those joined and announced on
}

// iface is an interface the responder is on.
type iface struct {
	ifi    net.Interface
	addrs  []netip.Addr
	key    string // addrs as text, to see them change
	repeat bool   // announce again at the next scan
}

// Start announces a on the interfaces of cfg and answers queries until
// Close. It fails when the port cannot be had (another responder holds it
// without sharing it). Interfaces that come up later are announced on when
// they do.
func Start(a Announcement, cfg Config) (*Responder, error) {
	return start(a, cfg, cfg.interfaces)
}

func start(a Announcement, cfg Config, list func() ([]net.Interface, error)) (*Responder, error) {
	ap := cfg.addr()
	multicast := ap.Addr().IsMulticast()
	var lc net.ListenConfig
	bind := ap
	if multicast {
		lc.Control = shareAddr
		bind = netip.AddrPortFrom(netip.IPv4Unspecified(), ap.Port())
	}
	pc, err := lc.ListenPacket(context.Background(), "udp4", bind.String())
	if err != nil {
		return nil, fmt.Errorf("mdns: listening on %v: %w", ap, err)
	}
	addr := net.UDPAddrFromAddrPort(ap)
	if !multicast {
		// Port 0 took a free port: announcements go to the one taken.
		addr = pc.LocalAddr().(*net.UDPAddr)
	}
	conn := ipv4.NewPacketConn(pc)
	if multicast {
		// A browser on the board itself hears the board.
		_ = conn.SetMulticastLoopback(true)
		_ = conn.SetMulticastTTL(255)
	}
	// Where the platform tells, an answer names the addresses of the
	// interface the query came in on.
	_ = conn.SetControlMessage(ipv4.FlagInterface, true)
	r := &Responder{
		a: a, conn: conn, addr: addr, multicast: multicast, list: list,
		inst:   mustName(label(a.Instance) + "." + Service),
		host:   mustName(label(a.Host) + ".local."),
		svc:    mustName(Service),
		ifaces: map[int]*iface{},
		stop:   make(chan struct{}),
	}
	r.scan()
	r.wg.Add(2)
	go func() { defer r.wg.Done(); r.serve() }()
	go func() { defer r.wg.Done(); r.watch() }()
	return r, nil
}

// Close says goodbye (the records again with a TTL of 0, so browsers forget
// the board at once) and stops answering.
func (r *Responder) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	for _, st := range r.ifaces {
		r.announce(st, 0)
	}
	r.closed = true
	r.mu.Unlock()
	close(r.stop)
	err := r.conn.Close()
	r.wg.Wait()
	return err
}

func (r *Responder) watch() {
	t := time.NewTicker(rescanEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.scan()
		}
	}
}

// scan joins the group on the interfaces that came up and leaves it on
// those gone, and announces where that is due: on an interface new or with
// new addresses, and a second time at the scan after.
func (r *Responder) scan() {
	list, err := r.list()
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	seen := map[int]bool{}
	for _, ifi := range list {
		st := r.ifaces[ifi.Index]
		if st == nil {
			if r.multicast {
				// EADDRINUSE: still a member from before the interface
				// went down and came back.
				if err := r.conn.JoinGroup(&ifi, r.addr); err != nil && !errors.Is(err, syscall.EADDRINUSE) {
					continue
				}
			}
			st = &iface{}
			r.ifaces[ifi.Index] = st
		}
		seen[ifi.Index] = true
		st.ifi = ifi
		addrs := addrsOf(ifi)
		switch key := fmt.Sprint(addrs); {
		case key != st.key:
			st.addrs, st.key, st.repeat = addrs, key, true
			r.announce(st, ttl)
		case st.repeat:
			st.repeat = false
			r.announce(st, ttl)
		}
	}
	for index, st := range r.ifaces {
		if !seen[index] {
			if r.multicast {
				_ = r.conn.LeaveGroup(&st.ifi, r.addr)
			}
			delete(r.ifaces, index)
		}
	}
}

// announce sends the whole announcement, unasked, on one interface. r.mu
// is held.
func (r *Responder) announce(st *iface, ttl uint32) {
	msg, err := r.answer(dnsmessage.Header{Response: true, Authoritative: true}, nil,
		records{ptr: true}, records{srv: true, txt: true, addr: true}, st.addrs, ttl, true)
	if err != nil {
		return
	}
	_ = r.conn.SetMulticastInterface(&st.ifi)
	_, _ = r.conn.WriteTo(msg, nil, r.addr)
}

// serve answers queries until the connection is closed.
func (r *Responder) serve() {
	buf := make([]byte, 9000)
	for {
		n, cm, src, err := r.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		ifIndex := 0
		if cm != nil {
			ifIndex = cm.IfIndex
		}
		r.reply(buf[:n], ifIndex, src)
	}
}

// records are the kinds of record a message carries.
type records struct{ enum, ptr, srv, txt, addr bool }

func (a records) minus(b records) records {
	return records{a.enum && !b.enum, a.ptr && !b.ptr, a.srv && !b.srv, a.txt && !b.txt, a.addr && !b.addr}
}

func (a records) any() bool { return a.enum || a.ptr || a.srv || a.txt || a.addr }

// reply answers a query that asks about the board.
func (r *Responder) reply(query []byte, ifIndex int, src net.Addr) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil || h.Response || h.OpCode != 0 {
		return
	}
	qs, err := p.AllQuestions()
	if err != nil {
		return
	}
	var want records
	unicast := false
	for _, q := range qs {
		t := q.Type
		anyType := t == dnsmessage.TypeALL
		switch {
		case sameName(q.Name, servicesName) && (t == dnsmessage.TypePTR || anyType):
			want.enum = true
		case sameName(q.Name, Service) && (t == dnsmessage.TypePTR || anyType):
			want.ptr = true
		case sameName(q.Name, r.inst.String()):
			want.srv = want.srv || t == dnsmessage.TypeSRV || anyType
			want.txt = want.txt || t == dnsmessage.TypeTXT || anyType
		case sameName(q.Name, r.host.String()):
			want.addr = want.addr || t == dnsmessage.TypeA || t == dnsmessage.TypeAAAA || anyType
		default:
			continue
		}
		unicast = unicast || q.Class&qclassUnicast != 0
	}
	if !want.any() {
		return
	}
	var extra records
	if want.ptr {
		extra = records{srv: true, txt: true, addr: true}
	}
	if want.srv {
		extra.addr = true
	}
	extra = extra.minus(want)
	udpSrc, ok := src.(*net.UDPAddr)
	if !ok {
		return
	}
	// A query from a port other than the group's is a legacy (one-shot)
	// query: the answer goes back to it alone, with its ID and questions,
	// short TTLs and no cache-flush bits (RFC 6762 section 6.7).
	legacy := udpSrc.Port != r.addr.Port
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	addrs := r.addrs(ifIndex)
	if legacy {
		msg, err := r.answer(dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true}, qs, want, extra, addrs, ttlLegacy, false)
		if err == nil {
			_, _ = r.conn.WriteTo(msg, nil, udpSrc)
		}
		return
	}
	msg, err := r.answer(dnsmessage.Header{Response: true, Authoritative: true}, nil, want, extra, addrs, ttl, true)
	if err != nil {
		return
	}
	dst := r.addr
	if unicast {
		dst = udpSrc
	}
	if ifi, err := net.InterfaceByIndex(ifIndex); err == nil && ifIndex != 0 {
		_ = r.conn.SetMulticastInterface(ifi)
	}
	_, _ = r.conn.WriteTo(msg, nil, dst)
}

// addrs are the addresses of the interface with index ifIndex, or of every
// interface the responder is on where that one is not known. r.mu is held.
func (r *Responder) addrs(ifIndex int) []netip.Addr {
	if st := r.ifaces[ifIndex]; st != nil && len(st.addrs) > 0 {
		return st.addrs
	}
	var list []netip.Addr
	for _, st := range r.ifaces {
		list = append(list, st.addrs...)
	}
	slices.SortFunc(list, netip.Addr.Compare)
	return slices.Compact(list)
}

// addrsOf lists the addresses of ifi.
func addrsOf(ifi net.Interface) []netip.Addr {
	as, err := ifi.Addrs()
	if err != nil {
		return nil
	}
	var list []netip.Addr
	for _, a := range as {
		if ipn, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(ipn.IP); ok {
				list = append(list, ip.Unmap())
			}
		}
	}
	return list
}

// answer builds a response: the records of answers, then those of extra as
// additional records.
func (r *Responder) answer(h dnsmessage.Header, qs []dnsmessage.Question, answers, extra records, addrs []netip.Addr, ttl uint32, flush bool) ([]byte, error) {
	b := dnsmessage.NewBuilder(nil, h)
	b.EnableCompression()
	if len(qs) > 0 {
		if err := b.StartQuestions(); err != nil {
			return nil, err
		}
		for _, q := range qs {
			if err := b.Question(q); err != nil {
				return nil, err
			}
		}
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	if err := r.build(&b, answers, addrs, ttl, flush); err != nil {
		return nil, err
	}
	if err := b.StartAdditionals(); err != nil {
		return nil, err
	}
	if err := r.build(&b, extra, addrs, ttl, flush); err != nil {
		return nil, err
	}
	return b.Finish()
}

func (r *Responder) build(b *dnsmessage.Builder, rs records, addrs []netip.Addr, ttl uint32, flush bool) error {
	// The board's own records are unique to it: they flush what caches
	// hold. The PTRs name one of many instances and must not.
	unique := dnsmessage.ClassINET
	if flush {
		unique |= qclassUnicast
	}
	hdr := func(name dnsmessage.Name, class dnsmessage.Class) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: name, Class: class, TTL: ttl}
	}
	var errs []error
	if rs.enum {
		errs = append(errs, b.PTRResource(hdr(mustName(servicesName), dnsmessage.ClassINET), dnsmessage.PTRResource{PTR: r.svc}))
	}
	if rs.ptr {
		errs = append(errs, b.PTRResource(hdr(r.svc, dnsmessage.ClassINET), dnsmessage.PTRResource{PTR: r.inst}))
	}
	if rs.srv {
		errs = append(errs, b.SRVResource(hdr(r.inst, unique), dnsmessage.SRVResource{Port: uint16(r.a.Port), Target: r.host}))
	}
	if rs.txt {
		txt := r.a.TXT
		if len(txt) == 0 {
			txt = []string{""} // a TXT record has at least one string
		}
		errs = append(errs, b.TXTResource(hdr(r.inst, unique), dnsmessage.TXTResource{TXT: txt}))
	}
	if rs.addr {
		for _, a := range addrs {
			if a.Is4() {
				errs = append(errs, b.AResource(hdr(r.host, unique), dnsmessage.AResource{A: a.As4()}))
			} else {
				errs = append(errs, b.AAAAResource(hdr(r.host, unique), dnsmessage.AAAAResource{AAAA: a.As16()}))
			}
		}
	}
	return errors.Join(errs...)
}
