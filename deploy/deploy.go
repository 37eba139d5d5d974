// Package deploy holds what puts moonpin on a device: the systemd unit, the
// file its options go in, and the USB gadget serial set-up (usb-gadget.md,
// moonpin-gadget.sh). The unit and the options file are embedded, so that
// `moonpin install` writes the same ones this folder documents.
//
// deploy imports nothing of moonpin's.
package deploy

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"text/template"
	"unicode"
	"unicode/utf8"
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
	return template.Must(template.New("moonpin.service").Funcs(template.FuncMap{"join": strings.Join, "arg": execArg, "exe": execPath, "text": unitText}).Parse(unitTemplate))
})

// RenderUnit returns the text of the systemd unit for u. A path with a
// space, a quote, '$' or '%' is quoted and escaped as systemd reads
// ExecStart (a root of "/home/pi/My Scripts" was two arguments, and moonpin
// took "Scripts" for a script to run); one with a line break or another
// control character is refused, as it would end the line it is on and
// start another directive.
func RenderUnit(u Unit) (string, error) {
	if err := u.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := unit().Execute(&b, u); err != nil {
		return "", err
	}
	return b.String(), nil
}

// check refuses fields that no quoting puts on one line of a unit file.
func (u Unit) check() error {
	for _, f := range []struct{ flag, value string }{
		{"--bin", u.Binary}, {"--port", u.Port}, {"--root", u.Root}, {"--user", u.User},
	} {
		if i := strings.IndexFunc(f.value, unicode.IsControl); i >= 0 {
			return fmt.Errorf("%s %q: has a control character (%q) that a systemd unit cannot hold; choose one without it", f.flag, f.value, f.value[i:i+1])
		}
		if !utf8.ValidString(f.value) {
			return fmt.Errorf("%s %q: is not valid UTF-8, which a systemd unit cannot hold; choose one that is", f.flag, f.value)
		}
	}
	if strings.ContainsAny(u.Binary, `"'\`) {
		return fmt.Errorf("--bin %q: systemd refuses an executable path with a quote or a backslash; choose one without them", u.Binary)
	}
	if u.User == "" || strings.ContainsAny(u.User, " :/") {
		return fmt.Errorf("--user %q: not an account name", u.User)
	}
	return nil
}

// execArg is s as one argument of a systemd command line: as it is when
// it holds none of what systemd reads specially, else double-quoted with
// '\' and '"' escaped, and '$' and '%' doubled (environment variables and
// specifiers are expanded inside quotes too).
func execArg(s string) string {
	return quoteExec(s, strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", "$$", "%", "%%"))
}

// execPath is s as the executable of a systemd command line, where '%' is
// expanded but '$' is not (check refuses the quotes and backslashes that
// systemd refuses there).
func execPath(s string) string { return quoteExec(s, strings.NewReplacer("%", "%%")) }

func quoteExec(s string, escape *strings.Replacer) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '/' || r == '-' || r == '_' || r == '.' || r == ':' || r == '+' || r == ',' || r == '@' || r == '=' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		return s
	}
	return `"` + escape.Replace(s) + `"`
}

// unitText is s in a line of free text of the unit (Description=, a
// comment): '%' doubled, as Description= expands specifiers.
func unitText(s string) string { return strings.ReplaceAll(s, "%", "%%") }
