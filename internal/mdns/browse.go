package mdns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/ipv4"
)

// Board is a board found on the network.
type Board struct {
	Instance string            // "raspberrypi"
	Host     string            // "raspberrypi.local"
	Port     int               // its SSH port
	Addrs    []netip.Addr      // the host's addresses, as the board gave them
	TXT      map[string]string // "version" → "1.2.3", "board" → "Raspberry Pi 4"
	From     netip.Addr        // the address the answer came from
}

// requeryAfter is when Browse asks a second time, for a query or an answer
// lost on the way (Wi-Fi drops multicast).
const requeryAfter = 250 * time.Millisecond

// Browse asks for boards on the interfaces of cfg and calls found once for
// each board that answers, until ctx is done. It asks as a one-shot querier
// (RFC 6762 section 5.1) from a port of its own, so the answers come back
// to it alone by unicast and it needs no group membership. It returns nil
// when ctx ends it, or why no query could be sent.
func Browse(ctx context.Context, cfg Config, found func(Board)) error {
	ifaces, err := cfg.interfaces()
	if err != nil {
		return err
	}
	if len(ifaces) == 0 {
		return errors.New("mdns: no interface is up with multicast")
	}
	dst := net.UDPAddrFromAddrPort(cfg.addr())
	// Answers come back to the address the query left from: on one
	// interface, its own, or the unicast address queried.
	local := &net.UDPAddr{IP: net.IPv4zero}
	if !dst.IP.IsMulticast() {
		local.IP = dst.IP
	} else if len(ifaces) == 1 {
		if ip := ipv4Of(ifaces[0]); ip != nil {
			local.IP = ip
		}
	}
	udp, err := net.ListenUDP("udp4", local)
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	defer udp.Close()
	conn := ipv4.NewPacketConn(udp)
	_ = conn.SetMulticastTTL(255)

	query, err := ptrQuery()
	if err != nil {
		return err
	}
	send := func() error {
		var errs []error
		sent := false
		for _, ifi := range ifaces {
			if dst.IP.IsMulticast() {
				if err := conn.SetMulticastInterface(&ifi); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", ifi.Name, err))
					continue
				}
			}
			if _, err := conn.WriteTo(query, nil, dst); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", ifi.Name, err))
				continue
			}
			sent = true
		}
		if !sent {
			return fmt.Errorf("mdns: sending the query: %w", errors.Join(errs...))
		}
		return nil
	}
	if err := send(); err != nil {
		return err
	}

	// The end of ctx ends the read under way.
	var mu sync.Mutex
	ended := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		ended = true
		_ = udp.SetReadDeadline(time.Now())
	})
	defer stop()
	requery := time.Now().Add(requeryAfter)
	seen := map[string]bool{}
	answers := map[netip.Addr]*answerSet{}
	buf := make([]byte, 9000)
	for {
		mu.Lock()
		if ended {
			mu.Unlock()
			return nil
		}
		deadline := requery // none once the second query is out
		if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
			deadline = d
		}
		_ = udp.SetReadDeadline(deadline)
		mu.Unlock()
		n, src, err := udp.ReadFromUDPAddrPort(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if ctx.Err() != nil {
				return nil
			}
			if !requery.IsZero() && !time.Now().Before(requery) {
				requery = time.Time{}
				_ = send()
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("mdns: %w", err)
		}
		from := src.Addr().Unmap()
		set := answers[from]
		if set == nil {
			set = newAnswerSet()
			answers[from] = set
		}
		if !set.add(buf[:n]) {
			continue
		}
		for _, b := range set.boards(from) {
			key := from.String() + " " + b.Instance
			if !seen[key] {
				seen[key] = true
				found(b)
			}
		}
	}
}

// ptrQuery asks for the instances of the service.
func ptrQuery() ([]byte, error) {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{})
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(dnsmessage.Question{Name: mustName(Service), Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET}); err != nil {
		return nil, err
	}
	return b.Finish()
}

// answerSet gathers the records one responder sent, which may come in more
// than one message.
type answerSet struct {
	instances map[string]string // the instance names the service's PTRs named, by their lower case
	srv       map[string]dnsmessage.SRVResource
	txt       map[string][]string
	addrs     map[string][]netip.Addr
}

func newAnswerSet() *answerSet {
	return &answerSet{instances: map[string]string{}, srv: map[string]dnsmessage.SRVResource{}, txt: map[string][]string{}, addrs: map[string][]netip.Addr{}}
}

// add takes in the records of a response; false if msg is not one.
func (s *answerSet) add(msg []byte) bool {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil || !h.Response {
		return false
	}
	if err := p.SkipAllQuestions(); err != nil {
		return false
	}
	var rs []dnsmessage.Resource
	ans, err := p.AllAnswers()
	if err != nil {
		return false
	}
	rs = append(rs, ans...)
	if err := p.SkipAllAuthorities(); err == nil {
		extra, _ := p.AllAdditionals()
		rs = append(rs, extra...)
	}
	for _, r := range rs {
		if r.Header.TTL == 0 {
			// A goodbye: the record is gone.
			continue
		}
		name := strings.ToLower(r.Header.Name.String())
		switch body := r.Body.(type) {
		case *dnsmessage.PTRResource:
			if name == Service {
				s.instances[strings.ToLower(body.PTR.String())] = body.PTR.String()
			}
		case *dnsmessage.SRVResource:
			s.srv[name] = *body
		case *dnsmessage.TXTResource:
			s.txt[name] = body.TXT
		case *dnsmessage.AResource:
			s.addAddr(name, netip.AddrFrom4(body.A))
		case *dnsmessage.AAAAResource:
			s.addAddr(name, netip.AddrFrom16(body.AAAA))
		}
	}
	return true
}

func (s *answerSet) addAddr(name string, a netip.Addr) {
	if !slices.Contains(s.addrs[name], a) {
		s.addrs[name] = append(s.addrs[name], a)
	}
}

// boards are the instances of the service whose SRV and TXT records came.
func (s *answerSet) boards(from netip.Addr) []Board {
	var list []Board
	for inst, name := range s.instances {
		srv, ok := s.srv[inst]
		txt, ok2 := s.txt[inst]
		if !ok || !ok2 || !strings.HasSuffix(inst, "."+Service) {
			continue
		}
		host := strings.ToLower(srv.Target.String())
		b := Board{
			Instance: name[:len(name)-len("."+Service)],
			Host:     strings.TrimSuffix(host, "."),
			Port:     int(srv.Port),
			Addrs:    s.addrs[host],
			TXT:      map[string]string{},
			From:     from,
		}
		for _, kv := range txt {
			if k, v, ok := strings.Cut(kv, "="); ok {
				b.TXT[strings.ToLower(k)] = v
			}
		}
		list = append(list, b)
	}
	slices.SortFunc(list, func(a, b Board) int { return strings.Compare(a.Instance, b.Instance) })
	return list
}

// ipv4Of is the first IPv4 address of ifi, or nil.
func ipv4Of(ifi net.Interface) net.IP {
	as, err := ifi.Addrs()
	if err != nil {
		return nil
	}
	for _, a := range as {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
			return ipn.IP.To4()
		}
	}
	return nil
}
