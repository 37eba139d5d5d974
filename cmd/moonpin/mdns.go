package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/moonpin/moonpin/internal/mdns"
)

// announce starts the board's mDNS announcement: its host name, SSH port,
// version and board name, which `moonctl ports` lists. Nothing else goes
// out: no paths, no users, no secrets. A failure (port 5353 held by a
// responder that does not share it, no multicast) is reported and the REPL
// goes on without it; the result is then nil.
func announce(c *config, boardName string, stderr io.Writer) *mdns.Responder {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "moonpin"
	}
	host, _, _ = strings.Cut(host, ".")
	cfg := mdns.Config{}
	if c.mdnsIface != "" {
		cfg.Interfaces, err = mdns.Interfaces(c.mdnsIface)
	}
	if err == nil {
		cfg, err = mdns.FromEnv(cfg)
	}
	var r *mdns.Responder
	if err == nil {
		r, err = mdns.Start(mdns.Announcement{
			Instance: host, Host: host, Port: c.sshPort,
			TXT: []string{"version=" + version, "board=" + boardName},
		}, cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: not announcing the board on the LAN: %v (--mdns=false turns this off)\n", err)
		return nil
	}
	fmt.Fprintf(stderr, "moonpin: announcing ssh://%s.local:%d on the LAN by mDNS (--mdns=false turns it off)\n", host, c.sshPort)
	return r
}
