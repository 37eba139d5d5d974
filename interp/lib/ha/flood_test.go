package ha_test

import (
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// TestStatusFloodWithAFullQueue: Home Assistant's "online" makes the device
// announce itself, publishing from the message handler; with the queue
// full, each publish waited for room running the loop, which delivered the
// next "online" inside it: a burst nested announcements without limit (RSS
// at 800 MB under a 256 MB limit, the script frozen, Ctrl-C not heard).
// A publish from a handler never waits: the full queue drops its oldest.
func TestStatusFloodWithAFullQueue(t *testing.T) {
	b := mqtttest.StartFake(t, 0, 0)
	rt, out, events := newRuntime(t, b.URL)
	exec := execer(t, rt, out)
	exec(`
		dev = ha.device{name = "Flood", id = "flood", url = BROKER, queue = 1}
		dev:sensor{name = "Temperature", unit = "C"}
		local c = dev.client
		assert(c:wait_connected(10), "not connected")
		-- a broker that never acknowledges: the flight window, then the queue fill
		for i = 1, 1001 do c:publish("out/fill", "x", {qos = 1}) end
		c:subscribe("done", function() notify("done " .. c.dropped) end)
	`)
	for range 2 {
		<-b.Subs
	}
	deadline := time.After(mqtttest.Timeout)
	for i := range 51 {
		p := mqtttest.Publish("homeassistant/status", "online")
		if i == 50 {
			p = mqtttest.Publish("done", "")
		}
		select {
		case b.Send <- p:
		case <-deadline:
			t.Fatalf("the broker could send only %d messages within %v\noutput:\n%s", i, mqtttest.Timeout, out)
		}
	}
	select {
	case e := <-events:
		if e == "done 0" {
			t.Fatalf("nothing dropped: %q", e)
		}
	case <-deadline:
		t.Fatalf("the status messages were not handled within %v\noutput:\n%s", mqtttest.Timeout, out)
	}
	// The script runs again at once: the handlers are done, not nested
	// in each other waiting a second a publish.
	closed := make(chan error, 1)
	go func() { closed <- rt.Exec("test.lua", `dev:close(0)`) }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-deadline:
		t.Errorf("the script did not run again within %v of the burst\noutput:\n%s", mqtttest.Timeout, out)
		<-closed
	}
}
