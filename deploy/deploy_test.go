package deploy

import (
	"errors"
	"flag"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite moonpin.service from the template")

// TestServiceFileIsTheDefaultUnit keeps moonpin.service, the unit people
// read and copy, the one `moonpin install` writes by default.
func TestServiceFileIsTheDefaultUnit(t *testing.T) {
	want, err := RenderUnit(Defaults)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("moonpin.service", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("moonpin.service")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("moonpin.service differs from RenderUnit(Defaults); regenerate it with go test ./deploy -update\n%s", want)
	}
}

func TestRenderUnit(t *testing.T) {
	u := Defaults
	u.Port, u.Root, u.User, u.Groups = "/dev/ttyAMA0", "/home/pi/lua", "pi", []string{"gpio", "i2c"}
	text, err := RenderUnit(u)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nUser=pi\nSupplementaryGroups=gpio i2c\n",
		"\nExecStart=/usr/local/bin/moonpin --port /dev/ttyAMA0 --baud 115200 --root /home/pi/lua $MOONPIN_OPTS\n",
		"\nRestart=on-failure\n",
		"\nEnvironmentFile=-/etc/default/moonpin\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("unit lacks %q:\n%s", want, text)
		}
	}
}

// TestUnitQuotesPaths: paths with spaces, quotes, '$', '%' or '\' come out
// of the unit's ExecStart as the one argument each they are (a root of
// "/home/pi/My Scripts" was two arguments, and moonpin took "Scripts" for a
// script), read as systemd reads a command line; Description= keeps the
// port's '%' literal.
func TestUnitQuotesPaths(t *testing.T) {
	for _, c := range []struct{ bin, port, root string }{
		{"/usr/local/bin/moonpin", "/dev/ttyGS0", "/home/pi/My Scripts"},
		{"/opt/moon pin/moonpin", "/dev/serial/by-id/usb-FTDI_A%1", `/srv/a "b" c`},
		{"/usr/bin/moonpin", "/dev/ttyAMA0", `/srv/$HOME/100%/back\slash`},
		{"/opt/$dir/100%/moonpin", "/dev/ttyAMA0", "/srv/x"},
		{"/usr/bin/moonpin", "/dev/ttyAMA0", "/srv/ünïcode/x;y'z"},
	} {
		u := Defaults
		u.Binary, u.Port, u.Root = c.bin, c.port, c.root
		text, err := RenderUnit(u)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		var exec, desc string
		for _, line := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
				exec = v
			}
			if v, ok := strings.CutPrefix(line, "Description="); ok {
				desc = v
			}
		}
		args, err := systemdArgs(exec)
		if err != nil {
			t.Fatalf("ExecStart=%s: %v", exec, err)
		}
		want := []string{c.bin, "--port", c.port, "--baud", "115200", "--root", c.root, "$MOONPIN_OPTS"}
		if strings.Join(args, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("ExecStart=%s\nreads as %q\nwant      %q", exec, args, want)
		}
		if got, want := systemdUnescape(desc), "moonpin Lua runtime, REPL on "+c.port; got != want {
			t.Errorf("Description=%s reads as %q, want %q", desc, got, want)
		}
	}
	verifyWithSystemd(t)
}

// verifyWithSystemd has systemd itself read a unit whose binary's path
// has a space, a '$' and a '%' (systemd-analyze verify checks that
// ExecStart's first word is an executable that exists), where the machine
// has systemd-analyze.
func verifyWithSystemd(t *testing.T) {
	analyze, err := osexec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze not installed: the unit is checked by this test's reading only")
		return
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, `moon pin $x 100%`)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	u := Defaults
	u.Binary, u.Root = bin, "/srv/My Scripts"
	text, err := RenderUnit(u)
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(dir, "moonpin-test.service")
	if err := os.WriteFile(unit, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := osexec.Command(analyze, "verify", unit).CombinedOutput()
	for _, bad := range []string{"ExecStart", "quot", "executable", "bad unit", "No such file"} {
		if strings.Contains(string(out), bad) {
			t.Fatalf("systemd-analyze verify:\n%s\nof:\n%s", out, text)
		}
	}
}

// TestUnitRefusesLineBreaks: a field with a line break would end its line
// of the unit and start another directive; it is refused, naming the flag,
// as is an executable path that systemd refuses (a quote or a backslash).
func TestUnitRefusesLineBreaks(t *testing.T) {
	for _, u := range []Unit{
		{Binary: "/usr/bin/moonpin", Port: "/dev/ttyGS0", Root: "/srv/x\nExecStartPre=/bin/rm -rf /", User: "pi"},
		{Binary: "/usr/bin/moonpin", Port: "/dev/tty\rGS0", Root: "/srv/x", User: "pi"},
		{Binary: "/usr/bin/moon\x00pin", Port: "/dev/ttyGS0", Root: "/srv/x", User: "pi"},
		{Binary: "/usr/bin/moonpin", Port: "/dev/ttyGS0", Root: "/srv/x", User: "pi\nGroup=root"},
		{Binary: "/usr/bin/moonpin", Port: "/dev/ttyGS0", Root: "/srv/\xff", User: "pi"},
		{Binary: `/opt/"moon"/moonpin`, Port: "/dev/ttyGS0", Root: "/srv/x", User: "pi"}, // systemd refuses it
		{Binary: `/opt/moon\pin`, Port: "/dev/ttyGS0", Root: "/srv/x", User: "pi"},
	} {
		text, err := RenderUnit(u)
		if err == nil {
			t.Errorf("%+v rendered:\n%s", u, text)
			continue
		}
		if !strings.Contains(err.Error(), "--") || !strings.Contains(err.Error(), "choose") && !strings.Contains(err.Error(), "account") {
			t.Errorf("error %q names no flag or fix", err)
		}
	}
}

// systemdArgs splits a command line as systemd does (systemd.service,
// "Command lines"): words apart by spaces, double-quoted words with C
// escapes, "%%" a '%', and but in the executable "$$" a '$'; "$NAME" words
// stay as they are here.
func systemdArgs(line string) ([]string, error) {
	var args []string
	for line = strings.TrimLeft(line, " "); line != ""; line = strings.TrimLeft(line, " ") {
		var word strings.Builder
		if line[0] == '"' {
			i := 1
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
				}
				word.WriteByte(line[i])
			}
			if i == len(line) {
				return nil, errors.New("unterminated quote")
			}
			line = line[i+1:]
			if line != "" && line[0] != ' ' {
				return nil, errors.New("a quoted word runs on")
			}
		} else {
			end := strings.IndexByte(line, ' ')
			if end < 0 {
				end = len(line)
			}
			word.WriteString(line[:end])
			line = line[end:]
		}
		w := word.String()
		if args == nil {
			// the executable: specifiers, no variables
			w = strings.ReplaceAll(w, "%%", "%")
		} else {
			w = systemdUnescape(w)
		}
		args = append(args, w)
	}
	return args, nil
}

// systemdUnescape undoes "$$" and "%%".
func systemdUnescape(s string) string {
	return strings.NewReplacer("$$", "$", "%%", "%").Replace(s)
}
