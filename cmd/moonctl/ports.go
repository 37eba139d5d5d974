package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/moonpin/moonpin/internal/mdns"
	"github.com/moonpin/moonpin/repl/client"
	"go.bug.st/serial/enumerator"
)

// gadgetIDs are the USB VID:PIDs a Linux board shows on its USB serial
// gadget (/dev/ttyGS0 on the board), where moonpin --port serves the REPL.
var gadgetIDs = map[string]string{
	"1d6b:0104": "Linux multifunction composite gadget",
	"0525:a4a7": "Linux USB serial gadget (CDC ACM)",
	"0525:a4a6": "Linux USB serial gadget",
}

// likely reports whether a port looks like a moonpin board: a Linux USB
// gadget, or a USB device that names moonpin.
func likely(p *enumerator.PortDetails) bool {
	if !p.IsUSB {
		return false
	}
	if _, ok := gadgetIDs[strings.ToLower(p.VID+":"+p.PID)]; ok {
		return true
	}
	return strings.Contains(strings.ToLower(p.Product+" "+p.Manufacturer), "moonpin")
}

func (s *session) ports(serialOnly bool, _ []string) error {
	err := s.serialPorts()
	if !serialOnly {
		s.lanBoards()
	}
	return err
}

func (s *session) serialPorts() error {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return fmt.Errorf("listing serial ports: %w", err)
	}
	if len(list) == 0 {
		fmt.Fprintln(s.stdout, "no serial ports found; is the board plugged in (with a data cable)?")
		return nil
	}
	for _, p := range list {
		mark := " "
		if likely(p) {
			mark = "*"
		}
		id, serialNo, product := "-", "-", p.Product
		if p.IsUSB {
			id = strings.ToLower(p.VID + ":" + p.PID)
			if p.SerialNumber != "" {
				serialNo = p.SerialNumber
			}
			if product == "" {
				product = gadgetIDs[id]
			}
		}
		line := fmt.Sprintf("%s %-16s %-9s %-18s %s", mark, p.Name, id, serialNo, product)
		fmt.Fprintln(s.stdout, strings.TrimRight(line, " "))
	}
	return nil
}

// browseFor is how long moonctl ports waits for boards on the LAN to
// answer: they answer at once, so this is for Wi-Fi's delays.
const browseFor = time.Second

// lanBoards lists the boards that answer an mDNS query, by their ssh://
// address. A network that cannot be asked is a note, not a failure: the
// serial ports above are listed all the same.
func (s *session) lanBoards() {
	cfg, err := mdns.FromEnv(mdns.Config{})
	if err != nil {
		fmt.Fprintf(s.stdout, "  (mDNS: %v)\n", err)
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, browseFor)
	defer cancel()
	var boards []mdns.Board
	err = mdns.Browse(ctx, cfg, func(b mdns.Board) { boards = append(boards, b) })
	switch {
	case err != nil:
		fmt.Fprintf(s.stdout, "  (mDNS: %v)\n", err)
	case len(boards) == 0:
		fmt.Fprintln(s.stdout, "  no boards announced themselves on the LAN (mDNS)")
	}
	for _, b := range boards {
		fmt.Fprintln(s.stdout, "* "+lanLine(b))
	}
}

// lanLine describes a board found on the LAN:
// ssh://raspberrypi.local:22  moonpin 1.2.3 on "Raspberry Pi 4" (mDNS 192.168.1.20)
func lanLine(b mdns.Board) string {
	host := b.Host
	if host == "" {
		host = b.From.String()
	}
	line := fmt.Sprintf("ssh://%s  moonpin", net.JoinHostPort(host, strconv.Itoa(b.Port)))
	if v := b.TXT["version"]; v != "" {
		line += " " + v
	}
	if name := b.TXT["board"]; name != "" {
		line += fmt.Sprintf(" on %q", name)
	}
	return line + fmt.Sprintf(" (mDNS %v)", b.From)
}

// findPort picks the port of the one moonpin board plugged in.
func findPort(baud int) (string, error) {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return "", fmt.Errorf("listing serial ports: %w; name the port with -p", err)
	}
	return choosePort(list, func(name string) bool { return probe(name, baud) })
}

// choosePort picks the single port that looks like a moonpin board by its
// USB ID; failing that, the single USB port that answers the probe.
func choosePort(list []*enumerator.PortDetails, answers func(string) bool) (string, error) {
	var found, usb []string
	for _, p := range list {
		if likely(p) {
			found = append(found, p.Name)
		} else if p.IsUSB {
			usb = append(usb, p.Name)
		}
	}
	if len(found) == 0 {
		for _, name := range usb {
			if answers(name) {
				found = append(found, name)
			}
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(list) == 0:
		return "", errors.New("no moonpin board found: no serial ports here; is the board plugged in (with a data cable)?")
	case len(found) == 0:
		var names []string
		for _, p := range list {
			names = append(names, p.Name)
		}
		return "", fmt.Errorf("no moonpin board found among the serial ports here (%s); moonctl ports describes them, -p PORT names one", strings.Join(names, ", "))
	}
	return "", fmt.Errorf("several ports look like moonpin boards (%s); choose one with -p PORT", strings.Join(found, ", "))
}

// probe reports whether moonpin answers on a port: its raw REPL runs Lua.
func probe(name string, baud int) bool {
	c, err := client.Open(name, baud, client.Options{Timeout: 500 * time.Millisecond, Exclusive: true})
	if err != nil {
		return false
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := c.Eval(ctx, "_VERSION")
	_ = c.ExitRaw(ctx)
	return err == nil && strings.HasPrefix(v, "Lua")
}
