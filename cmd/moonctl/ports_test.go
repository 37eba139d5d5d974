package main

import (
	"os/exec"
	"strings"
	"testing"

	"go.bug.st/serial/enumerator"
)

func TestChoosePort(t *testing.T) {
	gadget := &enumerator.PortDetails{Name: "/dev/ttyACM0", IsUSB: true, VID: "1D6B", PID: "0104"}
	acm := &enumerator.PortDetails{Name: "/dev/ttyACM1", IsUSB: true, VID: "0525", PID: "a4a7"}
	named := &enumerator.PortDetails{Name: "/dev/ttyACM2", IsUSB: true, VID: "1234", PID: "5678", Product: "moonpin board"}
	arduino := &enumerator.PortDetails{Name: "/dev/ttyUSB0", IsUSB: true, VID: "2341", PID: "0043"}
	uart := &enumerator.PortDetails{Name: "/dev/ttyS0"}
	answersNone := func(string) bool { return false }
	for _, tc := range []struct {
		name    string
		list    []*enumerator.PortDetails
		answers func(string) bool
		want    string // a port, or text the error contains
	}{
		{"one gadget among others", []*enumerator.PortDetails{uart, arduino, gadget}, answersNone, "/dev/ttyACM0"},
		{"g_serial", []*enumerator.PortDetails{acm}, answersNone, "/dev/ttyACM1"},
		{"product names moonpin", []*enumerator.PortDetails{named, uart}, answersNone, "/dev/ttyACM2"},
		{"several", []*enumerator.PortDetails{gadget, acm}, answersNone, "several ports look like moonpin boards (/dev/ttyACM0, /dev/ttyACM1); choose one with -p PORT"},
		{"none", []*enumerator.PortDetails{uart, arduino}, answersNone, "no moonpin board found among the serial ports here (/dev/ttyS0, /dev/ttyUSB0); moonctl ports"},
		{"no ports", nil, answersNone, "no serial ports here"},
		{"found by probing", []*enumerator.PortDetails{uart, arduino}, func(n string) bool { return n == "/dev/ttyUSB0" }, "/dev/ttyUSB0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var probed []string
			got, err := choosePort(tc.list, func(n string) bool {
				probed = append(probed, n)
				return tc.answers(n)
			})
			if strings.HasPrefix(tc.want, "/dev/") {
				if err != nil || got != tc.want {
					t.Fatalf("choosePort = %q, %v; want %s", got, err, tc.want)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("choosePort = %q, %v; want an error with %q", got, err, tc.want)
			}
			for _, p := range probed {
				if p == uart.Name {
					t.Errorf("probed %s, which is not a USB port", p)
				}
			}
		})
	}
}

func TestDevicePath(t *testing.T) {
	for in, want := range map[string]string{
		":": ".", ":/": ".", ":main.lua": "main.lua", ":/lib/x.lua": "lib/x.lua", "lib//a/../b": "lib/b", ":../x": "../x",
	} {
		if got := devicePath(in); got != want {
			t.Errorf("devicePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeviceMessage(t *testing.T) {
	for in, want := range map[string]string{
		"lib/x.lua: no such file or directory": ":lib/x.lua: no such file or directory",
		"cannot remove the script root":        "cannot remove the script root",
		".: is a directory":                    ": is a directory",
		"no put in progress: odd":              "no put in progress: odd",
	} {
		if got := deviceMessage(in); got != want {
			t.Errorf("deviceMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImports keeps moonctl on the host side of the protocol: it links
// repl/client, never the device side or the Lua runtime.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/moonpin/moonpin/"
	for _, dep := range strings.Fields(string(out)) {
		if dep == mod+"repl" || strings.HasPrefix(dep, mod+"interp") || strings.HasPrefix(dep, mod+"hal") || strings.HasPrefix(dep, "github.com/yuin/gopher-lua") {
			t.Errorf("moonctl depends on %s", dep)
		}
	}
}
