package keyboard

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestForward(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		escape   bool
		want     string
	}{
		{"escape ends, keys before it in the same read go", "print(1)\r\x03ab\x1dnot sent", true, "print(1)\r\x03ab"},
		{"Ctrl-X ends too, as in mpremote", "x = 1\r\x18y", true, "x = 1\r"},
		{"the end of input ends", "x = 1\r", true, "x = 1\r"},
		{"without escape Ctrl-] is a key like another", "a\x1db", false, "a\x1db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			// One byte a read: the escape in a later read than the keys.
			if err := Forward(&got, iotest.OneByteReader(strings.NewReader(tc.in)), tc.escape); err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Fatalf("sent %q, want %q", got.String(), tc.want)
			}
			got.Reset()
			if err := Forward(&got, strings.NewReader(tc.in), tc.escape); err != nil || got.String() != tc.want {
				t.Fatalf("in one read: sent %q (%v), want %q", got.String(), err, tc.want)
			}
		})
	}
	broken := errors.New("gone")
	if err := Forward(failingWriter{broken}, strings.NewReader("x"), true); !errors.Is(err, broken) {
		t.Fatalf("a failed write: %v, want %v", err, broken)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
