package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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

func (s *session) ports(_ bool, _ []string) error {
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
