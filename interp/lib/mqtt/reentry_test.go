package mqtt_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp/lib/mqtt"
	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// fillWindow connects the script's client c (queue 1) to a broker that
// never acknowledges, and publishes at QoS 1 until the flight window and
// the queue are full: a publish then waits for room.
func fillWindow(t *testing.T, h *harness, url string) {
	t.Helper()
	h.exec(fmt.Sprintf(`
		c = mqtt.connect{url = %q, queue = 1}
		assert(c:wait_connected(10), "not connected")
		for i = 1, 1002 do c:publish("out/fill", "x", {qos = 1}) end
	`, url))
}

// TestHandlerPublishingToAFullQueueIsNotReentered: a message handler that
// publishes while the queue is full waits for room, and the loop runs
// other work meanwhile; it ran the client's next deliveries too, so each
// message of a burst nested a handler (and a wait) in the one before:
// "C stack overflow" 230000 times in 5 s, the memory limit passed. The
// next message waits for the handler to return.
func TestHandlerPublishingToAFullQueueIsNotReentered(t *testing.T) {
	defer mqtt.SetRoomWait(100 * time.Millisecond)()
	b := mqtttest.StartFake(t, 0, 0)
	h := newHarness(t, nil)
	fillWindow(t, h, b.URL)
	h.exec(`
		depth, deepest, handled = 0, 0, 0
		c:subscribe("in/#", function(topic, payload)
			depth = depth + 1
			deepest = math.max(deepest, depth)
			c:publish("out/echo", payload, {qos = 1})
			depth = depth - 1
			handled = handled + 1
			notify("handled " .. handled .. ", deepest " .. deepest)
		end)
	`)
	<-b.Subs
	for i := range 5 {
		b.Send <- mqtttest.Publish("in/x", fmt.Sprint(i))
	}
	if got := h.expect("handled 5"); got != "handled 5, deepest 1" {
		t.Fatalf("got %q: the handler ran inside itself", got)
	}
	h.exec(`c:close(0)`)
}
