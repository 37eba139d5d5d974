package devices

import (
	"errors"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/hal"
	lua "github.com/yuin/gopher-lua"
)

// A driver that panics fails the call with a *hal.PanicError, whether it
// runs on the loop goroutine or (a slow kind) on one of its own, and in
// Close's halt too; the device's lock is free afterwards.
func TestDriverPanicIsAnError(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	for _, slow := range []bool{false, true} {
		d := &device{kind: bme280Kind, where: "0x76 on I2C1", slow: slow}
		var zero int
		err := d.run(L, func() error { _ = 1 / zero; return nil })
		var pe *hal.PanicError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "integer divide by zero") {
			t.Fatalf("slow %t: run returned %v, want a PanicError", slow, err)
		}
		if !d.mu.TryLock() {
			t.Fatalf("slow %t: the device stays locked after a panic", slow)
		}
		d.mu.Unlock()
		d.halt = func() error { panic("halt failed") }
		if err := d.Close(); !errors.As(err, &pe) || err.Error() != "halt failed" {
			t.Fatalf("slow %t: Close returned %v, want a PanicError", slow, err)
		}
		if !d.closed {
			t.Fatalf("slow %t: not closed", slow)
		}
	}
}
