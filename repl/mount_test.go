package repl_test

import (
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// A computer that stops answering its mount's requests (a moonctl stopped,
// a serial line where no hang-up is seen) costs the read that waited the
// mount timeout, which ends the mount: the read says why, and the REPL
// soft-resets with the board's own root.
func TestMountEndsWhenComputerIsSilent(t *testing.T) {
	d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"},
		&repl.Options{Version: "test", Board: "sim", MountTimeout: 300 * time.Millisecond})
	d.fileChannel()
	d.Send(frame(wire.Mount, new(wire.Encoder).Uint(0).String("/computer/dir").B))
	d.Send(frame(wire.Quit, nil))
	d.Send("print(pcall(require, 'x'))\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MStat}))
	d.Expect("false\terror loading module 'x' from file ")
	d.Expect("x.lua: the computer did not answer in 300ms, so the mount has ended and the board has its own script root back")
	d.Expect("soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
	d.Send("print(require('onboard'))\x04")
	d.Expect("OKboard\r\n\x04\x04>")
}
