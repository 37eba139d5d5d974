package repl_test

import (
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// TestFileChannelNoticesResync: a host that went away in the middle of a
// frame (with no hang-up seen, as on a serial line, or a pty reopened at
// once) leaves the file channel waiting for the rest; the next host's
// request for the raw REPL ("\r\x03\r\x01" as moonctl sends it, mpremote's
// variants), and the code it sends when an earlier client's raw REPL
// header made it think it was answered, then come as frame data. The
// device notices them at once, drops the frame and answers them, well
// within the frame timeout.
func TestFileChannelNoticesResync(t *testing.T) {
	d := startDevice(t, nil, &repl.Options{Version: "test", Board: "sim", FrameTimeout: 5 * time.Second})
	d.fileChannel()
	for _, resync := range []string{"\r\x03\r\x01", "\r\x03\x03\r\x01", "\r\x03\x03\x01"} {
		for _, then := range []string{"", "sync sync_42\x04", "\x05A\x01"} {
			// Cut in the header, in the payload, and where the request
			// completes an empty frame (as its checksum).
			for _, partial := range []string{
				frame(wire.Data, make([]byte, 4000))[:3],
				frame(wire.Data, make([]byte, 4000))[:7],
				frame(wire.Data, make([]byte, 4000))[:2000],
				frame(wire.Data, nil)[:10-len(resync)],
			} {
				d.Send(partial)
				d.Timeout = time.Second
				d.Send(resync + then)
				d.Expect("raw REPL; CTRL-B to exit\r\n>")
				switch then {
				case "":
				case "\x05A\x01":
					d.Expect("R\x01")
					d.Send("\x03")
					d.Expect("\x04>")
				default:
					d.Expect("OK\x04stdin:1: '=' expected near 'sync_42'")
					d.Expect("\x04>")
				}
				d.Timeout = 10 * time.Second
				d.Send("print('raw ' .. 'again')\x04")
				d.Expect("OKraw again\r\n\x04\x04>")
				d.Send(wire.Enter)
				d.Expect(wire.EnterOK)
			}
		}
	}
}
