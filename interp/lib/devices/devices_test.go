package devices_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// TestScripts runs testdata/*.lua: periph's drivers, bound to Lua, against
// the simulated board's register-level devices.
func TestScripts(t *testing.T) { interptest.RunScripts(t, "testdata/*.lua", nil) }

// TestTareStopsAtAnInterrupt: an interrupt ends a tare's Lua call at once;
// the tare, going on in the background with the cell's lock, stops before
// its next conversion, so a soft reset (which closes the cell, waiting for
// the lock) does not wait out the rest: tare(100) at 10 conversions a
// second held it 10 s.
func TestTareStopsAtAnInterrupt(t *testing.T) {
	board, err := sim.Load("../../../examples/workbench.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { board.Close() })
	rt, _ := interptest.New(t, &interp.Options{Board: board})
	if err := rt.Exec("t", `cell = devices.hx711({clk = "GPIO23", data = "GPIO24"}) sim.device("GPIO23", nil, {rate = 10})`); err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() { result <- rt.Exec("t", `cell:tare(100)`) }()
	// Let the tare start waiting for a conversion.
	deadline := time.Now().Add(time.Minute)
	for stack := make([]byte, 1<<20); !bytes.Contains(stack[:runtime.Stack(stack, true)], []byte("sim.(*pin).WaitForEdge")); {
		select {
		case err := <-result:
			t.Fatalf("tare(100) ended before it was interrupted: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no goroutine waiting for the HX711 within a minute")
		}
		time.Sleep(time.Millisecond)
	}
	rt.Interrupt()
	if err := <-result; err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("tare: %v, want interrupted", err)
	}
	start := time.Now()
	if err := rt.Reset(); err != nil {
		t.Fatal(err)
	}
	// The conversion under way ends within 100 ms; 3 s is room for a
	// loaded machine, not for the tare's 10 s.
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the soft reset took %v: it waited for the rest of the tare", took)
	}
}
