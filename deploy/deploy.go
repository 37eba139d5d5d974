// Package deploy holds what puts moonpin on a device: the systemd unit, the
// file its options go in, and the USB gadget serial set-up (usb-gadget.md,
// moonpin-gadget.sh). The unit and the options file are embedded, so that
// `moonpin install` writes the same ones this folder documents.
//
// deploy imports nothing of moonpin's.
package deploy

import (
	_ "embed"
	"strings"
	"sync"
	"text/template"
)

//go:embed moonpin.service.tmpl
var unitTemplate string

// Options is the text of /etc/default/moonpin: extra flags for the service.
//
//go:embed moonpin.default
var Options string

// Unit describes the service.
type Unit struct {
	Binary string   // absolute path of moonpin
	Port   string   // the REPL's serial port, e.g. /dev/ttyGS0
	Baud   int      // for a UART console; a USB gadget ignores it
	Root   string   // the script root
	User   string   // the account it runs as
	Groups []string // supplementary groups for the hardware (gpio, i2c, spi, dialout)
}

// Defaults is the unit moonpin.service shows: a USB gadget serial port and
// the root /var/lib/moonpin.
var Defaults = Unit{
	Binary: "/usr/local/bin/moonpin",
	Port:   "/dev/ttyGS0",
	Baud:   115200,
	Root:   "/var/lib/moonpin",
	User:   "root",
}

// unit is the parsed unitTemplate, on first use: parsing it at every start
// of moonpin took a twentieth of a millisecond and 113 allocations.
var unit = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("moonpin.service").Funcs(template.FuncMap{"join": strings.Join}).Parse(unitTemplate))
})

// RenderUnit returns the text of the systemd unit for u.
func RenderUnit(u Unit) (string, error) {
	var b strings.Builder
	if err := unit().Execute(&b, u); err != nil {
		return "", err
	}
	return b.String(), nil
}
