// Package mdns announces a moonpin board on the local network with multicast
// DNS service discovery (RFC 6762, RFC 6763) and finds the boards that
// announce themselves: moonpin runs a Responder, moonctl ports calls Browse.
//
// It knows one service type, speaks over IPv4 (its answers carry IPv6
// addresses too) and builds its messages with golang.org/x/net/dns/dnsmessage.
// What a general responder does beyond that (probing for name conflicts,
// known-answer suppression, an IPv6 transport) it leaves out: a device binary
// has a size budget that a general mDNS library does not fit in.
package mdns

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// Service is the DNS-SD service type boards announce.
const Service = "_moonpin._tcp.local."

// servicesName is DNS-SD's service type enumeration (RFC 6763 section 9).
const servicesName = "_services._dns-sd._udp.local."

// Group is the mDNS IPv4 multicast group and port.
var Group = netip.MustParseAddrPort("224.0.0.251:5353")

// Config says where mDNS traffic goes.
type Config struct {
	// Addr is the group the responder joins and announces to and queries
	// go to: Group where it is not valid. Tests name another port, or a
	// unicast loopback address where multicast does not work: the
	// responder then listens there and browsers get unicast answers.
	Addr netip.AddrPort
	// Interfaces are those to join, announce and query on: by default
	// every interface that is up and has multicast.
	Interfaces []net.Interface
}

func (c Config) addr() netip.AddrPort {
	if c.Addr.IsValid() {
		return c.Addr
	}
	return Group
}

// interfaces are those to be on now: of c.Interfaces, those that exist
// and are up (looked up again, as they come and go); by default every one
// up with multicast.
func (c Config) interfaces() ([]net.Interface, error) {
	if len(c.Interfaces) > 0 {
		var up []net.Interface
		for _, named := range c.Interfaces {
			if ifi, err := net.InterfaceByName(named.Name); err == nil && ifi.Flags&net.FlagUp != 0 {
				up = append(up, *ifi)
			}
		}
		return up, nil
	}
	all, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("mdns: listing interfaces: %w", err)
	}
	var up []net.Interface
	for _, ifi := range all {
		if ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0 {
			up = append(up, ifi)
		}
	}
	return up, nil
}

// TestAddrEnv names the environment variable that points moonpin and
// moonctl at a test's address ("224.0.0.251:40000", "127.0.0.1:0") instead
// of the mDNS group. Where it is set both use the loopback interface alone,
// so a test never sends mDNS to the network around the machine.
const TestAddrEnv = "MOONPIN_MDNS_ADDR"

// FromEnv is cfg pointed at the address in $MOONPIN_MDNS_ADDR, on the
// loopback interface, where that is set.
func FromEnv(cfg Config) (Config, error) {
	s := os.Getenv(TestAddrEnv)
	if s == "" {
		return cfg, nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return cfg, fmt.Errorf("$%s: %w", TestAddrEnv, err)
	}
	all, err := net.Interfaces()
	if err != nil {
		return cfg, fmt.Errorf("$%s: %w", TestAddrEnv, err)
	}
	for _, ifi := range all {
		if ifi.Flags&net.FlagLoopback != 0 {
			return Config{Addr: ap, Interfaces: []net.Interface{ifi}}, nil
		}
	}
	return cfg, fmt.Errorf("$%s: no loopback interface", TestAddrEnv)
}

// Interfaces looks up interfaces by name ("wlan0,eth0").
func Interfaces(names string) ([]net.Interface, error) {
	var list []net.Interface
	for _, name := range strings.Split(names, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("interface %s: %w", name, err)
		}
		list = append(list, *ifi)
	}
	return list, nil
}

// qclassUnicast is the top bit of a question's class: the querier prefers a
// unicast answer (RFC 6762 section 5.4). In a record it is the cache-flush
// bit (section 10.2): the record replaces what caches hold for its name.
const qclassUnicast = 1 << 15

// mustName makes a dnsmessage name of a name built here.
func mustName(s string) dnsmessage.Name {
	n, err := dnsmessage.NewName(s)
	if err != nil {
		panic(fmt.Sprintf("mdns: name %q: %v", s, err))
	}
	return n
}

// label makes s one DNS label: dots (which dnsmessage cannot escape) become
// dashes, and it is cut to the 63 bytes a label may have.
func label(s string) string {
	s = strings.ReplaceAll(s, ".", "-")
	if len(s) > 63 {
		s = s[:63]
	}
	if s == "" {
		s = "moonpin"
	}
	return s
}

// sameName compares DNS names as DNS does: without regard to ASCII case.
func sameName(a dnsmessage.Name, b string) bool { return strings.EqualFold(a.String(), b) }
