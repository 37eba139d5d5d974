// Package keyboard forwards what a user types to a REPL, for moonctl repl and
// moonpin attach: the keys go as they are (Ctrl-C, Ctrl-D reach the REPL),
// and Ctrl-] or Ctrl-X leaves, as in mpremote (Ctrl-] as in telnet).
package keyboard

import (
	"bytes"
	"io"
)

// Escape is Ctrl-], a key that leaves; Ctrl-X (LeaveX) is the other.
const (
	Escape = 0x1d
	LeaveX = 0x18
)

// Forward copies src to dst until src ends (or fails) or, when escape is
// set, until Escape or LeaveX, which is not sent: what came before it in the same read
// is. It returns a write's error, else nil.
func Forward(dst io.Writer, src io.Reader, escape bool) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		keys := buf[:n]
		escaped := false
		if escape {
			if i := bytes.IndexAny(keys, string([]byte{Escape, LeaveX})); i >= 0 {
				keys, escaped = keys[:i], true
			}
		}
		if len(keys) > 0 {
			if _, werr := dst.Write(keys); werr != nil {
				return werr
			}
		}
		if escaped || err != nil {
			return nil
		}
	}
}
