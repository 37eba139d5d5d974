package mqtt_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// waitStack waits until a goroutine's stack shows fn.
func waitStack(t *testing.T, fn string) {
	t.Helper()
	deadline := time.Now().Add(mqtttest.Timeout)
	for stack := make([]byte, 1<<20); !bytes.Contains(stack[:runtime.Stack(stack, true)], []byte(fn)); {
		if time.Now().After(deadline) {
			t.Fatalf("no goroutine in %s within %v", fn, mqtttest.Timeout)
		}
		runtime.Gosched()
	}
}

// TestInterruptedCloseRaises: Ctrl-C during c:close(30), which waits for an
// unacknowledged publish, ends the wait and raises the interrupt; the
// close returned normally, and the script went on.
func TestInterruptedCloseRaises(t *testing.T) {
	b := mqtttest.StartFake(t, 0, 0)
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER}
		assert(c:wait_connected(10), "not connected")
		c:publish("a", "x", {qos = 1})
	`)
	done := make(chan error, 1)
	go func() { done <- h.rt.Exec("close.lua", `c:close(30) notify("after: went on")`) }()
	waitStack(t, "mqtt.closeClient")
	h.rt.Interrupt()
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("close(30) interrupted: %v", err)
	}
	h.exec(`assert(c.closed) notify("after: checked")`)
	if e := h.expect("after: "); e != "after: checked" {
		t.Fatalf("the script went on after the interrupt: %q", e)
	}
}

// connectUnacked opens n clients on a broker that never acknowledges, each
// with a QoS 1 publish waiting.
func connectUnacked(t *testing.T, n int) (*harness, *mqtttest.Fake) {
	b := mqtttest.StartFake(t, 0, 0)
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		cs = {}
		for i = 1, ` + string(rune('0'+n)) + ` do
			cs[i] = mqtt.connect{url = BROKER}
			assert(cs[i]:wait_connected(10), "not connected")
			cs[i]:publish("a", "x", {qos = 1})
		end
	`)
	return h, b
}

// TestResetClosesClientsTogether: a soft reset (or the exit) closed the
// open clients one after the other, each giving its queue a second: 10
// clients with an unacknowledged publish took 10 s to exit.
func TestResetClosesClientsTogether(t *testing.T) {
	h, _ := connectUnacked(t, 5)
	start := time.Now()
	if err := h.rt.Reset(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Fatalf("the soft reset took %v to close 5 clients", took)
	}
}

// TestStopEndsClosingAtOnce: once the runtime is stopped (Ctrl-C, SIGTERM),
// closing the clients waits for no acknowledgement: moonpin gives Lua
// 500 ms, and forced the exit blaming Lua.
func TestStopEndsClosingAtOnce(t *testing.T) {
	h, _ := connectUnacked(t, 5)
	h.rt.Stop()
	start := time.Now()
	if err := h.rt.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Fatalf("closing after a stop took %v", took)
	}
}
